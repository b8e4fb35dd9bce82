/**
 * The alert form ⇄ the API's rule input, as pure functions (unit-tested): the form posts flat
 * fields; the collector validates the nested rule and names the field that is wrong.
 * Empty inputs are left out so the collector's defaults apply.
 */
import type { AlertRule, AlertRuleInput } from '@sightline/contract';

type Fields = Record<string, string>;

export const SCOPE_FIELDS = ['service', 'agent', 'operation', 'tool', 'model', 'environment'] as const;
const NUMBER_FIELDS = [
  'windowMinutes',
  'intervalSeconds',
  'minSamples',
  'forEvaluations',
  'resolveEvaluations',
  'hysteresisPercent',
] as const;

export function fieldsOf(form: FormData): Fields {
  const out: Fields = {};
  for (const [k, v] of form.entries()) if (typeof v === 'string') out[k] = v.trim();
  return out;
}

/** A number if the field has one; otherwise the raw text, so the collector reports it as invalid. */
function num(v: string | undefined): number | string | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : v;
}

export function ruleFromFields(f: Fields): AlertRuleInput {
  const kind = f.kind ?? 'latency';
  const condition =
    kind === 'latency'
      ? f.mode === 'baseline'
        ? { kind, percentile: f.percentile, mode: 'baseline', factor: num(f.factor) }
        : { kind, percentile: f.percentile, mode: 'absolute', thresholdMs: num(f.thresholdMs) }
      : kind === 'error_rate'
        ? { kind, thresholdPercent: num(f.thresholdPercent) }
        : kind === 'drift'
          ? { kind, ...(f.minSignals ? { minSignals: num(f.minSignals) } : {}) }
          : kind === 'spend'
            ? f.mode === 'baseline'
              ? { kind, mode: 'baseline', factor: num(f.factor) }
              : { kind, mode: 'absolute', thresholdUsd: num(f.thresholdUsd) }
            : kind === 'session_cost'
              ? { kind, percentile: f.percentile, thresholdUsd: num(f.thresholdUsd) }
              : kind === 'score'
                ? f.mode === 'baseline'
                  ? { kind, name: f.scoreName ?? '', mode: 'baseline', dropPercent: num(f.dropPercent) }
                  : { kind, name: f.scoreName ?? '', mode: 'absolute', below: num(f.below) }
                : { kind };
  const scope: Record<string, string | boolean> = {};
  for (const k of SCOPE_FIELDS) if (f[k]) scope[k] = f[k]!;
  if (f.rootOnly === 'on') scope.rootOnly = true;
  const channels: Array<Record<string, string>> = [];
  if (f.webhookUrl) channels.push({ type: 'webhook', url: f.webhookUrl, ...(f.webhookSecret ? { secret: f.webhookSecret } : {}) });
  if (f.slackUrl) channels.push({ type: 'slack', url: f.slackUrl });
  const numbers: Record<string, number | string> = {};
  for (const k of NUMBER_FIELDS) {
    const v = num(f[k]);
    if (v !== undefined) numbers[k] = v;
  }
  // The shape is checked by the collector (400 naming the field); the cast only satisfies the compiler.
  return {
    name: f.name ?? '',
    description: f.description ?? '',
    condition,
    scope,
    groupBy: f.groupBy || 'none',
    ...numbers,
    channels,
    muted: f.muted === 'on',
  } as unknown as AlertRuleInput;
}

