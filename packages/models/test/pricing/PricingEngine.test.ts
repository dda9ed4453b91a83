import { describe, expect, it } from 'vitest';
import { PricingEngine } from '../../src/pricing/PricingEngine.js';
import { validatePricingConfig, type PricingConfig } from '../../src/pricing/PricingConfig.js';
import { FairValueSource, PricingQuality } from '../../src/pricing/PricingResult.js';
import { Random } from './support/Random.js';

const U = 1e8;
const MS = 1e6;
const bidP = new Float64Array(4), bidQ = new Float64Array(4), askP = new Float64Array(4), askQ = new Float64Array(4);

/** Feeds a one-level book (price units in, 1e-8 units on the way). */
function book(engine: PricingEngine, tNs: number, bid: number, bq: number, ask: number, aq: number): boolean {
  bidP[0] = Math.round(bid * U); bidQ[0] = Math.round(bq * U); askP[0] = Math.round(ask * U); askQ[0] = Math.round(aq * U);
  return engine.onBook(tNs, bidP, bidQ, 1, askP, askQ, 1);
}

function engine(overrides: Partial<PricingConfig> = {}): PricingEngine {
  const e = new PricingEngine({ tickSize: 0.01, volSampleIntervalMs: 100, minVolSamples: 5, maxBookAgeMs: 1000,
    fairValueMethod: 'weighted-mid', ...overrides });
  e.setBookSynced(true);
  return e;
}

describe('PricingEngine outputs', () => {
  it('computes mid, weighted mid and the configured fair value, carrying the event receive time', () => {
    for (const [method, expectedFair, source] of [
      ['mid', 100.005, FairValueSource.MID],
      ['weighted-mid', 100.0075, FairValueSource.WEIGHTED_MID],
      ['micro-price', 100.0075, FairValueSource.WEIGHTED_MID], // not calibrated yet → weighted mid
    ] as const) {
      const e = engine({ fairValueMethod: method });
      expect(book(e, 5_000 * MS, 100, 3, 100.01, 1)).toBe(true);
      const r = e.publish(5_000 * MS + 250);
      expect(r.recvTimeNs).toBe(5_000 * MS);
      expect(r.publishTimeNs).toBe(5_000 * MS + 250);
      expect(r.bookAgeNs).toBe(250);
      expect([r.bestBidPrice, r.bestBidQty, r.bestAskPrice, r.bestAskQty]).toEqual([100 * U, 3 * U, 100.01 * U, 1 * U]);
      expect(r.mid).toBeCloseTo(100.005, 10);
      expect(r.weightedMid).toBeCloseTo(100.0075, 10);
      expect(r.microPrice).toBeCloseTo(100.0075, 10);
      expect(r.fairValue, method).toBeCloseTo(expectedFair, 10);
      expect(r.fairValueSource).toBe(source);
      expect(r.fairValueMethod).toBe(method === 'mid' ? 0 : method === 'weighted-mid' ? 1 : 2);
      expect(r.flags & PricingQuality.BOOK_SYNCED).toBeTruthy();
      expect(r.isTradable()).toBe(false); // no volatility samples yet
    }
  });

  it('switches to the micro-price once calibrated', () => {
    const e = engine({ fairValueMethod: 'micro-price', microImbalanceBuckets: 2, microSpreadBuckets: 1,
      microMinMoves: 10, microMinStateCount: 5, microRecalibrateEvery: 50, microHorizonMoves: 1 });
    // Bid-heavy books keep ticking up by one tick.
    let t = 0;
    for (let i = 0; i < 60; i++) book(e, (t += 10 * MS), 100 + i * 0.01, 3, 100.01 + i * 0.01, 1);
    const r = e.publish(t);
    expect(r.fairValueSource).toBe(FairValueSource.MICRO_PRICE);
    expect(r.flags & PricingQuality.MICRO_PRICE_READY).toBeTruthy();
    // Expected next mid: one tick up from the current mid.
    expect(r.microPrice).toBeCloseTo(r.mid + 0.01, 9);
    expect(r.fairValue).toBe(r.microPrice);
    expect(r.microSamples).toBe(59);
  });

  it('reports volatility in price units and becomes tradable with enough samples', () => {
    const e = engine({ minVolSamples: 20, volHalfLifeS: 1 });
    const rnd = new Random(3);
    let t = 0;
    let mid = 100;
    for (let i = 0; i < 25; i++) {
      t += 100 * MS;
      mid += rnd.normal() * 0.05;
      book(e, t, mid - 0.005, 1, mid + 0.005, 1);
      expect(e.publish(t).isTradable()).toBe(i + 1 > 20); // the first book starts the chain; samples follow
    }
    const r = e.result;
    expect(r.volSamples).toBe(24);
    expect(r.sigma).toBeGreaterThan(0);
    expect(r.variance).toBeCloseTo(r.sigma * r.sigma, 12);
    expect(r.flags & (PricingQuality.ENOUGH_SAMPLES | PricingQuality.VOLATILITY_READY)).toBe(12);
  });
});

