import { describe, expect, it } from 'vitest';
import { AvellanedaStoikov } from '../../src/quoting/AvellanedaStoikov.js';
import { SymmetricModel } from '../../src/quoting/SymmetricModel.js';
import {
  DecisionKind,
  type PositionInput,
  type PricingInput,
  QuotingEngine,
  type QuotingEngineConfig,
} from '../../src/quoting/QuotingEngine.js';

const E8 = 1e8;
const MS = 1e6;

const config: QuotingEngineConfig = {
  builder: {
    tickE8: 0.01 * E8,
    lotE8: 0.001 * E8,
    orderQtyE8: 1 * E8,
    targetQtyE8: 0,
    maxPositionE8: 5 * E8,
    minSpreadBps: 0,
    driftHorizonS: 0,
  },
  throttle: { priceThresholdE8: 0.02 * E8, minIntervalNs: 0, refreshIntervalNs: 0, maxQuotesPerSecond: 50 },
  maxPricingAgeNs: 500 * MS,
  dailyLossLimit: 1000,
  sessionStartNs: 0,
  sessionLengthS: 1,
  useFairValue: false,
  quoteIdStart: 10,
};

function pricing(over: Partial<PricingInput> = {}): PricingInput {
  return {
    mid: 100,
    fairValue: 100,
    sigma: 2,
    drift: 0,
    bestBidE8: 99.99 * E8,
    bestAskE8: 100.01 * E8,
    recvTimeNs: 1000 * MS,
    tradable: true,
    ...over,
  };
}
const flat: PositionInput = { qtyE8: 0, dailyPnl: 0 };

function engine(): QuotingEngine {
  return new QuotingEngine(new AvellanedaStoikov({ gamma: 0.1, k: 1.5, sessionLengthS: 1 }), config);
}

