import { describe, expect, it } from 'vitest';
import { AvellanedaStoikov } from '../../src/quoting/AvellanedaStoikov.js';
import { type ModelQuote, type QuotingModel } from '../../src/quoting/QuotingModel.js';
import { QuotingEngine, type QuotingEngineConfig } from '../../src/quoting/QuotingEngine.js';
import { SymmetricModel } from '../../src/quoting/SymmetricModel.js';
import { type BatchStats, type ModelMarketParams, runBatch } from '../../src/market/ModelMarket.js';
import { QuotingEngineStrategy } from '../../src/market/QuotingEngineStrategy.js';

/**
 * Issue 16 closed loop: the product's QuotingEngine quotes in the simulator's model market (Avellaneda–Stoikov
 * protocol). The inventory strategy must end with an inventory standard deviation clearly below (< 0.5×) that of
 * a symmetric strategy with the same average spread. The baseline always runs through the same engine with the
 * same position cap as the candidate, so a cap alone cannot pass; a wrong skew sign must fail.
 */
const E8 = 1e8;
const TICK_E8 = 0.01 * E8;
const market: ModelMarketParams = { s0: 100, T: 1, sigma: 2, dt: 0.005, k: 1.5, A: 140 };
const RUNS = 400;
const SEED = 2024;

function engineConfig(maxPositionUnits: number): QuotingEngineConfig {
  return {
    builder: {
      tickE8: TICK_E8,
      lotE8: 0.001 * E8,
      orderQtyE8: 1 * E8,
      targetQtyE8: 0,
      maxPositionE8: maxPositionUnits * E8,
      minSpreadBps: 0,
      driftHorizonS: 0,
    },
    throttle: { priceThresholdE8: 0, minIntervalNs: 0, refreshIntervalNs: 0, maxQuotesPerSecond: 10_000 },
    maxPricingAgeNs: 1e9,
    dailyLossLimit: 1e12,
    sessionStartNs: 0,
    sessionLengthS: market.T,
    useFairValue: false,
  };
}

function runThroughEngine(model: QuotingModel, maxPositionUnits: number): BatchStats {
  const cfg = engineConfig(maxPositionUnits);
  const strategy = new QuotingEngineStrategy(() => new QuotingEngine(model, cfg), market.sigma, E8);
  return runBatch(market, strategy, RUNS, SEED);
}

/** The model with the inventory sign flipped: skews toward more inventory (the bug the test must catch). */
class FlippedSkew implements QuotingModel {
  constructor(private readonly inner: QuotingModel) {}
  quote(centre: number, q: number, sigma: number, elapsedS: number, out: ModelQuote): void {
    this.inner.quote(centre, -q, sigma, elapsedS, out);
  }
}

interface Verdict {
  candidate: BatchStats;
  baseline: BatchStats;
  ratio: number;
  passes: boolean;
}

function judge(model: QuotingModel, maxPositionUnits: number): Verdict {
  const candidate = runThroughEngine(model, maxPositionUnits);
  // Tick rounding (bid down, ask up) widens a quote by one tick on average: ask the symmetric model for one tick
  // less so the measured average spreads match.
  const baseline = runThroughEngine(new SymmetricModel(candidate.spread.mean - TICK_E8 / E8), maxPositionUnits);
  const ratio = candidate.finalQ.std / baseline.finalQ.std;
  return { candidate, baseline, ratio, passes: ratio < 0.5 };
}

const as = new AvellanedaStoikov({ gamma: 0.1, k: market.k, sessionLengthS: market.T });

describe('closed loop: inventory strategy in the model market', () => {
  it('ends with an inventory std clearly below a symmetric strategy with the same average spread', () => {
    const v = judge(as, 20);
    expect(Math.abs(v.baseline.spread.mean - v.candidate.spread.mean) / v.candidate.spread.mean).toBeLessThan(0.02);
    expect(v.candidate.fillRatePerSide).toBeGreaterThan(10); // it trades
    expect(v.passes).toBe(true);
    expect(v.candidate.finalQ.std).toBeLessThan(4);
  });

  it('a flipped skew sign fails the same assertion', () => {
    const v = judge(new FlippedSkew(as), 20);
    expect(v.passes).toBe(false);
    expect(v.ratio).toBeGreaterThan(1);
  });

  it('a position cap alone does not pass (though it would fool a comparison against an uncapped baseline)', () => {
    const capped = runThroughEngine(new SymmetricModel(1.48), 3);
    const uncapped = runThroughEngine(new SymmetricModel(1.48), 1000);
    expect(capped.finalQ.std).toBeLessThan(0.5 * uncapped.finalQ.std);
    const v = judge(new SymmetricModel(1.48), 3);
    expect(v.passes).toBe(false);
    expect(v.ratio).toBeGreaterThan(0.8);
  });
});
