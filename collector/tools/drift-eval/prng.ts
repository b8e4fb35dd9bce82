import { prng } from '../../src/test-support/prng.js';

/** Seeded draws (mulberry32 underneath) so every simulation is reproducible from its seed. */
export class Rng {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** Poisson by inversion (fine for the small means used here). */
  poisson(mean: number): number {
    if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const l = Math.exp(-mean);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= this.next();
    } while (p > l);
    return k - 1;
  }
  normal(): number {
    return Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
  }
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }
  pick(weights: Record<string, number>): string {
    let total = 0;
    for (const w of Object.values(weights)) total += w;
    let r = this.next() * total;
    for (const [k, w] of Object.entries(weights)) {
      r -= w;
      if (r <= 0) return k;
    }
    return Object.keys(weights)[0]!;
  }
}
