/**
 * The query API's contract: request parameters and response bodies of traces, sessions, metrics,
 * filters and health. The collector validates with these; the dashboard reads with them.
 */
import { z } from 'zod';
import { DEFAULT_RANGE_MS, MAX_DURATION_MS, Nanos, TimeParam, text } from './common.js';
import { CostSource } from './cost.js';
import { parseSearch } from './search.js';

/**
 * `q` of the trace and session lists: the search syntax of search.ts. A query it cannot parse is
 * refused (400, field `q`) rather than searched for something the caller did not mean.
 */
export const SearchParam = text(200).superRefine((q, ctx) => {
  if (q.trim() === '') return;
  const parsed = parseSearch(q);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `search syntax: ${parsed.message}` });
});

/** Filters shared by every list and metrics endpoint. `from`/`to` default to the last hour. */
export const ScopeQuery = z.object({
  from: TimeParam.optional(),
  to: TimeParam.optional(),
  service: text(200).optional(),
  agent: text(200).optional(),
  environment: text(200).optional(),
});

/**
 * Lists filtered by a score: the traces (sessions) with a score `scoreName` whose value is within
 * [scoreMin, scoreMax] (either bound optional) or whose label is `scoreLabel`.
 */
const ScoreFilter = {
  scoreName: text(200).optional(),
  scoreMin: z.coerce.number().finite().optional(),
  scoreMax: z.coerce.number().finite().optional(),
  scoreLabel: text(200).optional(),
};

// ---------- traces ----------

