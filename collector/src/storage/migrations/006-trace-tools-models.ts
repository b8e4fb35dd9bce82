/**
 * Trace summaries learn which tools and models a trace used, so the trace list can be filtered by
 * tool and model (the overview's breakdown rows link there). The view's query changes in place
 * (MODIFY QUERY), so no insert is ever without a view on a live server.
 */
const ROOT_FIRST = `(s.parent_span_id != '', s.start_time)`;

export const TRACE_SUMMARIES_ADD_TOOLS = `
ALTER TABLE trace_summaries ADD COLUMN IF NOT EXISTS tools SimpleAggregateFunction(groupUniqArrayArray, Array(String))`;

export const TRACE_SUMMARIES_ADD_MODELS = `
ALTER TABLE trace_summaries ADD COLUMN IF NOT EXISTS models SimpleAggregateFunction(groupUniqArrayArray, Array(String))`;

export const TRACE_SUMMARIES_VIEW_V2 = `
ALTER TABLE trace_summaries_mv MODIFY QUERY
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
  groupUniqArray(toString(s.service_name)) AS services,
  groupUniqArrayIf(toString(s.tool_name), s.tool_name != '') AS tools,
  groupUniqArrayIf(if(s.response_model != '', toString(s.response_model), toString(s.request_model)), s.request_model != '' OR s.response_model != '') AS models
FROM spans AS s
GROUP BY day, trace_id`;
