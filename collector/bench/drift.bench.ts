/**
 * Drift benchmark: (1) one drift report over 1,000,000 sessions of one agent, (2) the hourly check
 * of 20 agents (1,000,000 sessions in all). Sessions are generated inside ClickHouse straight into
 * drift_session_signals (the report's input; span ingestion is the ingest benchmark's business).
 * Run: pnpm --filter @sightline/collector run bench:drift
 */
import { DriftEngine } from '../src/drift/engine.js';
import { openMigrated, tempDataDir } from '../src/test-support/temp-storage.js';

const HOUR = 3_600_000;
const tmp = tempDataDir('sightline-drift-bench-');
const storage = await openMigrated(tmp.dir);
const end = Math.floor(Date.now() / HOUR) * HOUR;
const span = 7 * 24 * HOUR + 2 * HOUR;

async function seed(agents: number, sessions: number): Promise<number> {
  const t = Date.now();
  await storage.client.command({
    query: `
      INSERT INTO drift_session_signals (agent_name, start_time, session_key, trace_id, first_tool, tools, path, finish_reason,
        has_content, output_shape, refusal, output_length, outcome, steps, llm_calls, tool_calls, tokens, duration_ms, loops, retries)
      SELECT agent, ts, key, key, tools[1], tools, arrayStringConcat(tools, ' → '), if(h % 30 = 0, 'length', 'stop'),
        1, if(h % 50 = 0, 'text', 'json {answer, sources}'), toUInt8(h % 40 = 0), 200 + h % 600,
        if(h % 33 = 0, 'TimeoutError', 'ok'), length(tools), length(tools) + 1, length(tools), 1000 + h % 5000, 500 + h % 20000, 0, toUInt8(h % 33 = 0)
      FROM (
        SELECT concat('agent-', toString(number % {agents:UInt32})) AS agent,
          fromUnixTimestamp64Milli(toInt64({start:Int64} + intDiv(number * {span:Int64}, {n:UInt64}))) AS ts,
          hex(sipHash128(number)) AS key, sipHash64(number) AS h,
          arrayMap(i -> ['search_kb', 'lookup_order', 'refund', 'escalate'][1 + (sipHash64(number, i) % 4)], range(1 + h % 4)) AS tools
        FROM numbers({n:UInt64}))`,
    query_params: { agents, n: sessions, start: end - span, span },
  });
  return Date.now() - t;
}

try {
  const engine = new DriftEngine(storage.client);
  // The engine materializes from spans first; with no spans that is a no-op.
  console.log(`seeded 1,000,000 sessions of one agent in ${await seed(1, 1_000_000)} ms`);
  await engine.report('default', { agent: 'agent-0', to: end }, end + HOUR); // warm-up
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = Date.now();
    const r = await engine.report('default', { agent: 'agent-0', to: end }, end + HOUR);
    runs.push(Date.now() - t);
    if (i === 0)
      console.log(
        `  report: ${r.status}, ${r.baseline.sessions.toLocaleString('en-US')} baseline + ${r.current.sessions.toLocaleString('en-US')} current sessions`,
      );
  }
  console.log(
    `drift report over 1,000,000 sessions (trailing 7 d baseline vs 2 h window): ${runs.map((x) => `${x} ms`).join(', ')} (best ${Math.min(...runs)} ms)`,
  );

  await storage.client.command({ query: 'TRUNCATE TABLE drift_session_signals' });
  console.log(`seeded 20 agents × 50,000 sessions in ${await seed(20, 1_000_000)} ms`);
  await engine.checkAll('default', end);
  const checks: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = Date.now();
    const reports = await engine.checkAll('default', end - i * HOUR);
    checks.push(Date.now() - t);
    if (i === 0) console.log(`  ${reports.length} agents checked`);
  }
  console.log(`hourly check of 20 agents: ${checks.map((x) => `${x} ms`).join(', ')} (best ${Math.min(...checks)} ms)`);
} finally {
  await storage.close();
  tmp.remove();
}
