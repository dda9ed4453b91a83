import { describe, expect, it } from 'vitest';
import { AvellanedaStoikov } from '../../src/quoting/AvellanedaStoikov.js';
import { type BuildInput, QuoteBuilder, type QuoteBuilderConfig, newBuiltQuote } from '../../src/quoting/QuoteBuilder.js';
import { SymmetricModel } from '../../src/quoting/SymmetricModel.js';

const E8 = 1e8;
const base: QuoteBuilderConfig = {
  tickE8: 0.01 * E8,
  lotE8: 0.001 * E8,
  orderQtyE8: 1 * E8,
  targetQtyE8: 0,
  maxPositionE8: 3 * E8,
  minSpreadBps: 0,
  driftHorizonS: 0,
};

function input(over: Partial<BuildInput> = {}): BuildInput {
  return {
    centre: 100,
    sigma: 2,
    drift: 0,
    bestBidE8: 99 * E8,
    bestAskE8: 101 * E8,
    positionE8: 0,
    elapsedS: 0.5,
    ...over,
  };
}

describe('QuoteBuilder', () => {
  const as = new AvellanedaStoikov({ gamma: 0.1, k: 1.5, sessionLengthS: 1 });

  it('rounds the bid down and the ask up to the tick', () => {
    const b = new QuoteBuilder(base);
    const out = newBuiltQuote();
    expect(b.build(as, input(), out)).toBe(true);
    // model: 100 ∓ 0.745385 → 99.254615 / 100.745385 → 99.25 / 100.75
    expect(out.bidPriceE8).toBe(9925000000);
    expect(out.askPriceE8).toBe(10075000000);
    expect(out.bidQtyE8).toBe(E8);
    expect(out.askQtyE8).toBe(E8);
  });

  it('keeps exact grid prices on the grid', () => {
    const b = new QuoteBuilder(base);
    const out = newBuiltQuote();
    b.build(new SymmetricModel(0.2), input({ centre: 100.1 }), out);
    expect(out.bidPriceE8).toBe(10000000000);
    expect(out.askPriceE8).toBe(10020000000);
  });

  it('skews toward the target: long lowers both prices, short raises them, relative to the target', () => {
    const b = new QuoteBuilder({ ...base, targetQtyE8: 1 * E8 });
    const atTarget = newBuiltQuote();
    const long = newBuiltQuote();
    const short = newBuiltQuote();
    b.build(as, input({ positionE8: 1 * E8 }), atTarget);
    b.build(as, input({ positionE8: 2 * E8 }), long);
    b.build(as, input({ positionE8: -1 * E8 }), short);
    expect(atTarget.reservation).toBeCloseTo(100, 12);
    expect(long.bidPriceE8).toBeLessThan(atTarget.bidPriceE8);
    expect(long.askPriceE8).toBeLessThan(atTarget.askPriceE8);
    expect(short.bidPriceE8).toBeGreaterThan(atTarget.bidPriceE8);
    expect(short.askPriceE8).toBeGreaterThan(atTarget.askPriceE8);
  });

  it('enforces the max position at the boundary', () => {
    const b = new QuoteBuilder(base);
    const out = newBuiltQuote();
    b.build(as, input({ positionE8: 2 * E8 }), out); // 2 + 1 = 3 = max: still allowed
    expect(out.bidQtyE8).toBe(E8);
    b.build(as, input({ positionE8: 2 * E8 + 1 }), out); // would exceed by 1e-8
    expect(out.bidQtyE8).toBe(0);
    expect(out.bidPriceE8).toBe(0);
    expect(out.askQtyE8).toBe(E8);
    b.build(as, input({ positionE8: -2 * E8 }), out);
    expect(out.askQtyE8).toBe(E8);
    b.build(as, input({ positionE8: -2 * E8 - 1 }), out);
    expect(out.askQtyE8).toBe(0);
    expect(out.bidQtyE8).toBe(E8);
  });

  it('never crosses the book, whatever the skew', () => {
    const b = new QuoteBuilder({ ...base, maxPositionE8: 1000 * E8 });
    const out = newBuiltQuote();
    // A huge short inventory pushes the model bid far above the best ask.
    b.build(as, input({ positionE8: -200 * E8, bestBidE8: 99.99 * E8, bestAskE8: 100.005 * E8 }), out);
    expect(out.bidPriceE8).toBeLessThan(100.005 * E8);
    expect(out.bidPriceE8).toBe(100 * E8);
    expect(out.askPriceE8).toBeGreaterThan(out.bidPriceE8);
    // And a huge long inventory pushes the ask below the best bid.
    b.build(as, input({ positionE8: 200 * E8, bestBidE8: 99.995 * E8, bestAskE8: 100.01 * E8 }), out);
    expect(out.askPriceE8).toBeGreaterThan(99.995 * E8);
    expect(out.askPriceE8).toBe(100 * E8);
    expect(out.bidPriceE8).toBeLessThan(out.askPriceE8);
  });

  it('widens to the minimum spread around the same centre', () => {
    const b = new QuoteBuilder({ ...base, minSpreadBps: 50 }); // 50 bps of 100 = 0.5
    const out = newBuiltQuote();
    b.build(new SymmetricModel(0.1), input(), out);
    expect(out.bidPriceE8).toBe(99.75 * E8);
    expect(out.askPriceE8).toBe(100.25 * E8);
  });

  it('shifts by drift × horizon, and not at all with horizon 0', () => {
    const off = new QuoteBuilder(base);
    const on = new QuoteBuilder({ ...base, driftHorizonS: 10 });
    const a = newBuiltQuote();
    const c = newBuiltQuote();
    off.build(new SymmetricModel(0.2), input({ drift: 0.03 }), a);
    on.build(new SymmetricModel(0.2), input({ drift: 0.03 }), c);
    expect(a.bidPriceE8).toBe(99.9 * E8);
    expect(c.bidPriceE8).toBe(100.2 * E8); // 99.9 + 0.03·10
    expect(c.askPriceE8).toBe(100.4 * E8);
    expect(c.reservation).toBeCloseTo(100.3, 12);
  });

  it('rejects bad configuration with a message naming the field', () => {
    expect(() => new QuoteBuilder({ ...base, orderQtyE8: 1.5 })).toThrow(/orderQtyE8/);
    expect(() => new QuoteBuilder({ ...base, orderQtyE8: 1500 * 1000 + 1 })).toThrow(/lotE8/);
    expect(() => new QuoteBuilder({ ...base, tickE8: 0 })).toThrow(/tickE8/);
    expect(() => new QuoteBuilder({ ...base, targetQtyE8: 4 * E8 })).toThrow(/targetQtyE8/);
  });
});
