/**
 * Agent spans generated inside ClickHouse (INSERT … SELECT from numbers()), shared by the search
 * and disk benchmarks: runs of 8 spans (agent, step, chat, tool, …) spread over 24 h, with prompts
 * and completions of 40–120 words from a 240-word vocabulary plus order and customer ids, tool
 * arguments and results as JSON, attributes and, on 1 span in 11, an event; 10% of the rows belong
 * to a second project (`other`).
 */
export const RARE_WORD = 'zanzibarite';
const DAY_MS = 86_400_000;

const VOCABULARY = `
account address agent answer apologize appointment approve assistant available balance billing book booking
broken call cancel card cart change charge check city claim code confirm contact cost coupon courier credit
customer damaged date deadline delay delivered delivery deposit describe detail discount dispute document
email error estimate exchange expected expire explain express fee field file find flight follow form
forward friday fulfil gift guarantee help history hold hotel identity immediately include invoice issue item
july june keep kitchen label language late ledger limit link list locate lost manager march member message
method missing monday money month move need night note notify number offer office online open option order
package paid parcel partial password payment pending phone pick plan please policy portal price priority
problem process product profile promise purchase quantity question quick receipt receive record refund
region register reject remind remove renew replace reply report request reservation reset resolve return
review route saturday schedule search seat second secure send service ship shipment shipping signature size
sorry status step stock store subscription summary sunday support system table tax team thanks thursday
ticket today tomorrow total track tracking transfer travel tuesday unable update upgrade urgent user verify
voucher wait wallet warehouse warranty wednesday week weight window wrong year yesterday zone
`
  .trim()
  .split(/\s+/);

/** A sentence of `count` words picked by a hash of the row and the word's position. */
const words = (seed: string, count: string) =>
  `arrayStringConcat(arrayMap(k -> vocab[1 + cityHash64(number, ${seed}, k) % length(vocab)], range(${count})), ' ')`;

/**
 * INSERT … SELECT of `count` spans numbered from `offset`, of a run of `total` spans starting at
 * `startMs` and spread over 24 h (or `spreadMs`); the rare word goes into the tool result of `rare`
 * rows. With `cost`, model calls carry a priced total_cost (the list benchmark sorts by it).
 */
export function insertBlock(
  offset: number,
  count: number,
  startMs: number,
  total: number,
  rare: number,
  opts: { spreadMs?: number; cost?: boolean } = {},
): string {
  const spread = opts.spreadMs ?? DAY_MS;
  const cost = opts.cost
    ? {
        columns: ', total_cost, cost_source',
        values: `,\n  if(role IN (2, 5), (input_tokens * 0.15 + output_tokens * 0.6) / 1000000, 0) AS total_cost,\n  if(role IN (2, 5), 'database', '') AS cost_source`,
      }
    : { columns: '', values: '' };
  // A multiple of 8, so that row k·rareEvery + 3 is a tool call (role 3) of some run.
  const rareEvery = Math.max(8, Math.floor(total / rare / 8) * 8);
  return `
INSERT INTO spans (project_id, trace_id, span_id, parent_span_id, name, kind, start_time, end_time, duration_ns, status_code,
  service_name, scope_name, session_id, operation, agent_name, tool_name, request_model, response_model, provider,
  input_tokens, output_tokens, input, output, span_attributes, resource_attributes, event_times, event_names, event_attributes${cost.columns})
SELECT
  if(trace % 10 = 9, 'other', 'default') AS project_id,
  lower(hex(cityHash64(trace, 'trace'))) || lower(hex(cityHash64(trace, 't2'))) AS trace_id,
  lower(hex(cityHash64(number, 'span'))) AS span_id,
  if(role = 0, '', lower(hex(cityHash64(trace * 8, 'span')))) AS parent_span_id,
  multiIf(role = 0, 'invoke_agent support-agent', role IN (1, 4), 'step', role IN (2, 5), 'chat gpt-4o-mini',
          role IN (3, 6), concat('execute_tool ', tool), 'retrieve documents') AS name,
  'INTERNAL' AS kind,
  fromUnixTimestamp64Milli(toInt64(${startMs} + (trace * 7919) % ${spread} + role * 700)) AS start_time,
  start_time + toIntervalMillisecond(300 + number % 900) AS end_time,
  toUInt64(dateDiff('millisecond', start_time, end_time)) * 1000000 AS duration_ns,
  if(number % 53 = 0, 'ERROR', 'OK') AS status_code,
  'support-bot' AS service_name, 'bench' AS scope_name,
  concat('session-', toString(intDiv(trace, 5))) AS session_id,
  multiIf(role = 0, 'invoke_agent', role IN (1, 4), 'step', role IN (2, 5), 'chat', role IN (3, 6), 'execute_tool', 'retrieval') AS operation,
  'support-agent' AS agent_name,
  if(role IN (3, 6), tool, '') AS tool_name,
  if(role IN (2, 5), 'gpt-4o-mini', '') AS request_model,
  if(role IN (2, 5), 'gpt-4o-mini-2024-07-18', '') AS response_model,
  if(role IN (2, 5), 'openai', '') AS provider,
  if(role IN (2, 5), 400 + number % 900, 0) AS input_tokens,
  if(role IN (2, 5), 40 + number % 300, 0) AS output_tokens,
  multiIf(role IN (2, 5), concat('[{"role":"system","content":"You are a support agent. ', ${words("'sys'", '12')},
            '"},{"role":"user","content":"', ${words("'in'", '40 + number % 80')}, ' order ord-', toString(order_no), '"}]'),
          role IN (3, 6), concat('{"order_id":"ord-', toString(order_no), '","customer":"cus-', toString(trace % 50000), '"}'),
          role = 0, concat('Customer cus-', toString(trace % 50000), ': ', ${words("'root'", '20')}), '') AS input,
  multiIf(role IN (2, 5), concat('[{"role":"assistant","content":"', ${words("'out'", '30 + number % 60')}, '"}]'),
          role IN (3, 6), concat('{"status":"', vocab[1 + number % 17], '","eta_days":', toString(number % 9), ',"note":"',
            ${words("'tool'", '10')}, if(number % ${rareEvery} = 3, ' ${RARE_WORD}', ''), '"}'),
          '') AS output,
  map('gen_ai.operation.name', operation, 'user.tier', ['free', 'pro', 'gold'][1 + trace % 3], 'sightline.step.index', toString(role)) AS span_attributes,
  map('service.name', 'support-bot', 'deployment.environment.name', 'production') AS resource_attributes,
  if(number % 11 = 0, [start_time], []) AS event_times,
  if(number % 11 = 0, ['gen_ai.choice'], []) AS event_names,
  if(number % 11 = 0, [map('finish_reason', 'stop', 'note', ${words("'ev'", '5')})], []) AS event_attributes${cost.values}
FROM (
  SELECT number, intDiv(number, 8) AS trace, number % 8 AS role,
    ['lookup_order', 'refund_payment', 'update_address', 'search_kb', 'send_email'][1 + number % 5] AS tool,
    cityHash64(trace, 'order') % 1000000 AS order_no,
    ${JSON.stringify(VOCABULARY).replace(/"/g, "'")} AS vocab
  FROM numbers(${offset}, ${count})
)
SETTINGS max_partitions_per_insert_block = 0, max_block_size = 65536`;
}
