/**
 * Fault-test support, run as its own process after the collector has exited (chDB: one engine per
 * process and data dir): opens the data dir with the embedded engine, reads without flushing or
 * inserting anything, writes the stored span ids to a file and prints the counts as JSON.
 *
 *   node --import tsx verify-main.ts <dataDir> <keysFile>
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { openStorage } from '../../storage/client.js';

async function main(): Promise<void> {
  const [dataDir, keysFile] = process.argv.slice(2);
  if (!dataDir || !keysFile) throw new Error('usage: verify-main.ts <dataDir> <keysFile>');
  const storage = await openStorage({ clickhouse: { kind: 'embedded', database: 'sightline' }, dataDir });
  try {
    const one = async (query: string): Promise<number> => {
      const rs = await storage.client.query({ query, format: 'JSONEachRow' });
      const [row] = await rs.json<Record<string, string | number>>();
      return Number(Object.values(row ?? {})[0] ?? 0);
    };
    // Rows, not FINAL: a duplicate that a merge has not folded yet must count.
    const rows = await one('SELECT count() FROM spans');
    const distinct = await one('SELECT uniqExact(trace_id, span_id) FROM spans');
    const duplicatedIds = await one(
      'SELECT count() FROM (SELECT trace_id, span_id FROM spans GROUP BY trace_id, span_id HAVING count() > 1)',
    );
    const traceSummarySpans = await one('SELECT sum(span_count) FROM trace_summaries');
    const sessionSummarySpans = await one('SELECT sum(span_count) FROM session_summaries');
    const distinctWithSession = await one("SELECT uniqExact(trace_id, span_id) FROM spans WHERE session_id != ''");
    const rs = await storage.client.query({
      query: "SELECT DISTINCT concat(trace_id, ':', span_id) AS k FROM spans",
      format: 'JSONCompactEachRow',
    });
    const out = createWriteStream(keysFile);
    for (const [k] of await rs.json<[string]>()) {
      if (!out.write(k + '\n')) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    process.stdout.write(
      JSON.stringify({ rows, distinct, duplicatedIds, traceSummarySpans, sessionSummarySpans, distinctWithSession }) + '\n',
    );
  } finally {
    await storage.close();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`verify failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
