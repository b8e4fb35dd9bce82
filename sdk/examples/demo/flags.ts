/** The demo's command line, parsed and checked in one place. */
import { parseArgs } from 'node:util';

export const USAGE = `usage: pnpm demo [--sessions N] [--days D | --hours H] [--drift-after FRACTION|ISO-TIME]
                 [--live [--rate N] [--duration 10m] [--spike-at 2m [--spike-for 3m] [--spike-factor 5]]]
                 [--endpoint URL] [--seed N] [--no-content] [--quiet]`;

export interface DemoFlags {
  /** Sessions of backfilled history; 0 for none (live only). */
  sessions: number;
  spanMs: number;
  /** As given: a fraction of the backfill span or an ISO time, resolved against the span by the caller. */
  driftAfter: string | undefined;
  live: LiveFlags | undefined;
  endpoint: string | undefined;
  seed: number;
  noContent: boolean;
  quiet: boolean;
  help: boolean;
}

export interface LiveFlags {
  /** New sessions per second (Poisson arrivals). */
  rate: number;
  /** Stop after this long; until Ctrl-C when undefined. */
  durationMs: number | undefined;
  spike: { atMs: number; forMs: number; factor: number } | undefined;
}

export function parseFlags(argv: string[]): DemoFlags {
  // `pnpm demo -- --live` hands the script a literal `--`; without dropping it, parseArgs would
  // read every flag after it as a positional and refuse them.
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  const { values: v } = parseArgs({
    args,
    options: {
      sessions: { type: 'string', default: '400' },
      days: { type: 'string', default: '1' },
      hours: { type: 'string' },
      'drift-after': { type: 'string' },
      live: { type: 'boolean', default: false },
      rate: { type: 'string', default: '2' },
      duration: { type: 'string' },
      'spike-at': { type: 'string' },
      'spike-for': { type: 'string', default: '3m' },
      'spike-factor': { type: 'string', default: '5' },
      endpoint: { type: 'string' },
      seed: { type: 'string', default: '42' },
      'no-content': { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const liveOnly = ['rate', 'duration', 'spike-at'] as const;
  if (!v.live) {
    const misplaced = liveOnly.find((name) => args.includes(`--${name}`));
    if (misplaced) throw new Error(`--${misplaced} needs --live`);
  }
  const spikeOnly = ['spike-for', 'spike-factor'] as const;
  const orphan = v['spike-at'] === undefined && spikeOnly.find((name) => args.includes(`--${name}`));
  if (orphan) throw new Error(`--${orphan} needs --spike-at`);
  return {
    sessions: count(v.sessions, 'sessions'),
    spanMs: v.hours !== undefined ? positive(v.hours, 'hours') * 3_600_000 : positive(v.days, 'days') * 86_400_000,
    driftAfter: v['drift-after'],
    live: v.live
      ? {
          rate: positive(v.rate, 'rate'),
          durationMs: v.duration === undefined ? undefined : duration(v.duration, 'duration'),
          spike:
            v['spike-at'] === undefined
              ? undefined
              : {
                  atMs: duration(v['spike-at'], 'spike-at', true),
                  forMs: duration(v['spike-for'], 'spike-for'),
                  factor: positive(v['spike-factor'], 'spike-factor'),
                },
        }
      : undefined,
    endpoint: v.endpoint,
    seed: count(v.seed, 'seed'),
    noContent: v['no-content'],
    quiet: v.quiet,
    help: v.help,
  };
}

/** `90s`, `2m`, `1h`, `500ms`, or a bare number of seconds. */
export function duration(text: string | undefined, name: string, zeroOk = false): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text?.trim() ?? '');
  const ms = m ? Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'] : NaN;
  if (!Number.isFinite(ms) || ms < 0 || (ms === 0 && !zeroOk))
    throw new Error(`--${name} must be a duration like 90s, 2m or 1h, got ${text}`);
  return ms;
}

function count(text: string | undefined, name: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number`);
  return n;
}

function positive(text: string | undefined, name: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}
