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
import { insertBlock, RARE_WORD } from './span-generator.js';

const SPANS = Number(process.env.SIGHTLINE_SEARCH_SPANS ?? 10_000_000);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const RARE = Number(process.env.RARE ?? 5);
const VARIANT = process.env.SIGHTLINE_SEARCH_INDEX ?? 'text';
const BLOCK = 1_000_000;
const DAY_MS = 86_400_000;

/** Bench-only alternatives to the migration's index, on the same expression (the query is unchanged). */
const ALTERNATIVES: Record<string, string> = {
  tokenbf: 'TYPE tokenbf_v1(32768, 3, 0) GRANULARITY 1',
  ngrambf: 'TYPE ngrambf_v1(4, 65536, 3, 0) GRANULARITY 1',
};

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
      await client.command({ query: insertBlock(offset, Math.min(BLOCK, SPANS - offset), startMs, SPANS, RARE) });
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
