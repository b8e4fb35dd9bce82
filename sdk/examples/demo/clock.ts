/**
 * Simulated time: the demo writes hours of history in seconds. `sleep` advances the clock
 * instead of waiting, and the SDK stamps spans with it through `init({ clock })`.
 */
export class SimClock {
  constructor(public now: number) {}
  readonly read = (): number => this.now;
  set(ms: number): void {
    this.now = Math.max(this.now, ms);
  }
  async sleep(ms: number): Promise<void> {
    this.now += ms;
    // Yield like real I/O would, so the export timer and progress printer get to run.
    if (Math.random() < 0.05) await new Promise((r) => setImmediate(r));
  }
}
