import { describe, expect, it } from 'vitest';
import { EwmaRate } from '../../src/pricing/EwmaRate.js';

const S = 1e9;

describe('EwmaRate', () => {
  it('decays by half per half-life and reads amount/τ right after an event', () => {
    const rate = new EwmaRate(1);
    rate.add(0, 10);
    // τ = 1/ln2 s, so the rate right after is 10·ln2.
    expect(rate.rate(0)).toBeCloseTo(10 * Math.LN2, 12);
    expect(rate.rate(1 * S)).toBeCloseTo(5 * Math.LN2, 12);
    expect(rate.rate(3 * S)).toBeCloseTo(1.25 * Math.LN2, 12);
    rate.add(1 * S, -5); // 5 decayed + (−5) = 0
    expect(rate.rate(1 * S)).toBeCloseTo(0, 12);
  });

  it('reads a steady flow of x per second as x', () => {
    const rate = new EwmaRate(2);
    for (let t = 0; t <= 60_000; t++) rate.add(t * 1e6, 0.003); // 3 per second in 1 ms steps
    expect(rate.rate(60 * S)).toBeCloseTo(3, 2);
  });

  it('ignores time going backwards and starts at zero', () => {
    const rate = new EwmaRate(1);
    expect(rate.rate(5)).toBe(0);
    rate.add(10 * S, 1);
    rate.add(9 * S, 1);
    expect(rate.rate(10 * S)).toBeCloseTo(2 * Math.LN2, 12);
    rate.reset();
    expect(rate.rate(10 * S)).toBe(0);
  });
});
