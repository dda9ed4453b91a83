import { describe, expect, it } from 'vitest';
import { VolatilityEstimator } from '../../src/pricing/VolatilityEstimator.js';
import { Random } from './support/Random.js';

const MS = 1e6;

describe('VolatilityEstimator', () => {
  it('matches a hand-computed debiased EWMA on a scripted sequence', () => {
    // Δ = 1 s, half-life 1 s → α = 0.5.
    const vol = new VolatilityEstimator(1000, 1);
    vol.advance(0, 100);            // first sample, no return yet
    expect(vol.sampleCount()).toBe(0);
    expect(Number.isNaN(vol.logVariancePerS())).toBe(true);
    vol.advance(1000 * MS, 101);    // r1 = ln(101/100)
    const r1 = Math.log(1.01);
    expect(vol.logVariancePerS()).toBeCloseTo(r1 * r1, 15);
    vol.advance(2000 * MS, 100);    // r2 = ln(100/101)
    const r2 = Math.log(100 / 101);
    const expected = (0.25 * r1 * r1 + 0.5 * r2 * r2) / 0.75;
    expect(vol.logVariancePerS()).toBeCloseTo(expected, 15);
    expect(vol.variancePerS(100)).toBeCloseTo(expected * 1e4, 10);
    expect(vol.sigmaPerSqrtS(100)).toBeCloseTo(Math.sqrt(expected) * 100, 10);
    expect(vol.sampleCount()).toBe(2);
  });

  it('applies grid points without a change as zero returns', () => {
    const a = new VolatilityEstimator(1000, 1);
    a.advance(0, 100);
    a.advance(1000 * MS, 101);
    a.advance(4500 * MS, 101); // grid points 2 s, 3 s, 4 s: one return 0 (101→101) and two more zeros
    const r1 = Math.log(1.01);
    // v = 0.5·r1² → ×0.5³; w = 0.5 → 1 − 0.5·0.5³
    expect(a.logVariancePerS()).toBeCloseTo((0.5 * r1 * r1 * 0.125) / (1 - 0.5 * 0.125), 15);
    expect(a.sampleCount()).toBe(4);
    // The same through one call per grid point.
    const b = new VolatilityEstimator(1000, 1);
    b.advance(0, 100);
    b.advance(1000 * MS, 101);
    for (const t of [2000, 3000, 4000]) b.advance(t * MS, 101);
    expect(b.logVariancePerS()).toBeCloseTo(a.logVariancePerS(), 15);
  });

  it('computes no return across a broken chain', () => {
    const vol = new VolatilityEstimator(1000, 1);
    vol.advance(0, 100);
    vol.advance(1000 * MS, 100);
    vol.breakChain();
    vol.advance(5000 * MS, 200); // restarts: no return 100 → 200
    vol.advance(6000 * MS, 200);
    expect(vol.logVariancePerS()).toBe(0);
    vol.advance(7000 * MS, Number.NaN); // a NaN price breaks the chain too
    vol.advance(8000 * MS, 50);
    expect(vol.logVariancePerS()).toBe(0);
  });

  it('converges to the σ of a simulated random walk within 5%', () => {
    // Price random walk with σ = 2 price/√s around 1000, sampled every 100 ms; half-life 120 s.
    const sigma = 2;
    const dtS = 0.1;
    const rnd = new Random(2024);
    const vol = new VolatilityEstimator(100, 120);
    let price = 1000;
    for (let i = 0; i <= 20_000; i++) {
      vol.advance(i * 100 * MS, price);
      price += sigma * Math.sqrt(dtS) * rnd.normal();
    }
    const estimate = vol.sigmaPerSqrtS(price);
    // EWMA with ~1700 effective returns: relative sd of σ ≈ 1.7%; 5% is a 3-sd bound.
    expect(Math.abs(estimate / sigma - 1)).toBeLessThan(0.05);
    expect(vol.variancePerS(price)).toBeCloseTo(estimate * estimate, 9);
  });
});
