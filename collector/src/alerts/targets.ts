/**
 * Where alert notifications may go. A channel URL whose host is, or resolves to, anything but a
 * public unicast address (loopback, private, link-local and cloud metadata, unspecified, CGNAT,
 * multicast, IPv4 embedded in IPv6...) is refused, unless SIGHTLINE_WEBHOOK_ALLOWED_HOSTS names
 * the host or a CIDR holding the address. Checked when a rule is written and again at send time,
 * where the connection goes to the very address that was checked (see `pinnedLookup`), so a DNS
 * answer that changes in between cannot redirect it.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { SightlineError } from '../errors.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** Names that are internal whatever they resolve to here. */
const BLOCKED_NAMES = [/^localhost\.?$/, /\.localhost\.?$/, /^metadata\.google\.internal\.?$/, /^metadata\.?$/];

export class TargetPolicy {
  private readonly hosts = new Set<string>();
  private readonly cidrs: Array<[Address, number]> = [];

  /** `allowList`: comma-separated host names, IP addresses and CIDRs. */
  constructor(allowList = '') {
    for (const raw of allowList.split(',')) {
      const entry = raw.trim().toLowerCase();
      if (entry === '') continue;
      if (entry.includes('/')) this.cidrs.push(ipaddr.parseCIDR(entry));
      else if (ipaddr.isValid(entry)) this.cidrs.push([ipaddr.process(entry), ipaddr.process(entry).kind() === 'ipv4' ? 32 : 128]);
      else this.hosts.add(entry.replace(/\.$/, ''));
    }
  }

  /** True when the address may be connected to. */
  addressAllowed(text: string): boolean {
    if (!ipaddr.isValid(text)) return false;
    const addr = ipaddr.process(text); // IPv4-mapped IPv6 becomes the IPv4 it maps
    if (this.cidrs.some(([net, bits]) => net.kind() === addr.kind() && addr.match(net, bits))) return true;
    return addr.range() === 'unicast';
  }

  /**
   * Refuses a URL whose host is named as internal or is an IP literal that is not allowed.
   * WHATWG parsing has already turned `0x7f000001`, `2130706433` and octal forms into dotted quads.
   * A name is resolved only at send time: it may not resolve from here when the rule is written.
   */
  checkUrl(url: string, field: string): void {
    const host = hostOf(url);
    if (this.hosts.has(host)) return;
    const literal = host.startsWith('[') ? host.slice(1, -1) : host;
    if (ipaddr.isValid(literal)) {
      if (!this.addressAllowed(literal)) throw refused(field);
      return;
    }
    if (BLOCKED_NAMES.some((re) => re.test(host))) throw refused(field);
  }

  /**
   * The `lookup` for node:http(s).request: resolves the host, refuses the connection unless every
   * address is allowed, and hands the socket exactly those checked addresses.
   */
  pinnedLookup(): LookupFunction {
    return (hostname, options, callback) => {
      const host = hostname.toLowerCase().replace(/\.$/, '');
      dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
        if (err) return callback(err, '', 0);
        if (!this.hosts.has(host) && !addresses.every((a) => this.addressAllowed(a.address))) {
          return callback(Object.assign(new Error('target refused'), { code: 'TARGET_REFUSED' }), '', 0);
        }
        if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
        const first = addresses[0]!;
        callback(null, first.address, first.family);
      });
    };
  }
}

export function hostOf(url: string): string {
  return new URL(url).hostname.toLowerCase().replace(/\.$/, '');
}

function refused(field: string): SightlineError {
  return new SightlineError(
    'invalid_parameter',
    `${field}: notifications may not go to loopback, private, link-local or metadata addresses (allow it with SIGHTLINE_WEBHOOK_ALLOWED_HOSTS)`,
    { field },
  );
}
