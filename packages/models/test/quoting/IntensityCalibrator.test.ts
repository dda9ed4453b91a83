import { describe, expect, it } from 'vitest';
import { IntensityCalibrator } from '../../src/quoting/IntensityCalibrator.js';
import { Prng } from '../../src/market/Prng.js';

describe('IntensityCalibrator', () => {
  it('recovers A and k from synthetic arrivals λ(δ) = A·e^{−kδ}', () => {
    const A = 2; // 1/s
    const k = 4; // 1/price
    const bucketNs = 100e6; // A·0.1 s = 0.2 arrivals per bucket
    const buckets = 100_000;
    const cal = new IntensityCalibrator({ bucketNs, windowBuckets: buckets, gridStep: 0.05, gridSize: 20, minCount: 20 });
    const rng = new Prng(7);
    cal.advanceTo(1); // the window starts here, not at the first trade
    for (let b = 0; b < buckets; b++) {
      const t = b * bucketNs + 1;
      // P(bucket depth > δ) = A·dt·e^{−kδ}: an arrival with probability A·dt, depth ~ Exp(k)
      if (rng.nextFloat() < A * 0.1) {
        const depth = rng.nextExponential(k);
        cal.onTrade(100 + (rng.nextFloat() < 0.5 ? depth : -depth), 100, t);
      }
    }
    cal.advanceTo(buckets * bucketNs + 1);
    expect(cal.bucketsInWindow).toBe(buckets);
    expect(cal.intensityAt(0)).toBeCloseTo(A, 1);
    const est = cal.estimate({ ok: false, A: 0, k: 0, points: 0 });
    expect(est.ok).toBe(true);
    expect(est.points).toBeGreaterThan(10);
    expect(Math.abs(est.A - A) / A).toBeLessThan(0.1);
    expect(Math.abs(est.k - k) / k).toBeLessThan(0.1);
  });

  it('counts quiet buckets and reports not ok without data', () => {
    const cal = new IntensityCalibrator({ bucketNs: 1e6, windowBuckets: 10, gridStep: 0.1, gridSize: 5 });
    cal.advanceTo(0);
    cal.advanceTo(50e6);
    expect(cal.bucketsInWindow).toBe(10);
    expect(cal.intensityAt(0)).toBe(0);
    expect(cal.estimate({ ok: true, A: 0, k: 0, points: 0 }).ok).toBe(false);
  });

  it('rejects bad configuration', () => {
    expect(() => new IntensityCalibrator({ bucketNs: 0, windowBuckets: 10, gridStep: 0.1, gridSize: 5 })).toThrow(/bucketNs/);
    expect(() => new IntensityCalibrator({ bucketNs: 1, windowBuckets: 1, gridStep: 0.1, gridSize: 5 })).toThrow(/windowBuckets/);
  });
});
