/**
 * The views compute their day and minute in UTC: without a zone they used the server's, so the
 * same span got another summary day on a server in another zone. Queries stay in place (MODIFY
 * QUERY); rows written before keep their day, and readers look one day wider on each side.
 */
import { QUANTILES } from './003-rollups.js';

const ROOT_FIRST = `(s.parent_span_id != '', s.start_time)`;

export const TRACE_SUMMARIES_VIEW_UTC = `
ALTER TABLE trace_summaries_mv MODIFY QUERY
SELECT
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
  groupUniqArrayIf(if(s.response_model != '', toString(s.response_model), toString(s.request_model)), s.request_model != '' OR s.response_model != '') AS models
FROM spans AS s
GROUP BY day, trace_id`;

export const SESSION_SUMMARIES_VIEW_UTC = `
ALTER TABLE session_summaries_mv MODIFY QUERY
SELECT
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
  groupUniqArray(toString(s.service_name)) AS services
FROM spans AS s
WHERE s.session_id != ''
GROUP BY day, session_id`;

export const ROLLUPS_VIEW_UTC = `
ALTER TABLE span_rollups_1m_mv MODIFY QUERY
SELECT
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
  uniqIfState(s.session_id, s.session_id != '') AS sessions
FROM spans AS s
GROUP BY minute, service_name, environment, operation, agent_name, tool_name, model, is_root`;
