/**
 * Cost in dollars (pricing/): each model-call span carries its input, output and total cost in USD,
 * where it came from (`cost_source`: reported, custom, database, or '' when unpriced) and the cache
 * and reasoning parts of its tokens. Trace and session summaries and the minute rollups sum the cost
 * and count the unpriced model calls, so every view and alert reads spend without scanning spans; the
 * drift signals get each session's cost. The views' queries change in place (MODIFY QUERY): they are
 * migration 11's (project_id carried and grouped by) plus the cost columns.
 *
 * Money is Float64 USD: sums stay exact to far below a cent at any realistic volume (53-bit
 * mantissa: a billion dollars to 1e-7 $), corrections by a recompute are plain negative deltas, and
 * the value travels in JSON as a number. A Decimal would bound the per-value range for no visible
 * gain, and its sums widen to 128-bit types on every read.
 */
import { MODEL_CALL_OPERATIONS } from '../span-row.js';
import { QUANTILES } from './003-rollups.js';

const ROOT_FIRST = `(s.parent_span_id != '', s.start_time)`;
const MODEL_CALLS = `(${MODEL_CALL_OPERATIONS.map((o) => `'${o}'`).join(', ')})`;
/** A model call that no source priced. */
export const UNPRICED = `s.operation IN ${MODEL_CALLS} AND s.cost_source = ''`;

export const SPANS_ADD_COST = `
ALTER TABLE spans
  ADD COLUMN IF NOT EXISTS cache_read_tokens UInt64 DEFAULT 0 CODEC(T64, ZSTD(1)),
  ADD COLUMN IF NOT EXISTS cache_write_tokens UInt64 DEFAULT 0 CODEC(T64, ZSTD(1)),
  ADD COLUMN IF NOT EXISTS reasoning_tokens UInt64 DEFAULT 0 CODEC(T64, ZSTD(1)),
  ADD COLUMN IF NOT EXISTS input_cost Float64 DEFAULT 0 CODEC(ZSTD(1)),
  ADD COLUMN IF NOT EXISTS output_cost Float64 DEFAULT 0 CODEC(ZSTD(1)),
  ADD COLUMN IF NOT EXISTS total_cost Float64 DEFAULT 0 CODEC(ZSTD(1)),
  ADD COLUMN IF NOT EXISTS cost_source LowCardinality(String) DEFAULT ''`;

export const TRACE_SUMMARIES_ADD_COST = `
ALTER TABLE trace_summaries
  ADD COLUMN IF NOT EXISTS total_cost SimpleAggregateFunction(sum, Float64),
  ADD COLUMN IF NOT EXISTS unpriced_calls SimpleAggregateFunction(sum, UInt64)`;

export const SESSION_SUMMARIES_ADD_COST = `
ALTER TABLE session_summaries
  ADD COLUMN IF NOT EXISTS total_cost SimpleAggregateFunction(sum, Float64),
  ADD COLUMN IF NOT EXISTS unpriced_calls SimpleAggregateFunction(sum, UInt64)`;

export const ROLLUPS_ADD_COST = `
ALTER TABLE span_rollups_1m
  ADD COLUMN IF NOT EXISTS input_cost SimpleAggregateFunction(sum, Float64),
  ADD COLUMN IF NOT EXISTS output_cost SimpleAggregateFunction(sum, Float64),
  ADD COLUMN IF NOT EXISTS total_cost SimpleAggregateFunction(sum, Float64),
  ADD COLUMN IF NOT EXISTS unpriced_calls SimpleAggregateFunction(sum, UInt64)`;

export const DRIFT_SIGNALS_ADD_COST = `ALTER TABLE drift_session_signals ADD COLUMN IF NOT EXISTS cost Float64 DEFAULT 0`;
// The staging twin must keep the structure of drift_session_signals for REPLACE PARTITION.
export const DRIFT_STAGING_ADD_COST = `ALTER TABLE drift_session_signals_staging ADD COLUMN IF NOT EXISTS cost Float64 DEFAULT 0`;

export const TRACE_SUMMARIES_VIEW_COST = `
ALTER TABLE trace_summaries_mv MODIFY QUERY
SELECT
  s.project_id AS project_id,
  toDate(s.start_time, 'UTC') AS day,
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
  groupUniqArray(toString(s.service_name)) AS services,
  groupUniqArrayIf(toString(s.tool_name), s.tool_name != '') AS tools,
  groupUniqArrayIf(if(s.response_model != '', toString(s.response_model), toString(s.request_model)), s.request_model != '' OR s.response_model != '') AS models,
  sum(s.total_cost) AS total_cost,
  toUInt64(countIf(${UNPRICED})) AS unpriced_calls
FROM spans AS s
GROUP BY project_id, day, trace_id`;

export const SESSION_SUMMARIES_VIEW_COST = `
ALTER TABLE session_summaries_mv MODIFY QUERY
SELECT
  s.project_id AS project_id,
  toDate(s.start_time, 'UTC') AS day,
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
  groupUniqArray(toString(s.service_name)) AS services,
  sum(s.total_cost) AS total_cost,
  toUInt64(countIf(${UNPRICED})) AS unpriced_calls
FROM spans AS s
WHERE s.session_id != ''
GROUP BY project_id, day, session_id`;

export const ROLLUPS_VIEW_COST = `
ALTER TABLE span_rollups_1m_mv MODIFY QUERY
SELECT
  s.project_id AS project_id,
  toStartOfMinute(s.start_time, 'UTC') AS minute,
  s.service_name AS service_name,
  s.environment AS environment,
  s.operation AS operation,
  s.agent_name AS agent_name,
  s.tool_name AS tool_name,
  if(s.response_model != '', s.response_model, s.request_model) AS model,
  toUInt8(s.parent_span_id = '') AS is_root,
  toUInt64(count()) AS span_count,
  toUInt64(countIf(s.status_code = 'ERROR')) AS error_count,
  sum(s.duration_ns) AS duration_sum,
  sum(s.input_tokens) AS input_tokens,
  sum(s.output_tokens) AS output_tokens,
  quantilesTDigestState(${QUANTILES})(s.duration_ns) AS duration_quantiles,
  uniqIfState(s.session_id, s.session_id != '') AS sessions,
  sum(s.input_cost) AS input_cost,
  sum(s.output_cost) AS output_cost,
  sum(s.total_cost) AS total_cost,
  toUInt64(countIf(${UNPRICED})) AS unpriced_calls
FROM spans AS s
GROUP BY project_id, minute, service_name, environment, operation, agent_name, tool_name, model, is_root`;
