/**
 * Search inside content (issue 17): a last-24h `q` search over N spans, timed with the search
 * index and with the index switched off (`use_skip_indexes = 0`), in the same run and on the same
 * data, reported as a ratio.
 *
 * The spans are generated inside ClickHouse (INSERT … SELECT from numbers(), in blocks): agent runs
 * of 8 spans (agent, step, chat, tool, …) spread over the last 24 h, with prompts and completions
 * of 40–120 words from a 240-word vocabulary plus order and customer ids, tool arguments and
 * results as JSON, attributes and, on some spans, an event; 10% of the rows belong to a second
 * project. One rare word is planted in the tool result of RARE rows (of either project: the other project's
 * hits must not count).
 *
 * The query is the search step the trace list runs (queries/search.ts, `matchingIds`): the ids of
 * the traces whose spans match, for the rare word, a field-scoped rare word, and the rare word AND
 * a common word. Medians of ROUNDS runs, alternating index on / off.
 *
 *   pnpm --filter @sightline/collector bench:search   [SIGHTLINE_SEARCH_SPANS=10000000 ROUNDS=5 RARE=5]
 *   SIGHTLINE_SEARCH_INDEX=tokenbf|ngrambf   measures that index type instead of the migration's (text)
 *   SIGHTLINE_SEARCH_INDEX=none              no search index: the load time without it (no queries)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../src/storage/client.js';
import { migrate } from '../src/storage/migrate.js';
import { SEARCH_DOC } from '../src/storage/migrations/016-search-index.js';
import { matchingIds, SEARCH_SLACK_MS, spanSearch } from '../src/storage/queries/search.js';

const SPANS = Number(process.env.SIGHTLINE_SEARCH_SPANS ?? 10_000_000);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const RARE = Number(process.env.RARE ?? 5);
const VARIANT = process.env.SIGHTLINE_SEARCH_INDEX ?? 'text';
const BLOCK = 1_000_000;
const RARE_WORD = 'zanzibarite';
const DAY_MS = 86_400_000;

/** Bench-only alternatives to the migration's index, on the same expression (the query is unchanged). */
const ALTERNATIVES: Record<string, string> = {
  tokenbf: 'TYPE tokenbf_v1(32768, 3, 0) GRANULARITY 1',
  ngrambf: 'TYPE ngrambf_v1(4, 65536, 3, 0) GRANULARITY 1',
};

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

