import { describe, expect, it } from 'vitest';
import { chiSquareSurvival, erfc, logGamma, normalTwoSided, regularizedGammaQ } from './distributions.js';

const close = (actual: number, expected: number, rel = 1e-9) => expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThan(rel);

describe('distributions', () => {
  it('logGamma matches factorials and Γ(1/2) = √π', () => {
    expect(Math.abs(logGamma(1))).toBeLessThan(1e-13);
    close(logGamma(11), Math.log(3628800), 1e-13);
    close(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-13);
    close(logGamma(171), 706.5730622457874, 1e-13);
  });

  it('chi-square survival matches published critical values', () => {
    // Critical values from standard tables (NIST/Abramowitz & Stegun 26.4).
    close(chiSquareSurvival(3.841458820694124, 1), 0.05, 1e-9);
    close(chiSquareSurvival(6.634896601021214, 1), 0.01, 1e-9);
    close(chiSquareSurvival(15.13670523, 1), 1e-4, 1e-6);
    close(chiSquareSurvival(18.30703805, 10), 0.05, 1e-8);
    close(chiSquareSurvival(124.3421134, 100), 0.05, 1e-7);
    // df = 2 has the closed form exp(-x/2), good far into the tail.
    close(chiSquareSurvival(600, 2), Math.exp(-300), 1e-9);
    close(chiSquareSurvival(1, 2), Math.exp(-0.5), 1e-12);
  });

  it('chi-square survival is 1 at zero and decreasing', () => {
    expect(chiSquareSurvival(0, 5)).toBe(1);
    let prev = 1;
    for (let x = 0.5; x < 200; x += 0.5) {
      const p = chiSquareSurvival(x, 7);
      expect(p).toBeLessThanOrEqual(prev);
      prev = p;
    }
  });

  it('Q(a, x) is continuous across the series / continued-fraction switch', () => {
    for (const a of [0.5, 3, 40]) {
      const below = regularizedGammaQ(a, a + 1 - 1e-9);
      const above = regularizedGammaQ(a, a + 1 + 1e-9);
      expect(Math.abs(below - above)).toBeLessThan(1e-8);
    }
  });

  it('erfc and the normal tail match known values', () => {
    close(erfc(0.5), 0.4795001221869535, 1e-12);
    close(erfc(3), 2.209049699858544e-5, 1e-10);
    close(erfc(10), 2.088487583762545e-45, 1e-9);
    close(normalTwoSided(1.959963984540054), 0.05, 1e-10);
    close(normalTwoSided(-3.890591886), 1e-4, 1e-7);
  });
});
