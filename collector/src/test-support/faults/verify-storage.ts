/**
 * Fault-test support: what the data dir holds, compared with the ledger of acknowledged spans.
 * Runs verify-main.ts in its own process; call it only once the collector has exited.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectorDir } from './collector-process.js';

export interface StorageCheck {
  /** Rows in `spans` (not FINAL). */
  rows: number;
  distinct: number;
  /** Span ids present in more than one row. */
  duplicatedIds: number;
  /** sum(span_count) over trace_summaries / session_summaries. */
  traceSummarySpans: number;
  sessionSummarySpans: number;
  /** Distinct stored spans that carry a session id (what session_summaries should count). */
  distinctWithSession: number;
  acknowledged: number;
  /** Acknowledged with 2xx but not in `spans`. */
  lost: number;
  lostSample: string[];
  /** Row files left in the write-ahead log and in quarantine (diagnostics). */
  walFiles: number;
  quarantineFiles: number;
}

function countFiles(dir: string): number {
  return existsSync(dir) ? readdirSync(dir).length : 0;
}

export async function verifyStorage(dataDir: string, acknowledged: ReadonlySet<string>): Promise<StorageCheck> {
  const work = mkdtempSync(join(tmpdir(), 'sightline-verify-'));
  const keysFile = join(work, 'keys.txt');
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/test-support/faults/verify-main.ts', dataDir, keysFile], {
      cwd: collectorDir,
      env: { ...process.env, SIGHTLINE_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    if (code !== 0) throw new Error(`could not read the data dir (exit ${code}):\n${err.slice(-4000)}`);
    const counts = JSON.parse(out.trim().split('\n').pop()!) as Omit<
      StorageCheck,
      'acknowledged' | 'lost' | 'lostSample' | 'walFiles' | 'quarantineFiles'
    >;
    const stored = new Set(readFileSync(keysFile, 'utf8').split('\n').filter(Boolean));
    const lostSample: string[] = [];
    let lost = 0;
    for (const k of acknowledged) {
      if (stored.has(k)) continue;
      lost++;
      if (lostSample.length < 5) lostSample.push(k);
    }
    return {
      ...counts,
      acknowledged: acknowledged.size,
      lost,
      lostSample,
      walFiles: countFiles(join(dataDir, 'wal')),
      quarantineFiles: countFiles(join(dataDir, 'quarantine')),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The invariants every fault test ends with, as one list of broken ones (empty when all hold). */
export function brokenInvariants(c: StorageCheck): string[] {
  const broken: string[] = [];
  if (c.lost > 0) broken.push(`${c.lost} acknowledged spans are not stored (e.g. ${c.lostSample.join(', ')})`);
  if (c.rows !== c.distinct)
    broken.push(`${c.rows - c.distinct} duplicate rows in spans (${c.duplicatedIds} span ids stored more than once)`);
  if (c.traceSummarySpans !== c.distinct)
    broken.push(`trace_summaries count ${c.traceSummarySpans} spans for ${c.distinct} distinct stored`);
  if (c.sessionSummarySpans !== c.distinctWithSession) {
    broken.push(`session_summaries count ${c.sessionSummarySpans} spans for ${c.distinctWithSession} distinct stored with a session`);
  }
  return broken;
}
