import { describe, expect, it } from 'vitest';
import {
  AvellanedaStoikov,
  AvellanedaStoikovInfinite,
  asReservationPrice,
  asSpread,
} from '../../src/quoting/AvellanedaStoikov.js';
import { newModelQuote } from '../../src/quoting/QuotingModel.js';

describe('AvellanedaStoikov (finite horizon)', () => {
  it('matches hand-computed reservation price and spread', () => {
    // s=100, q=2, γ=0.1, σ=2, τ=0.5: r = 100 − 2·0.1·4·0.5 = 99.6; spread = 0.2 + 20·ln(16/15) = 1.490770422751
    expect(asReservationPrice(100, 2, 0.1, 2, 0.5)).toBeCloseTo(99.6, 12);
    expect(asSpread(0.1, 2, 1.5, 0.5)).toBeCloseTo(1.49077042275140, 12);
    const m = new AvellanedaStoikov({ gamma: 0.1, k: 1.5, sessionLengthS: 1 });
    const out = newModelQuote();
    m.quote(100, 2, 2, 0.5, out);
    expect(out.reservation).toBeCloseTo(99.6, 12);
    expect(out.bid).toBeCloseTo(99.6 - 0.74538521137570, 12);
    expect(out.ask).toBeCloseTo(99.6 + 0.74538521137570, 12);
  });

  it('skews both quotes down when long and up when short', () => {
    const m = new AvellanedaStoikov({ gamma: 0.1, k: 1.5, sessionLengthS: 1 });
    const flat = newModelQuote();
    const long = newModelQuote();
    const short = newModelQuote();
    m.quote(100, 0, 2, 0.2, flat);
    m.quote(100, 3, 2, 0.2, long);
    m.quote(100, -3, 2, 0.2, short);
    expect(flat.reservation).toBe(100);
    expect(long.bid).toBeLessThan(flat.bid);
    expect(long.ask).toBeLessThan(flat.ask);
    expect(short.bid).toBeGreaterThan(flat.bid);
    expect(short.ask).toBeGreaterThan(flat.ask);
  });

  it('clamps time to the horizon: at and after T only the liquidity term is left', () => {
    const m = new AvellanedaStoikov({ gamma: 0.1, k: 1.5, sessionLengthS: 1 });
    const out = newModelQuote();
    m.quote(100, 5, 2, 3, out);
    expect(out.reservation).toBe(100);
    expect(out.ask - out.bid).toBeCloseTo(20 * Math.log(16 / 15), 12);
  });

  it('rejects bad parameters with a message naming them', () => {
    expect(() => new AvellanedaStoikov({ gamma: 0, k: 1.5, sessionLengthS: 1 })).toThrow(/gamma/);
    expect(() => new AvellanedaStoikov({ gamma: 0.1, k: Number.NaN, sessionLengthS: 1 })).toThrow(/k/);
  });
});

describe('AvellanedaStoikovInfinite', () => {
  it('matches hand-computed reservation bid/ask prices', () => {
    // γ=0.1, σ=2, qMax=5 → ω = ½·0.04·36 = 0.72; q=1: denom = 1.44 − 0.04 = 1.4
    // r^a = 100 + 10·ln(1 − 0.04/1.4) = 99.710124631; r^b = 100 + 10·ln(1 − 0.12/1.4) = 99.103878413
    const m = new AvellanedaStoikovInfinite({ gamma: 0.1, k: 1.5, qMax: 5 });
    const out = newModelQuote();
    m.quote(100, 1, 2, 0, out);
    const edge = 10 * Math.log(16 / 15);
    expect(out.ask).toBeCloseTo(100 - 0.28987536873251 + edge, 10);
    expect(out.bid).toBeCloseTo(100 - 0.89612158689686 - edge, 10);
  });

  it('at q = 0 follows r^a, r^b = s + ln(1 ± γ²σ²/2ω)/γ and skews against inventory', () => {
    const m = new AvellanedaStoikovInfinite({ gamma: 0.1, k: 1.5, qMax: 5 });
    const flat = newModelQuote();
    const long = newModelQuote();
    const short = newModelQuote();
    m.quote(100, 0, 2, 0, flat);
    m.quote(100, 2, 2, 0, long);
    m.quote(100, -2, 2, 0, short);
    const edge = 10 * Math.log(16 / 15);
    expect(flat.ask).toBeCloseTo(100 + 10 * Math.log(1 + 1 / 36) + edge, 12);
    expect(flat.bid).toBeCloseTo(100 + 10 * Math.log(1 - 1 / 36) - edge, 12);
    expect(long.reservation).toBeLessThan(flat.reservation);
    expect(short.reservation).toBeGreaterThan(flat.reservation);
    // Inventory beyond qMax is priced as qMax (the formula is undefined beyond qMax + 1).
    const beyond = newModelQuote();
    const atMax = newModelQuote();
    m.quote(100, 50, 2, 0, beyond);
    m.quote(100, 5, 2, 0, atMax);
    expect(beyond.bid).toBe(atMax.bid);
    expect(Number.isFinite(beyond.ask)).toBe(true);
  });
});