/** INSERT … SELECT of `count` spans numbered from `offset`; the rare word goes into the tool result of RARE rows. */
function insertBlock(offset: number, count: number, startMs: number): string {
  // A multiple of 8, so that row k·rareEvery + 3 is a tool call (role 3) of some run.
  const rareEvery = Math.max(8, Math.floor(SPANS / RARE / 8) * 8);
  return `
INSERT INTO spans (project_id, trace_id, span_id, parent_span_id, name, kind, start_time, end_time, duration_ns, status_code,
  service_name, scope_name, session_id, operation, agent_name, tool_name, request_model, response_model, provider,
  input_tokens, output_tokens, input, output, span_attributes, resource_attributes, event_times, event_names, event_attributes)
SELECT
  if(trace % 10 = 9, 'other', 'default') AS project_id,
  lower(hex(cityHash64(trace, 'trace'))) || lower(hex(cityHash64(trace, 't2'))) AS trace_id,
  lower(hex(cityHash64(number, 'span'))) AS span_id,
  if(role = 0, '', lower(hex(cityHash64(trace * 8, 'span')))) AS parent_span_id,
  multiIf(role = 0, 'invoke_agent support-agent', role IN (1, 4), 'step', role IN (2, 5), 'chat gpt-4o-mini',
          role IN (3, 6), concat('execute_tool ', tool), 'retrieve documents') AS name,
  'INTERNAL' AS kind,
  fromUnixTimestamp64Milli(toInt64(${startMs} + (trace * 7919) % ${DAY_MS} + role * 700)) AS start_time,
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
  if(number % 11 = 0, [map('finish_reason', 'stop', 'note', ${words("'ev'", '5')})], []) AS event_attributes
FROM (
  SELECT number, intDiv(number, 8) AS trace, number % 8 AS role,
    ['lookup_order', 'refund_payment', 'update_address', 'search_kb', 'send_email'][1 + number % 5] AS tool,
    cityHash64(trace, 'order') % 1000000 AS order_no,
    ${JSON.stringify(VOCABULARY).replace(/"/g, "'")} AS vocab
  FROM numbers(${offset}, ${count})
)
SETTINGS max_partitions_per_insert_block = 0, max_block_size = 65536`;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-search-bench-'));
  const storage = await openStorage({ clickhouse: { kind: 'embedded', database: 'sightline' }, dataDir: dir } as never);
  const { client } = storage;
  const scalar = async (query: string, params: Record<string, unknown> = {}) => {
    const rs = await client.query({ query, query_params: params, format: 'JSONEachRow' });
    return Object.values((await rs.json<Record<string, unknown>>())[0] ?? {})[0];
  };
  try {
    await migrate(client);
    const alternative = ALTERNATIVES[VARIANT];
    if (VARIANT !== 'text' && VARIANT !== 'none' && alternative === undefined) throw new Error(`unknown SIGHTLINE_SEARCH_INDEX ${VARIANT}`);
    if (VARIANT !== 'text') await client.command({ query: 'ALTER TABLE spans DROP INDEX idx_search' });
    if (alternative !== undefined) await client.command({ query: `ALTER TABLE spans ADD INDEX idx_search ${SEARCH_DOC} ${alternative}` });
    const now = Date.now();
    const startMs = now - DAY_MS + 60_000;
    const t0 = performance.now();
    // The engine runs in this process: its CPU time is the load's cost, which a busy machine's
    // wall time hides (the index's share of ingest: compare with SIGHTLINE_SEARCH_INDEX=none).
    const cpu0 = process.cpuUsage();
    for (let offset = 0; offset < SPANS; offset += BLOCK) {
      await client.command({ query: insertBlock(offset, Math.min(BLOCK, SPANS - offset), startMs) });
    }
    const loadS = (performance.now() - t0) / 1000;
    const loadCpu = process.cpuUsage(cpu0);
    const loadCpuS = (loadCpu.user + loadCpu.system) / 1e6;
    const t1 = performance.now();
    await client.command({ query: 'OPTIMIZE TABLE spans FINAL' });
    const optimizeS = (performance.now() - t1) / 1000;
    const sizes = (
      await (
        await client.query({
          query: `SELECT
            (SELECT sum(data_compressed_bytes) FROM system.parts WHERE database = currentDatabase() AND table = 'spans' AND active) AS table_bytes,
            (SELECT sum(data_compressed_bytes) FROM system.data_skipping_indices WHERE database = currentDatabase() AND table = 'spans' AND name = 'idx_search') AS index_bytes,
            (SELECT count() FROM system.parts WHERE database = currentDatabase() AND table = 'spans' AND active) AS parts`,
          format: 'JSONEachRow',
        })
      ).json<{ table_bytes: string; index_bytes: string; parts: string }>()
    )[0]!;

    const cases = [
      { label: `rare word (${RARE_WORD})`, q: RARE_WORD },
      { label: `output:${RARE_WORD}`, q: `output:${RARE_WORD}` },
      { label: `${RARE_WORD} AND refund`, q: `${RARE_WORD} refund` },
    ];
    console.log(
      `${SPANS.toLocaleString('en')} spans over the last 24 h (index: ${VARIANT}), loaded in ${loadS.toFixed(1)} s (${loadCpuS.toFixed(1)} s of CPU), merged in ${optimizeS.toFixed(1)} s;` +
        ` spans ${(Number(sizes.table_bytes) / 2 ** 20).toFixed(0)} MiB compressed in ${sizes.parts} parts, search index ${(Number(sizes.index_bytes) / 2 ** 20).toFixed(1)} MiB`,
    );
    for (const c of VARIANT === 'none' ? [] : cases) {
      const search = spanSearch(c.q)!;
      const sql = `SELECT count() AS traces FROM (${matchingIds(search, 'trace_id')})`;
      const params = { ...search.params, projectId: 'default', from: now - DAY_MS, searchTo: now + SEARCH_SLACK_MS };
      const time = async (useIndex: 0 | 1) => {
        const start = performance.now();
        // Off means off: no skip index, and no direct read of the text index in place of the column.
        // No cache either: the query condition cache would remember the granules a previous run
        // kept and skip the rest without any index.
        const settings =
          `use_skip_indexes = ${useIndex}, query_plan_direct_read_from_text_index = ${useIndex}, ` +
          'use_query_cache = 0, use_query_condition_cache = 0';
        const n = await scalar(`${sql} SETTINGS ${settings}`, params);
        return { ms: performance.now() - start, n: Number(n) };
      };
      await time(1); // warm-up: marks and index files into the cache, both ways
      await time(0);
      const on: number[] = [];
      const off: number[] = [];
      let found = -1;
      for (let r = 0; r < ROUNDS; r++) {
        const a = await time(1);
        const b = await time(0);
        if (a.n !== b.n) throw new Error(`${c.label}: ${a.n} traces with the index, ${b.n} without`);
        found = a.n;
        on.push(a.ms);
        off.push(b.ms);
      }
      const mOn = median(on);
      const mOff = median(off);
      console.log(
        `  ${c.label.padEnd(28)} ${String(found).padStart(3)} traces   index ${mOn.toFixed(0).padStart(6)} ms   no index ${mOff.toFixed(0).padStart(6)} ms   ${(mOff / mOn).toFixed(1)}× faster`,
      );
    }
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