/** The form's initial values for a new rule or an existing one. */
export function fieldsFromRule(rule?: AlertRule): Fields {
  if (!rule) {
    return {
      kind: 'latency',
      percentile: 'p95',
      mode: 'absolute',
      thresholdMs: '2000',
      windowMinutes: '5',
      intervalSeconds: '60',
      minSamples: '10',
      forEvaluations: '2',
      resolveEvaluations: '2',
      hysteresisPercent: '10',
      groupBy: 'none',
    };
  }
  const c = rule.condition;
  const f: Fields = {
    name: rule.name,
    description: rule.description,
    kind: c.kind,
    groupBy: rule.groupBy,
    windowMinutes: String(rule.windowMinutes),
    intervalSeconds: String(rule.intervalSeconds),
    minSamples: String(rule.minSamples),
    forEvaluations: String(rule.forEvaluations),
    resolveEvaluations: String(rule.resolveEvaluations),
    hysteresisPercent: String(rule.hysteresisPercent),
    percentile: c.kind === 'latency' || c.kind === 'session_cost' ? c.percentile : 'p95',
    mode: c.kind === 'latency' || c.kind === 'spend' || c.kind === 'score' ? c.mode : 'absolute',
    scoreName: c.kind === 'score' ? c.name : '',
    below: c.kind === 'score' && c.below !== undefined ? String(c.below) : '',
    dropPercent: c.kind === 'score' && c.dropPercent !== undefined ? String(c.dropPercent) : '',
    thresholdUsd: (c.kind === 'spend' || c.kind === 'session_cost') && c.thresholdUsd !== undefined ? String(c.thresholdUsd) : '',
    thresholdMs: c.kind === 'latency' && c.thresholdMs !== undefined ? String(c.thresholdMs) : '',
    factor: (c.kind === 'latency' || c.kind === 'spend') && c.factor !== undefined ? String(c.factor) : '',
    thresholdPercent: c.kind === 'error_rate' ? String(c.thresholdPercent) : '',
    minSignals: c.kind === 'drift' && c.minSignals !== undefined ? String(c.minSignals) : '',
    webhookUrl: rule.channels.find((ch) => ch.type === 'webhook')?.url ?? '',
    slackUrl: rule.channels.find((ch) => ch.type === 'slack')?.url ?? '',
    rootOnly: rule.scope.rootOnly ? 'on' : '',
    muted: rule.muted ? 'on' : '',
  };
  for (const k of SCOPE_FIELDS) f[k] = rule.scope[k] ?? '';
  return f;
}

/** The form field that shows a collector error: `condition.thresholdMs` → `thresholdMs`, `channels.0.url` → the channel's URL. */
export function formFieldOf(apiField: string | undefined, fields: Fields): string | undefined {
  if (!apiField) return undefined;
  const parts = apiField.split('.');
  if (parts[0] === 'condition' && parts[1] === 'name') return 'scoreName';
  if (parts[0] === 'condition' || parts[0] === 'scope') return parts[1] ?? parts[0];
  if (parts[0] === 'channels') {
    const index = Number(parts[1]);
    const order = [fields.webhookUrl ? 'webhook' : undefined, fields.slackUrl ? 'slack' : undefined].filter(Boolean);
    const prefix = order[index] === 'slack' ? 'slack' : 'webhook';
    return parts[2] === 'secret' ? 'webhookSecret' : `${prefix}Url`;
  }
  return parts[0];
}

/** "p95 latency > 2000 ms over 5 min" */
export function describeRule(rule: Pick<AlertRule, 'condition' | 'windowMinutes'>): string {
  const c = rule.condition;
  switch (c.kind) {
    case 'latency':
      return c.mode === 'baseline'
        ? `${c.percentile} latency > ${c.factor}× baseline, ${rule.windowMinutes} min`
        : `${c.percentile} latency > ${c.thresholdMs} ms, ${rule.windowMinutes} min`;
    case 'error_rate':
      return `error rate > ${c.thresholdPercent}%, ${rule.windowMinutes} min`;
    case 'no_data':
      return `no spans for ${rule.windowMinutes} min`;
    case 'drift':
      return c.minSignals === undefined ? 'drift detected' : `drift in ≥ ${c.minSignals} signals`;
    case 'spend':
      return c.mode === 'baseline'
        ? `spend > ${c.factor}× baseline, ${rule.windowMinutes} min`
        : `spend > $${c.thresholdUsd}, ${rule.windowMinutes} min`;
    case 'session_cost':
      return `${c.percentile} cost per session > $${c.thresholdUsd}, ${rule.windowMinutes} min`;
    case 'score':
      return c.mode === 'baseline'
        ? `mean ${c.name} ${c.dropPercent}% below its 7-day mean, ${rule.windowMinutes} min`
        : `mean ${c.name} < ${c.below}, ${rule.windowMinutes} min`;
  }
}
