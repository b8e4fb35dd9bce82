/** The alerts API contract: rules, their state, transition history and the delivery log. */
import { z } from 'zod';
import { NOT_WELL_FORMED, isWellFormed, text } from './common.js';

const label = text(200, { trim: true, min: 1 });

/** Which spans a rule looks at. Every field narrows; none means every span. */
export const AlertScope = z
  .object({
    service: label.optional(),
    agent: label.optional(),
    operation: label.optional(),
    tool: label.optional(),
    model: label.optional(),
    environment: label.optional(),
    /** Only root spans (one per trace): the latency of whole agent runs rather than of every step. */
    rootOnly: z.boolean().optional(),
  })
  .strict();
export type AlertScope = z.infer<typeof AlertScope>;

/** One state machine per value of this dimension (e.g. one per agent), or one for the whole scope. */
export const AlertGroupBy = z.enum(['none', 'service', 'agent', 'operation', 'tool', 'model', 'environment']);
export type AlertGroupBy = z.infer<typeof AlertGroupBy>;

export const Percentile = z.enum(['p50', 'p90', 'p95', 'p99']);
export type Percentile = z.infer<typeof Percentile>;

export const LatencyCondition = z
  .object({
    kind: z.literal('latency'),
    percentile: Percentile,
    /** `absolute`: above `thresholdMs`. `baseline`: above `factor` × the same percentile over the previous 7 days at the same hour. */
    mode: z.enum(['absolute', 'baseline']).default('absolute'),
    thresholdMs: z.number().positive().max(86_400_000).optional(),
    factor: z.number().gt(1).max(1000).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.mode === 'absolute' && c.thresholdMs === undefined)
      ctx.addIssue({ code: 'custom', path: ['thresholdMs'], message: 'required when mode is absolute' });
    if (c.mode === 'baseline' && c.factor === undefined)
      ctx.addIssue({ code: 'custom', path: ['factor'], message: 'required when mode is baseline' });
  });

export const ErrorRateCondition = z
  .object({
    kind: z.literal('error_rate'),
    /** Percentage of spans with status ERROR, 0–100. */
    thresholdPercent: z.number().min(0).max(100),
  })
  .strict();

/** Fires on the drift engine's verdict for the scope's agent. Evaluates to "no data" until a drift source is registered. */
export const DriftCondition = z
  .object({
    kind: z.literal('drift'),
    /** Fire only when at least this many signals drifted (tool mix, path length, output format…); any drift verdict when absent. */
    minSignals: z.number().int().min(1).max(100).optional(),
  })
  .strict();

/** Fires when the scope, seen during the previous 24 hours, sent no span during the window. */
export const NoDataCondition = z.object({ kind: z.literal('no_data') }).strict();

/**
 * Spend of the scope's model calls over the window, USD. `absolute`: above `thresholdUsd`.
 * `baseline`: above `factor` × the scope's own spend over a window as long, averaged over the same
 * hour of the previous 7 days. Spend per agent counts the traces the agent ran in (see
 * MetricsResponse.costAttribution); per model, service or environment the calls' own cost.
 */
export const SpendCondition = z
  .object({
    kind: z.literal('spend'),
    mode: z.enum(['absolute', 'baseline']).default('absolute'),
    thresholdUsd: z.number().positive().max(1e9).optional(),
    factor: z.number().gt(1).max(1000).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.mode === 'absolute' && c.thresholdUsd === undefined)
      ctx.addIssue({ code: 'custom', path: ['thresholdUsd'], message: 'required when mode is absolute' });
    if (c.mode === 'baseline' && c.factor === undefined)
      ctx.addIssue({ code: 'custom', path: ['factor'], message: 'required when mode is baseline' });
  });

/** A percentile of the cost per session, over the sessions active in the window (at least minSamples of them), above `thresholdUsd`. */
export const SessionCostCondition = z
  .object({
    kind: z.literal('session_cost'),
    percentile: Percentile.default('p95'),
    thresholdUsd: z.number().positive().max(1e9),
  })
  .strict();

/**
 * The mean of a score (contract/src/scores.ts) over the window, with at least minSamples numeric
 * scores. `absolute`: below `below`. `baseline`: more than `dropPercent` % below its own mean over
 * the 7 days before the window. Scoped to an agent through the traces it ran in.
 */
