/**
 * Fault-test support: the knobs of the fault tests. `pnpm test` runs the short profile; `pnpm faults`
 * sets SIGHTLINE_FAULTS_PROFILE=long. Any single knob can be overridden from the environment.
 */
const long = process.env.SIGHTLINE_FAULTS_PROFILE === 'long';

function num(name: string, short: number, longValue: number): number {
  const raw = process.env[name];
  if (raw !== undefined && raw !== '') {
    const v = Number(raw);
    if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a non-negative number, got ${raw}`);
    return v;
  }
  return long ? longValue : short;
}

export const knobs = {
  profile: long ? 'long' : 'short',
  /** Seed of the PRNG that places the kills (printed by the test, so a run can be repeated). */
  seed: num('SIGHTLINE_FAULTS_SEED', Date.now() % 2 ** 31, Date.now() % 2 ** 31),
  kills: num('SIGHTLINE_FAULTS_KILLS', 4, 20),
  /** Seconds of load between two kills, at most (each gap is random in [1 s, this]). */
  killGapS: num('SIGHTLINE_FAULTS_KILL_GAP_S', 4, 8),
  /** Seconds of load before the disk is filled, while it is full, and after it is freed. */
  diskLoadS: num('SIGHTLINE_FAULTS_DISK_LOAD_S', 3, 30),
  diskFullS: num('SIGHTLINE_FAULTS_DISK_FULL_S', 6, 60),
  diskRecoverS: num('SIGHTLINE_FAULTS_DISK_RECOVER_S', 10, 30),
  overloadSenders: num('SIGHTLINE_FAULTS_OVERLOAD_SENDERS', 64, 64),
  overloadS: num('SIGHTLINE_FAULTS_OVERLOAD_S', 12, 120),
  overloadSpansPerRequest: num('SIGHTLINE_FAULTS_OVERLOAD_SPANS', 6000, 6000),
  overloadAnswerBoundS: num('SIGHTLINE_FAULTS_ANSWER_BOUND_S', 30, 30),
};

export { prng } from '../prng.js';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** One line of figures per test, easy to grep from the vitest output into RELIABILITY.md. */
export function report(test: string, figures: Record<string, unknown>): void {
  process.stdout.write(`[faults] ${test} ${JSON.stringify(figures)}\n`);
}

/** A test's timeout: its planned load plus generous room for start, drain and verification. */
export function timeoutFor(loadSeconds: number): number {
  return (loadSeconds + 300) * 1000;
}