export const TraceListQuery = ScopeQuery.extend({
  session: text(500).optional(),
  /** Traces that called this tool / this model (request or response model). */
  tool: text(200).optional(),
  model: text(200).optional(),
  status: z.enum(['ok', 'error']).optional(),
  minDurationMs: z.coerce.number().nonnegative().max(MAX_DURATION_MS).optional(),
  /** Search in the traces' content (search.ts): words, "phrases", input:, output:, tool:, attr.key=value; all must match. */
  q: SearchParam.optional(),
  /** `start`: newest first (default); `duration`: slowest first; `cost`: most expensive first. */
  sort: z.enum(['start', 'duration', 'cost']).default('start'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  /** Opaque cursor from a previous page's `nextCursor` (of the same sort). */
  cursor: text(200).optional(),
  ...ScoreFilter,
});
export type TraceListQuery = z.infer<typeof TraceListQuery>;

export const TraceSummary = z.object({
  traceId: z.string(),
  startTime: Nanos,
  endTime: Nanos,
  durationMs: z.number(),
  rootName: z.string(),
  serviceName: z.string(),
  sessionId: z.string(),
  agents: z.array(z.string()),
  tools: z.array(z.string()),
  models: z.array(z.string()),
  spanCount: z.number(),
  errorCount: z.number(),
  status: z.enum(['ok', 'error']),
  inputTokens: z.number(),
  outputTokens: z.number(),
  environment: z.string(),
  /** Spend of the trace's priced model calls, USD. */
  costUsd: z.number(),
  /** Model calls no source priced: not in costUsd (a partial sum, not the bill). */
  unpricedCalls: z.number(),
});
export type TraceSummary = z.infer<typeof TraceSummary>;

export const TraceList = z.object({
  traces: z.array(TraceSummary),
  nextCursor: z.string().nullable(),
});
export type TraceList = z.infer<typeof TraceList>;

export const SpanEvent = z.object({
  time: Nanos,
  name: z.string(),
  attributes: z.record(z.string(), z.string()),
});

export const SpanLink = z.object({
  traceId: z.string(),
  spanId: z.string(),
  attributes: z.record(z.string(), z.string()),
});

/** An OTLP log record tied to the span by trace and span id (GenAI content events fill input/output instead). */
export const SpanLog = z.object({
  time: Nanos,
  severityNumber: z.number(),
  severityText: z.string(),
  eventName: z.string(),
  /** A string body as sent; a structured body as JSON. */
  body: z.string(),
  attributes: z.record(z.string(), z.string()),
});
export type SpanLog = z.infer<typeof SpanLog>;

export const Span = z.object({
  traceId: z.string(),
  spanId: z.string(),
  parentSpanId: z.string(),
  name: z.string(),
  kind: z.string(),
  startTime: Nanos,
  endTime: Nanos,
  durationMs: z.number(),
  statusCode: z.enum(['UNSET', 'OK', 'ERROR']),
  statusMessage: z.string(),
  serviceName: z.string(),
  sessionId: z.string(),
  operation: z.string(),
  agentName: z.string(),
  toolName: z.string(),
  toolCallId: z.string(),
  requestModel: z.string(),
  responseModel: z.string(),
  provider: z.string(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  /** Parts of inputTokens / outputTokens priced at their own rates. */
  cacheReadTokens: z.number(),
  cacheWriteTokens: z.number(),
  reasoningTokens: z.number(),
  /** Cost of a model call in USD; null on other spans and on an unpriced call (costSource ''). */
  costUsd: z.number().nullable(),
  inputCostUsd: z.number().nullable(),
  outputCostUsd: z.number().nullable(),
  costSource: CostSource,
  finishReasons: z.array(z.string()),
  errorType: z.string(),
  environment: z.string(),
  release: z.string(),
  convention: z.string(),
  input: z.string(),
  output: z.string(),
  attributes: z.record(z.string(), z.string()),
  resourceAttributes: z.record(z.string(), z.string()),
  events: z.array(SpanEvent),
  links: z.array(SpanLink),
  logs: z.array(SpanLog),
});
export type Span = z.infer<typeof Span>;

export const TraceDetail = z.object({
  traceId: z.string(),
  spans: z.array(Span),
  /** Sum of the spans' costUsd, USD. */
  totalCostUsd: z.number(),
  /** Model calls among the spans that no source priced. */
  unpricedCalls: z.number(),
});
export type TraceDetail = z.infer<typeof TraceDetail>;

// ---------- sessions ----------

export const SessionListQuery = ScopeQuery.extend({
  /** Search in the sessions' content, as on traces; a query of one plain word also matches part of the session id. */
  q: SearchParam.optional(),
  status: z.enum(['ok', 'error']).optional(),
  /** `recent`: most recently active first (default); `cost`: most expensive first. */
  sort: z.enum(['recent', 'cost']).default('recent'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: text(200).optional(),
  ...ScoreFilter,
});
export type SessionListQuery = z.infer<typeof SessionListQuery>;

export const SessionSummary = z.object({
  sessionId: z.string(),
  firstSeen: Nanos,
  lastSeen: Nanos,
  durationMs: z.number(),
  traceCount: z.number(),
  spanCount: z.number(),
  errorCount: z.number(),
  llmCalls: z.number(),
  toolCalls: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  /** Spend of the session's priced model calls, USD. */
  costUsd: z.number(),
  unpricedCalls: z.number(),
  tools: z.array(z.string()),
  agents: z.array(z.string()),
  services: z.array(z.string()),
});
export type SessionSummary = z.infer<typeof SessionSummary>;

export const SessionList = z.object({
  sessions: z.array(SessionSummary),
  nextCursor: z.string().nullable(),
});
export type SessionList = z.infer<typeof SessionList>;

/** One agent step, tool call or model call in the order the agent took it. */
export const PathStep = z.object({
  traceId: z.string(),
  spanId: z.string(),
  startTime: Nanos,
  durationMs: z.number(),
  operation: z.string(),
  name: z.string(),
  agentName: z.string(),
  toolName: z.string(),
  model: z.string(),
  status: z.enum(['ok', 'error']),
});
export type PathStep = z.infer<typeof PathStep>;

export const SessionDetail = z.object({
  session: SessionSummary,
  /** The session's first 1,000 traces, earliest first; `session.traceCount` counts them all. */
  traces: z.array(TraceSummary).describe("The session's first 1,000 traces, earliest first; session.traceCount counts them all"),
  path: z.array(PathStep),
});
export type SessionDetail = z.infer<typeof SessionDetail>;

// ---------- metrics ----------

export const GroupBy = z.enum(['none', 'service', 'operation', 'agent', 'tool', 'model', 'environment']);
export type GroupBy = z.infer<typeof GroupBy>;

/** Series are returned with every bucket filled, so the bucket count bounds the response. */
export const MAX_METRIC_BUCKETS = 2_000;

export const MetricsQuery = ScopeQuery.extend({
  /** Bucket width in seconds; chosen from the range (about 60 buckets) when absent. At most 2,000 buckets over the range. */
  bucket: z.coerce
    .number()
    .int()
    .min(60)
    .max(86_400)
    .describe(`Bucket width in seconds; at most ${MAX_METRIC_BUCKETS} buckets over the range`)
    .optional(),
  groupBy: GroupBy.default('none'),
  operation: text(200).optional(),
  tool: text(200).optional(),
  model: text(200).optional(),
  /** Only root spans (one per trace): the latency of whole agent runs. */
  rootOnly: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
}).superRefine((q, ctx) => {
  if (q.bucket === undefined) return;
  const to = q.to ?? Date.now();
  const from = q.from ?? to - DEFAULT_RANGE_MS;
  if ((to - from) / 1000 / q.bucket > MAX_METRIC_BUCKETS) {
    ctx.addIssue({
      code: 'custom',
      path: ['bucket'],
      message: `gives more than ${MAX_METRIC_BUCKETS} buckets over the range: choose a wider bucket or a shorter range`,
    });
  }
});
export type MetricsQuery = z.input<typeof MetricsQuery>;

export const MetricValues = z.object({
  count: z.number(),
  errorCount: z.number(),
  errorRate: z.number(), // 0..1
  p50: z.number().nullable(), // milliseconds; null when no spans
  p90: z.number().nullable(),
  p95: z.number().nullable(),
  p99: z.number().nullable(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  /** Spend of priced model calls, USD (see MetricsResponse.costAttribution for agent and tool groups). */
  costUsd: z.number(),
  inputCostUsd: z.number(),
  outputCostUsd: z.number(),
  /** Model calls no source priced (not in costUsd). */
  unpricedCalls: z.number(),
});
export type MetricValues = z.infer<typeof MetricValues>;

export const MetricPoint = MetricValues.extend({
  /** Bucket start, epoch milliseconds. */
  time: z.number(),
});
export type MetricPoint = z.infer<typeof MetricPoint>;

export const MetricSeries = z.object({
  key: z.string(),
  points: z.array(MetricPoint),
});

export const MetricTotal = MetricValues.extend({
  key: z.string(),
  sessions: z.number(),
  traces: z.number(),
});
export type MetricTotal = z.infer<typeof MetricTotal>;

export const MetricsResponse = z.object({
  from: z.number(),
  to: z.number(),
  bucketSeconds: z.number(),
  groupBy: GroupBy,
  series: z.array(MetricSeries),
  totals: z.array(MetricTotal),
  /**
   * How costUsd is attributed to the groups: `direct`, the cost of the group's own model calls
   * (model, service, environment, operation, none); `traces`, for agents, the cost of the traces the
   * agent ran in, split evenly when a trace ran several agents; `steps`, for tools, the cost of the
   * model calls in the steps (parent spans) that called the tool, split evenly among the tools a
   * step called. Attributed shares sum to at most the total spend.
   */
  costAttribution: z.enum(['direct', 'traces', 'steps']),
});
export type MetricsResponse = z.infer<typeof MetricsResponse>;

// ---------- filter values (health: health.ts) ----------

export const FilterValues = z.object({
  services: z.array(z.string()),
  agents: z.array(z.string()),
  environments: z.array(z.string()),
  operations: z.array(z.string()),
  tools: z.array(z.string()),
  models: z.array(z.string()),
});
export type FilterValues = z.infer<typeof FilterValues>;