describe('PricingEngine quality', () => {
  function tradableEngine(): [PricingEngine, number] {
    const e = engine({ minVolSamples: 3 });
    let t = 0;
    for (let i = 0; i < 5; i++) book(e, (t += 100 * MS), 100, 1, 100.01 + (i % 2) * 0.01, 1);
    expect(e.publish(t).isTradable()).toBe(true);
    return [e, t];
  }

  it('announces a stale book as not tradable through poll', () => {
    const [e, t] = tradableEngine();
    expect(e.poll(t + 999 * MS)).toBe(false);
    expect(e.poll(t + 1001 * MS)).toBe(true); // tradability flipped
    const r = e.publish(t + 1001 * MS);
    expect(r.isTradable()).toBe(false);
    expect(r.bookAgeNs).toBe(1001 * MS);
    expect(e.poll(t + 1500 * MS)).toBe(false); // already announced
    book(e, t + 1600 * MS, 100, 1, 100.01, 1);
    expect(e.publish(t + 1600 * MS).isTradable()).toBe(true);
  });

  it('marks an unsynced book not tradable and feeds no estimator from it', () => {
    const [e, t] = tradableEngine();
    const samples = e.volatility.sampleCount();
    const transitions = e.micro.transitionCount();
    e.setBookSynced(false);
    expect(e.poll(t)).toBe(true);
    let r = e.publish(t);
    expect(r.isTradable()).toBe(false);
    expect(r.flags & PricingQuality.BOOK_SYNCED).toBe(0);
    for (let i = 1; i <= 5; i++) book(e, t + i * 100 * MS, 200, 1, 200.5, 1);
    r = e.publish(t + 500 * MS);
    expect(r.isTradable()).toBe(false);
    expect(r.mid).toBeCloseTo(200.25, 9); // shown, flagged
    expect(e.volatility.sampleCount()).toBe(samples);
    expect(e.micro.transitionCount()).toBe(transitions);
    // Resynced: the first book restarts the chains without a return across the gap.
    e.setBookSynced(true);
    book(e, t + 600 * MS, 200, 1, 200.01, 1);
    book(e, t + 700 * MS, 200, 1, 200.01, 1);
    expect(e.volatility.sampleCount()).toBe(samples + 1);
    expect(e.publish(t + 700 * MS).isTradable()).toBe(true);
  });

  it('is not tradable on a crossed or one-sided book', () => {
    const [e, t] = tradableEngine();
    book(e, t + 100 * MS, 100.02, 1, 100.01, 1);
    expect(e.publish(t + 100 * MS).isTradable()).toBe(false);
    e.onBook(t + 200 * MS, bidP, bidQ, 1, askP, askQ, 0);
    const r = e.publish(t + 200 * MS);
    expect(r.isTradable()).toBe(false);
    expect(Number.isNaN(r.fairValue)).toBe(true);
  });
});

