/**
 * Trace and session summaries, kept by materialized views so list pages never scan raw spans.
 * Spans of one trace arrive in many inserts; each insert adds a partial row that AggregatingMergeTree
 * folds together on merge. Readers must always GROUP BY the key (a trace crossing midnight keeps one
 * row per day partition).
 */
const ROOT_FIRST = `(s.parent_span_id != '', s.start_time)`;

export const TRACE_SUMMARIES_TABLE = `
CREATE TABLE IF NOT EXISTS trace_summaries (
  day Date,
  trace_id String,
  start_time SimpleAggregateFunction(min, DateTime64(9)),
  end_time SimpleAggregateFunction(max, DateTime64(9)),
  root_name AggregateFunction(argMin, String, Tuple(UInt8, DateTime64(9))),
  root_service AggregateFunction(argMin, String, Tuple(UInt8, DateTime64(9))),
  span_count SimpleAggregateFunction(sum, UInt64),
  error_count SimpleAggregateFunction(sum, UInt64),
  input_tokens SimpleAggregateFunction(sum, UInt64),
  output_tokens SimpleAggregateFunction(sum, UInt64),
  session_id SimpleAggregateFunction(max, String),
  environment SimpleAggregateFunction(max, String),
  release SimpleAggregateFunction(max, String),
  agents SimpleAggregateFunction(groupUniqArrayArray, Array(String)),
  services SimpleAggregateFunction(groupUniqArrayArray, Array(String))
)
ENGINE = AggregatingMergeTree
PARTITION BY day
ORDER BY trace_id
SETTINGS non_replicated_deduplication_window = 1000, ttl_only_drop_parts = 1`;

export const TRACE_SUMMARIES_VIEW = `
CREATE MATERIALIZED VIEW IF NOT EXISTS trace_summaries_mv TO trace_summaries AS
SELECT
  toDate(s.start_time) AS day,
  s.trace_id AS trace_id,
  min(s.start_time) AS start_time,
  max(s.end_time) AS end_time,
  argMinState(s.name, ${ROOT_FIRST}) AS root_name,
  argMinState(toString(s.service_name), ${ROOT_FIRST}) AS root_service,
  toUInt64(count()) AS span_count,
  toUInt64(countIf(s.status_code = 'ERROR')) AS error_count,
  sum(s.input_tokens) AS input_tokens,
  sum(s.output_tokens) AS output_tokens,
  max(s.session_id) AS session_id,
  max(toString(s.environment)) AS environment,
  max(toString(s.release)) AS release,
  groupUniqArrayIf(toString(s.agent_name), s.agent_name != '') AS agents,
  groupUniqArray(toString(s.service_name)) AS services
FROM spans AS s
GROUP BY day, trace_id`;

export const SESSION_SUMMARIES_TABLE = `
CREATE TABLE IF NOT EXISTS session_summaries (
  day Date,
  session_id String,
  first_seen SimpleAggregateFunction(min, DateTime64(9)),
  last_seen SimpleAggregateFunction(max, DateTime64(9)),
  traces AggregateFunction(uniqExact, String),
  span_count SimpleAggregateFunction(sum, UInt64),
  error_count SimpleAggregateFunction(sum, UInt64),
  llm_calls SimpleAggregateFunction(sum, UInt64),
  tool_calls SimpleAggregateFunction(sum, UInt64),
  input_tokens SimpleAggregateFunction(sum, UInt64),
  output_tokens SimpleAggregateFunction(sum, UInt64),
  environment SimpleAggregateFunction(max, String),
  tools SimpleAggregateFunction(groupUniqArrayArray, Array(String)),
  agents SimpleAggregateFunction(groupUniqArrayArray, Array(String)),
  services SimpleAggregateFunction(groupUniqArrayArray, Array(String))
)
ENGINE = AggregatingMergeTree
PARTITION BY day
ORDER BY session_id
SETTINGS non_replicated_deduplication_window = 1000, ttl_only_drop_parts = 1`;

export const SESSION_SUMMARIES_VIEW = `
CREATE MATERIALIZED VIEW IF NOT EXISTS session_summaries_mv TO session_summaries AS
SELECT
  toDate(s.start_time) AS day,
  s.session_id AS session_id,
  min(s.start_time) AS first_seen,
  max(s.end_time) AS last_seen,
  uniqExactState(s.trace_id) AS traces,
  toUInt64(count()) AS span_count,
  toUInt64(countIf(s.status_code = 'ERROR')) AS error_count,
  toUInt64(countIf(s.operation IN ('chat', 'text_completion', 'generate_content'))) AS llm_calls,
  toUInt64(countIf(s.operation = 'execute_tool')) AS tool_calls,
  sum(s.input_tokens) AS input_tokens,
  sum(s.output_tokens) AS output_tokens,
  max(toString(s.environment)) AS environment,
  groupUniqArrayIf(toString(s.tool_name), s.tool_name != '') AS tools,
  groupUniqArrayIf(toString(s.agent_name), s.agent_name != '') AS agents,
  groupUniqArray(toString(s.service_name)) AS services
FROM spans AS s
WHERE s.session_id != ''
GROUP BY day, session_id`;