export const ScoreCondition = z
  .object({
    kind: z.literal('score'),
    name: text(200, { min: 1 }),
    mode: z.enum(['absolute', 'baseline']).default('absolute'),
    below: z.number().finite().optional(),
    dropPercent: z.number().gt(0).max(100).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.mode === 'absolute' && c.below === undefined)
      ctx.addIssue({ code: 'custom', path: ['below'], message: 'required when mode is absolute' });
    if (c.mode === 'baseline' && c.dropPercent === undefined)
      ctx.addIssue({ code: 'custom', path: ['dropPercent'], message: 'required when mode is baseline' });
  });

export const AlertCondition = z.discriminatedUnion('kind', [
  LatencyCondition,
  ErrorRateCondition,
  DriftCondition,
  NoDataCondition,
  SpendCondition,
  SessionCostCondition,
  ScoreCondition,
]);
export type AlertCondition = z.infer<typeof AlertCondition>;
export type AlertConditionKind = AlertCondition['kind'];

const httpUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .refine(isWellFormed, NOT_WELL_FORMED);

export const WebhookChannel = z
  .object({
    type: z.literal('webhook'),
    url: httpUrl,
    /** HMAC-SHA256 key of the `X-Sightline-Signature` header. Write-only: responses say `hasSecret`. On edit, omit to keep the stored one. */
    secret: text(200, { min: 16 }).optional(),
  })
  .strict();

export const SlackChannel = z.object({ type: z.literal('slack'), url: httpUrl }).strict();

export const AlertChannelInput = z.discriminatedUnion('type', [WebhookChannel, SlackChannel]);
export type AlertChannelInput = z.infer<typeof AlertChannelInput>;

/** A channel as the API shows it: the secret never leaves the collector. */
export const AlertChannel = z.object({
  type: z.enum(['webhook', 'slack']),
  url: z.string(),
  hasSecret: z.boolean(),
});
export type AlertChannel = z.infer<typeof AlertChannel>;

/** The body of create and edit. */
export const AlertRuleInput = z
  .object({
    name: text(200, { trim: true, min: 1 }),
    description: text(2000).default(''),
    condition: AlertCondition,
    scope: AlertScope.default({}),
    groupBy: AlertGroupBy.default('none'),
    /** Width of the evaluated window, in minutes of rollups (the current partial minute included). */
    windowMinutes: z.number().int().min(1).max(1440).default(5),
    /** How often the rule is evaluated. */
    intervalSeconds: z.number().int().min(10).max(3600).default(60),
    /** Fewer spans (sessions for session_cost) than this in the window is "no data": the condition does not hold. Ignored by no_data, drift and spend. */
    minSamples: z.number().int().min(0).max(1_000_000).default(10),
    /** Consecutive breaching evaluations before pending becomes firing (1 fires at once). */
    forEvaluations: z.number().int().min(1).max(60).default(2),
    /** Consecutive clear evaluations before firing becomes resolved. */
    resolveEvaluations: z.number().int().min(1).max(60).default(2),
    /** A firing rule clears only once the value falls this many percent below the threshold, so it does not flap around it. */
    hysteresisPercent: z.number().min(0).max(90).default(10),
    channels: z.array(AlertChannelInput).max(10).default([]),
    muted: z.boolean().default(false),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.condition.kind === 'drift' && r.scope.agent === undefined && r.groupBy !== 'agent') {
      ctx.addIssue({ code: 'custom', path: ['scope', 'agent'], message: 'a drift rule needs an agent (or groupBy agent)' });
    }
    if (r.condition.kind === 'score') {
      if (r.groupBy !== 'none') ctx.addIssue({ code: 'custom', path: ['groupBy'], message: 'a score rule does not group' });
      for (const k of ['service', 'environment', 'operation', 'tool', 'model', 'rootOnly'] as const)
        if (r.scope[k] !== undefined) ctx.addIssue({ code: 'custom', path: ['scope', k], message: 'a score rule is scoped by agent only' });
    }
    if (r.condition.kind === 'session_cost') {
      if (!['none', 'agent', 'service', 'environment'].includes(r.groupBy))
        ctx.addIssue({ code: 'custom', path: ['groupBy'], message: 'cost per session groups by agent, service or environment only' });
      for (const k of ['operation', 'tool', 'model', 'rootOnly'] as const)
        if (r.scope[k] !== undefined) ctx.addIssue({ code: 'custom', path: ['scope', k], message: 'not a scope of sessions' });
    }
    // Model calls rarely carry their agent's name, so an agent's spend is only known per trace.
    if (r.condition.kind === 'spend' && r.scope.agent !== undefined && !['none', 'agent'].includes(r.groupBy))
      ctx.addIssue({
        code: 'custom',
        path: ['groupBy'],
        message: "an agent's spend is counted per trace: with an agent scope, group by agent or nothing",
      });
    if (r.condition.kind === 'spend' && r.groupBy === 'agent') {
      for (const k of ['operation', 'tool', 'rootOnly'] as const)
        if (r.scope[k] !== undefined)
          ctx.addIssue({ code: 'custom', path: ['scope', k], message: 'spend per agent is counted per trace: this scope does not apply' });
    }
  });