describe('PricingEngine publication rate and drift', () => {
  it('publishes every book change, at most once per minPublishIntervalMs, with held-back changes in poll', () => {
    const e = engine({ minPublishIntervalMs: 10 });
    expect(book(e, 0, 100, 1, 100.01, 1)).toBe(true);
    e.publish(0);
    expect(book(e, 5 * MS, 100, 2, 100.01, 1)).toBe(false);
    expect(e.poll(9 * MS)).toBe(false);
    expect(e.poll(10 * MS)).toBe(true);
    expect(e.publish(10 * MS).recvTimeNs).toBe(5 * MS);
    expect(e.poll(30 * MS)).toBe(false); // nothing pending
    expect(book(e, 31 * MS, 100, 3, 100.01, 1)).toBe(true);
  });

  it('combines OFI and trade flow EWMAs with the configured weights (hand-computed)', () => {
    const e = engine({ ofiHalfLifeS: 1, tradeFlowHalfLifeS: 2, ofiWeight: 0.5, tradeFlowWeight: 0.25 });
    book(e, 0, 100, 1, 100.01, 1);
    book(e, 0, 100, 3, 100.01, 1);           // OFI +2 (bid grew by 2)
    e.onTrade(0, 4 * U, 1);                   // +4 bought by aggressors
    e.onTrade(0, 1 * U, 2);                   // −1 sold
    const r = e.publish(1_000 * MS);          // one OFI half-life later, half a trade-flow half-life
    const ofi = (2 / 2) * Math.LN2;           // sum 2 decayed by half, / τ (= 1/ln2 s)
    const flow = 3 * Math.SQRT1_2 * (Math.LN2 / 2);
    expect(r.ofi).toBeCloseTo(ofi, 12);
    expect(r.tradeFlow).toBeCloseTo(flow, 12);
    expect(r.ofiDrift).toBeCloseTo(0.5 * ofi, 12);
    expect(r.tradeFlowDrift).toBeCloseTo(0.25 * flow, 12);
    expect(r.drift).toBeCloseTo(0.5 * ofi + 0.25 * flow, 12);
    expect(r.recvTimeNs).toBe(0);
  });

  it('rejects invalid configuration naming every bad key', () => {
    expect(() => validatePricingConfig({ tickSize: 0, microWindow: 1.5, fairValueMethod: 'best' as 'mid' }))
      .toThrow(/tickSize.*microWindow|fairValueMethod.*tickSize/);
    expect(() => new PricingEngine({ volHalfLifeS: -1 })).toThrow(/volHalfLifeS/);
  });
});

describe('PricingEngine allocation-free entry points', () => {
  it('*AtNow (time in engine.now) gives exactly what the plain methods give', () => {
    const cfg = { minVolSamples: 3, ofiWeight: 0.1, tradeFlowWeight: 0.2, minPublishIntervalMs: 5 } as const;
    const plain = engine(cfg);
    const slots = engine(cfg);
    const rnd = new Random(11);
    let t = 0;
    let mid = 100;
    for (let i = 0; i < 200; i++) {
      t += rnd.int(1, 20) * MS;
      mid += (rnd.int(0, 2) - 1) * 0.01;
      bidP[0] = Math.round((mid - 0.005) * U); askP[0] = Math.round((mid + 0.005) * U);
      bidQ[0] = rnd.int(1, 500) * 1e6; askQ[0] = rnd.int(1, 500) * 1e6;
      const a = plain.onBook(t, bidP, bidQ, 1, askP, askQ, 1);
      slots.now[0] = t;
      expect(slots.onBookAtNow(bidP, bidQ, 1, askP, askQ, 1)).toBe(a);
      if (a) { plain.publish(t); slots.now[0] = t; slots.publishAtNow(); }
      if (i % 3 === 0) {
        plain.onTrade(t, 5e7, 1 + (i % 2));
        slots.now[0] = t; slots.now[1] = 5e7; slots.onTradeAtNow(1 + (i % 2));
      }
      const p = plain.poll(t + MS);
      slots.now[0] = t + MS;
      expect(slots.pollAtNow()).toBe(p);
      if (p) { plain.publish(t + MS); slots.now[0] = t + MS; slots.publishAtNow(); }
      expect({ ...slots.result }).toEqual({ ...plain.result });
    }
    expect(plain.result.isTradable()).toBe(true);
  });
});