describe('QuotingEngine', () => {
  it('quotes with a fresh quote id and the receive time of the market event', () => {
    const e = engine();
    const d = e.decide(pricing({ recvTimeNs: 1234 * MS }), flat, 1240 * MS);
    expect(d.kind).toBe(DecisionKind.Quote);
    expect(d.quoteId).toBe(10);
    expect(d.recvTimeNs).toBe(1234 * MS);
    expect(d.bidPriceE8).toBeLessThan(100 * E8);
    expect(d.askPriceE8).toBeGreaterThan(100 * E8);
    const d2 = e.decide(pricing({ mid: 101, bestBidE8: 100.99 * E8, bestAskE8: 101.01 * E8, recvTimeNs: 1300 * MS }), flat, 1300 * MS);
    expect(d2.kind).toBe(DecisionKind.Quote);
    expect(d2.quoteId).toBe(11);
    expect(d2.recvTimeNs).toBe(1300 * MS);
  });

  it('holds when the quote did not move by the threshold', () => {
    const e = engine();
    expect(e.decide(pricing(), flat, 1000 * MS).kind).toBe(DecisionKind.Quote);
    const d = e.decide(pricing({ mid: 100.001, recvTimeNs: 1001 * MS }), flat, 1001 * MS);
    expect(d.kind).toBe(DecisionKind.Hold);
    expect(d.reason).toBe('throttled');
    expect(d.quoteId).toBe(10);
  });

  it('pulls on stale pricing once, holds while stale, and requotes at once when fresh', () => {
    const e = engine();
    expect(e.decide(pricing(), flat, 1000 * MS).kind).toBe(DecisionKind.Quote);
    const stale = e.decide(pricing(), flat, 1000 * MS + 500 * MS + 1);
    expect(stale.kind).toBe(DecisionKind.Pull);
    expect(stale.reason).toBe('stale');
    const again = e.decide(pricing(), flat, 1000 * MS + 600 * MS);
    expect(again.kind).toBe(DecisionKind.Hold);
    expect(again.reason).toBe('stale');
    // Same prices as the last quote: still sent, because the pull removed it.
    const fresh = e.decide(pricing({ recvTimeNs: 1700 * MS }), flat, 1700 * MS);
    expect(fresh.kind).toBe(DecisionKind.Quote);
    expect(fresh.quoteId).toBe(11);
  });

  it('pricing at exactly the maximum age is still fresh', () => {
    const e = engine();
    expect(e.decide(pricing(), flat, 1000 * MS + 500 * MS).kind).toBe(DecisionKind.Quote);
  });

  it('pulls when pricing is not tradable or the book is crossed or empty', () => {
    expect(engine().decide(pricing({ tradable: false }), flat, 1000 * MS).reason).toBe('not-tradable');
    expect(engine().decide(pricing({ bestBidE8: 100.02 * E8 }), flat, 1000 * MS).reason).toBe('not-tradable');
    const d = engine().decide(pricing({ bestAskE8: 0 }), flat, 1000 * MS);
    expect(d.kind).toBe(DecisionKind.Pull);
    expect(d.reason).toBe('not-tradable');
    expect(d.pullCode).toBe(2);
  });

  it('pulls while the venue reports a problem', () => {
    const e = engine();
    e.decide(pricing(), flat, 1000 * MS);
    e.setVenueOk(false);
    const d = e.decide(pricing(), flat, 1010 * MS);
    expect(d.kind).toBe(DecisionKind.Pull);
    expect(d.reason).toBe('venue');
    e.setVenueOk(true);
    expect(e.decide(pricing(), flat, 1020 * MS).kind).toBe(DecisionKind.Quote);
  });

  it('kill switch: pulls at the daily loss limit and stays pulled until reset', () => {
    const e = engine();
    expect(e.decide(pricing(), { qtyE8: 0, dailyPnl: -999 }, 1000 * MS).kind).toBe(DecisionKind.Quote);
    const d = e.decide(pricing(), { qtyE8: 0, dailyPnl: -1000 }, 1001 * MS);
    expect(d.kind).toBe(DecisionKind.Pull);
    expect(d.reason).toBe('kill-switch');
    const later = e.decide(pricing({ recvTimeNs: 1100 * MS }), { qtyE8: 0, dailyPnl: 50 }, 1100 * MS);
    expect(later.kind).toBe(DecisionKind.Hold);
    expect(later.reason).toBe('kill-switch');
    e.killSwitch.reset();
    expect(e.decide(pricing({ recvTimeNs: 1200 * MS }), { qtyE8: 0, dailyPnl: 50 }, 1200 * MS).kind).toBe(DecisionKind.Quote);
  });

  it('stops quoting the side that would exceed the max position', () => {
    const e = engine();
    const d = e.decide(pricing(), { qtyE8: 5 * E8, dailyPnl: 0 }, 1000 * MS);
    expect(d.kind).toBe(DecisionKind.Quote);
    expect(d.bidQtyE8).toBe(0);
    expect(d.askQtyE8).toBe(E8);
  });

  it('allocates no decision object per update', () => {
    const e = engine();
    const a = e.decide(pricing(), flat, 1000 * MS);
    const b = e.decide(pricing({ tradable: false }), flat, 1001 * MS);
    expect(a).toBe(b);
  });

  it('shifts quotes by drift × the configured horizon', () => {
    const sym = (): QuotingEngine =>
      new QuotingEngine(new SymmetricModel(0.2), { ...config, builder: { ...config.builder, driftHorizonS: 2 } });
    const still = sym().decide(pricing({ bestBidE8: 99 * E8, bestAskE8: 101 * E8 }), flat, 1000 * MS);
    expect([still.bidPriceE8, still.askPriceE8]).toEqual([99.9 * E8, 100.1 * E8]);
    const up = sym().decide(pricing({ drift: 0.05, bestBidE8: 99 * E8, bestAskE8: 101 * E8 }), flat, 1000 * MS);
    expect([up.bidPriceE8, up.askPriceE8]).toEqual([100 * E8, 100.2 * E8]); // + 0.05 × 2
  });

  it('applies an online intensity calibration to models that have one', () => {
    const e = engine();
    const before = e.decide(pricing({ bestBidE8: 98 * E8, bestAskE8: 102 * E8 }), flat, 1000 * MS);
    const spreadBefore = before.askPriceE8 - before.bidPriceE8;
    expect(e.setIntensity(140, 0.5)).toBe(true); // lower k → wider spread
    const after = e.decide(pricing({ bestBidE8: 98 * E8, bestAskE8: 102 * E8, recvTimeNs: 1010 * MS }), flat, 1010 * MS);
    expect(after.kind).toBe(DecisionKind.Quote);
    expect(after.askPriceE8 - after.bidPriceE8).toBeGreaterThan(spreadBefore);
    expect(e.setIntensity(140, Number.NaN)).toBe(false);
    expect(new QuotingEngine(new SymmetricModel(1), config).setIntensity(1, 1)).toBe(false);
  });
});