export type AlertRuleInput = z.input<typeof AlertRuleInput>;
export type AlertRuleSpec = z.output<typeof AlertRuleInput>;

export const AlertStateName = z.enum(['ok', 'pending', 'firing', 'resolved']);
export type AlertStateName = z.infer<typeof AlertStateName>;

/** The current state of one rule for one scope key (the group value; '' without groupBy). */
export const AlertScopeState = z.object({
  scopeKey: z.string(),
  state: AlertStateName,
  /** Epoch ms of the last state change. */
  since: z.number(),
  value: z.number().nullable(),
  threshold: z.number().nullable(),
  lastEvaluatedAt: z.number(),
});
export type AlertScopeState = z.infer<typeof AlertScopeState>;

export const AlertRule = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  condition: AlertCondition,
  scope: AlertScope,
  groupBy: AlertGroupBy,
  windowMinutes: z.number(),
  intervalSeconds: z.number(),
  minSamples: z.number(),
  forEvaluations: z.number(),
  resolveEvaluations: z.number(),
  hysteresisPercent: z.number(),
  channels: z.array(AlertChannel),
  muted: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
  /** The worst state over the rule's scopes: firing > pending > resolved > ok. */
  state: AlertStateName,
  states: z.array(AlertScopeState),
});
export type AlertRule = z.infer<typeof AlertRule>;

export const AlertRuleList = z.object({ rules: z.array(AlertRule) });
export type AlertRuleList = z.infer<typeof AlertRuleList>;

export const AlertMuteBody = z.object({ muted: z.boolean() }).strict();

export const AlertTransition = z.object({
  id: z.string(),
  ruleId: z.string(),
  ruleName: z.string(),
  scopeKey: z.string(),
  from: AlertStateName,
  to: AlertStateName,
  /** Epoch ms of the evaluation that made the change. */
  at: z.number(),
  value: z.number().nullable(),
  threshold: z.number().nullable(),
  unit: z.string(),
});
export type AlertTransition = z.infer<typeof AlertTransition>;

export const AlertHistoryQuery = z.object({
  ruleId: text(100).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const AlertHistory = z.object({ transitions: z.array(AlertTransition) });
export type AlertHistory = z.infer<typeof AlertHistory>;

export const DeliveryStatus = z.enum(['pending', 'delivered', 'failed']);

export const AlertDelivery = z.object({
  id: z.string(),
  ruleId: z.string(),
  ruleName: z.string(),
  event: z.enum(['firing', 'resolved', 'test']),
  channelType: z.enum(['webhook', 'slack']),
  url: z.string(),
  status: DeliveryStatus,
  attempts: z.number(),
  lastError: z.string(),
  responseStatus: z.number(),
  createdAt: z.number(),
  updatedAt: z.number(),
  nextAttemptAt: z.number(),
});
export type AlertDelivery = z.infer<typeof AlertDelivery>;

export const AlertDeliveryQuery = AlertHistoryQuery;
export const AlertDeliveryList = z.object({ deliveries: z.array(AlertDelivery) });
export type AlertDeliveryList = z.infer<typeof AlertDeliveryList>;

export const AlertTestResult = z.object({ deliveries: z.array(AlertDelivery) });
export type AlertTestResult = z.infer<typeof AlertTestResult>;

export const AlertIdParam = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });
