/**
 * What a /compare URL asks for: `kind`, `a` and `b` (the shareable form), or the two `pick` values a
 * list's checkboxes submit without JavaScript, which the page redirects to the shareable form.
 */
import type { CompareKind } from '@sightline/contract';
import type { RawSearchParams } from './search-params';

export type CompareTarget =
  { kind: CompareKind; a: string; b: string } | { redirect: string } | { problem: 'missing' | 'pick-two' | 'same' };

const all = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((s) => s !== '');

export function compareHref(kind: CompareKind, a: string, b: string): string {
  return `/compare?${new URLSearchParams({ kind, a, b }).toString()}`;
}

export function readCompareTarget(raw: RawSearchParams): CompareTarget {
  const kind: CompareKind = all(raw.kind)[0] === 'trace' ? 'trace' : 'session';
  const picks = all(raw.pick);
  if (picks.length > 0) {
    if (picks.length !== 2) return { problem: 'pick-two' };
    return { redirect: compareHref(kind, picks[0]!, picks[1]!) };
  }
  const [a] = all(raw.a);
  const [b] = all(raw.b);
  if (a === undefined || b === undefined) return { problem: 'missing' };
  if (a === b) return { problem: 'same' };
  return { kind, a, b };
}
