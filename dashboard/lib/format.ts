/** Display formatting shared by server and client components. Pure: no locale surprises. Times: lib/time.ts. */

/** A duration in milliseconds, with about three significant digits. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms === 0) return '0 ms';
  if (ms < 1) return `${Math.max(1, Math.round(ms * 1000))} µs`;
  if (ms < 10) return `${trim(ms.toFixed(2))} ms`;
  if (ms < 100) return `${trim(ms.toFixed(1))} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(2)} s`;
  if (s < 60) return `${s.toFixed(1)} s`;
  const totalSeconds = Math.round(s);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return `${minutes}m ${pad(totalSeconds % 60)}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${pad(minutes % 60)}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** A 0..1 ratio as a percentage; small non-zero rates keep a decimal so they do not read as 0. */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  const pct = ratio * 100;
  if (pct === 0) return '0%';
  if (pct < 0.1) return '<0.1%';
  if (pct < 10) return `${trim(pct.toFixed(2))}%`;
  if (pct < 100) return `${trim(pct.toFixed(1))}%`;
  return '100%';
}

/** Counts: exact below 10,000, then compact (12.3k, 4.5M). */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const abs = Math.abs(n);
  if (abs < 10_000) return Math.round(n).toLocaleString('en-US');
  if (abs < 1_000_000) return `${trim((n / 1000).toFixed(1))}k`;
  if (abs < 1_000_000_000) return `${trim((n / 1_000_000).toFixed(2))}M`;
  return `${trim((n / 1_000_000_000).toFixed(2))}B`;
}

/** Nanoseconds-since-epoch string to epoch milliseconds (sub-ms precision is dropped). */
export function nanosToMs(ns: string): number {
  // Slicing the string keeps precision that Number(ns) / 1e6 would lose past 2^53.
  if (ns.length <= 6) return 0;
  return Number(ns.slice(0, -6));
}

/** Difference of two nanosecond strings, in (fractional) milliseconds. */
export function nanosDiffMs(later: string, earlier: string): number {
  return Number(BigInt(later) - BigInt(earlier)) / 1e6;
}

/** Relative age for list views: "12s ago", "5m ago", "3h ago", "2d ago". */
export function formatAge(ms: number, now: number): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86_400)}d ago`;
}

export function shortId(id: string, length = 8): string {
  return id.length > length ? id.slice(0, length) : id;
}

function trim(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * US dollars: cents and more with 2 decimals ($12.34, $1,234), and smaller amounts with 2
 * significant digits so that a single model call does not read as $0.00 ($0.0021).
 */
export function formatUsd(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return '—';
  if (usd < 0) return `-${formatUsd(-usd)}`;
  if (usd === 0) return '$0';
  if (usd < 0.000001) return '<$0.000001';
  // toPrecision stays in plain notation down to 1e-6.
  if (usd < 0.01) return `$${trim(usd.toPrecision(2))}`;
  if (usd < 10_000) return `$${usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  return `$${formatCount(usd)}`;
}

/**
 * A spend with its unpriced calls: the cost of the priced calls, marked when some calls could not
 * be priced (the sum is then not the bill), and "unpriced" when none could. Never "$0" for calls
 * that no price covers.
 */
export function formatSpend(usd: number, unpricedCalls: number): { text: string; title: string } {
  if (unpricedCalls > 0 && usd === 0) return { text: 'unpriced', title: `${unpricedCalls} model call(s) with no known price` };
  if (unpricedCalls > 0)
    return { text: `${formatUsd(usd)}+`, title: `${formatUsd(usd)} for priced calls, plus ${unpricedCalls} unpriced call(s)` };
  return { text: formatUsd(usd), title: formatUsd(usd) };
}

/**
 * Labels of a USD axis whose largest value is `max`, all in one unit so the ticks read as a scale:
 * cents below a dollar ("0.4¢ 0.8¢ 1.2¢", not "0.8¢ $0.01"), else dollars with the decimals the
 * step needs.
 */
export function usdAxisFormatter(max: number): (v: number) => string {
  if (max < 1) return (v) => (v === 0 ? '0¢' : `${trim((v * 100).toPrecision(2))}¢`);
  if (max < 100) return (v) => `$${trim(v.toFixed(2))}`;
  return (v) => `$${formatCount(v)}`;
}
