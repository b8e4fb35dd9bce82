/** What every notification says, whatever the channel: the rule, the value, the threshold and a link. */
import type { AlertGroupBy, AlertScope } from '@sightline/contract';

export interface AlertNotification {
  /** Stable id of this notification on this channel; receivers can de-duplicate on it (sent as `X-Sightline-Delivery`). */
  id: string;
  event: 'firing' | 'resolved' | 'test';
  rule: { id: string; name: string };
  /** e.g. "p95 latency > 2000 ms". */
  condition: string;
  /** The rule's scope plus the group value of this state machine. */
  scope: AlertScope;
  scopeKey: string;
  groupBy: AlertGroupBy;
  value: number | null;
  threshold: number | null;
  unit: string;
  /** Epoch ms of the evaluation. */
  at: number;
  window: { from: number; to: number };
  /** The dashboard's trace list filtered to the scope and the window. */
  url: string;
}

/** A human sentence for text channels and logs. */
export function summary(n: AlertNotification): string {
  const where = scopeText(n);
  const value = n.value === null ? 'no data' : `${formatNumber(n.value)}${n.unit === '%' ? '%' : ` ${n.unit}`}`;
  const threshold = n.threshold === null ? '' : ` (threshold ${formatNumber(n.threshold)}${n.unit === '%' ? '%' : ` ${n.unit}`})`;
  const head = n.event === 'firing' ? 'FIRING' : n.event === 'resolved' ? 'RESOLVED' : 'TEST';
  return `[${head}] ${n.rule.name}${where ? ` — ${where}` : ''}: ${n.condition}; value ${value}${threshold}`;
}

/** "agent=x, service=y" plus the group value of this state machine, e.g. "agent=z". */
export function scopeText(n: Pick<AlertNotification, 'scope' | 'scopeKey' | 'groupBy'>): string {
  const parts = Object.entries(n.scope)
    .filter(([k, v]) => k !== 'rootOnly' && v !== undefined)
    .map(([k, v]) => `${k}=${String(v)}`);
  if (n.groupBy !== 'none') parts.push(`${n.groupBy}=${n.scopeKey}`);
  return parts.join(', ');
}

export function formatNumber(v: number): string {
  return Math.abs(v) >= 100 ? String(Math.round(v)) : String(Math.round(v * 100) / 100);
}

/** Dashboard link: trace list filtered to the scope and the evaluated window (the dashboard's URL params). */
export function dashboardLink(base: string, scope: AlertScope, window: { from: number; to: number }): string {
  const url = new URL('/traces', base);
  url.searchParams.set('from', String(window.from));
  url.searchParams.set('to', String(window.to));
  for (const key of ['service', 'agent', 'environment'] as const) {
    const v = scope[key];
    if (v !== undefined) url.searchParams.set(key, v);
  }
  return url.toString();
}
