import { describe, expect, it } from 'vitest';
import {
  InventoryStrategy,
  type MarketStrategy,
  type ModelMarketParams,
  SymmetricStrategy,
  newRunResult,
  runBatch,
  runOnce,
  runPaperComparison,
} from '../../src/market/ModelMarket.js';
import { Prng } from '../../src/market/Prng.js';

const paper: ModelMarketParams = { s0: 100, T: 1, sigma: 2, dt: 0.005, k: 1.5, A: 140 };

describe('ModelMarket', () => {
  it('fill rate per side matches A·e^{−kδ} for several distances', () => {
    for (const delta of [0.3, 0.645, 1.2]) {
      const stats = runBatch(paper, new SymmetricStrategy(2 * delta), 500, 5);
      const expected = paper.A * Math.exp(-paper.k * delta);
      expect(Math.abs(stats.fillRatePerSide - expected) / expected).toBeLessThan(0.03);
      // both sides fill at the same rate
      expect(Math.abs(stats.bidFills - stats.askFills) / stats.askFills).toBeLessThan(0.05);
    }
  });

  it('moves the mid by ±σ√dt per step: profit of a never-filled strategy is 0 and steps = T/dt', () => {
    const never: MarketStrategy = {
      reset() {},
      quote(_t, _s, _q, out) {
        out.bid = Number.NEGATIVE_INFINITY;
        out.ask = Number.POSITIVE_INFINITY;
      },
    };
    const r = runOnce(paper, never, new Prng(3), newRunResult());
    expect(r.steps).toBe(200);
    expect(r.profit).toBe(0);
    expect(r.bidFills + r.askFills).toBe(0);
    expect(Number.isNaN(r.avgSpread)).toBe(true);
  });

  it('profit equals cash plus inventory at the final mid (one scripted fill)', () => {
    // A strategy that quotes only an ask at the mid on step 0: fill probability A·dt = 0.7.
    let seen = 0;
    const once: MarketStrategy = {
      reset() {
        seen = 0;
      },
      quote(_t, s, _q, out) {
        out.bid = Number.NEGATIVE_INFINITY;
        out.ask = seen++ === 0 ? s : Number.POSITIVE_INFINITY;
      },
    };
    const p = { ...paper, T: 0.01 }; // two steps
    for (let seed = 0; seed < 20; seed++) {
      const r = runOnce(p, once, new Prng(seed), newRunResult());
      if (r.askFills === 1) {
        // sold 1 at 100; the mid then moved twice by ±0.2·... σ√dt = 2·√0.005
        const m = 2 * Math.sqrt(0.005);
        expect([100 - (100 + 2 * m), 100 - 100, 100 - (100 - 2 * m)].some((v) => Math.abs(v - r.profit) < 1e-9)).toBe(true);
        expect(r.finalQ).toBe(-1);
      } else {
        expect(r.profit).toBe(0);
      }
    }
  });

  it('inventory strategy spread averages γσ²(T−t) + (2/γ)ln(1+γ/k) over the steps (hand-computed)', () => {
    // mean of (T − t) over t = 0, 0.005, …, 0.995 is 0.5025 → 0.1·4·0.5025 + 20·ln(16/15) = 1.491770423
    const s = runBatch(paper, new InventoryStrategy(0.1, 2, 1.5, 1), 20, 1);
    expect(s.spread.mean).toBeCloseTo(0.201 + 1.2907704227514, 9);
    expect(s.spread.std).toBeLessThan(1e-9);
  });

  it('is seeded and reproducible', () => {
    const a = runPaperComparison(paper, 0.1, 50, 9);
    const b = runPaperComparison(paper, 0.1, 50, 9);
    const c = runPaperComparison(paper, 0.1, 50, 10);
    expect(a).toEqual(b);
    expect(a.inventory.profit.mean).not.toBe(c.inventory.profit.mean);
  });

  it('reproduces the paper qualitatively: inventory strategy has lower profit variance and inventory spread', () => {
    const { inventory, symmetric } = runPaperComparison(paper, 0.1, 1000, 1);
    expect(symmetric.spread.mean).toBeCloseTo(inventory.spread.mean, 12);
    expect(inventory.finalQ.std).toBeLessThan(0.5 * symmetric.finalQ.std);
    expect(inventory.profit.std).toBeLessThan(0.6 * symmetric.profit.std);
    // Paper (γ = 0.1): std(q) 2.80 vs 8.66, std(profit) 5.89 vs 13.43; ours within sampling and spread differences.
    expect(inventory.finalQ.std).toBeGreaterThan(2.3);
    expect(inventory.finalQ.std).toBeLessThan(3.4);
    expect(symmetric.finalQ.std).toBeGreaterThan(7.5);
    expect(symmetric.finalQ.std).toBeLessThan(9.8);
  });

  it('rejects bad parameters naming them', () => {
    const sym = new SymmetricStrategy(1);
    expect(() => runBatch({ ...paper, dt: 0 }, sym, 1, 1)).toThrow(/dt/);
    expect(() => runBatch({ ...paper, A: 1000 }, sym, 1, 1)).toThrow(/A·dt/);
    expect(() => runBatch(paper, sym, 0, 1)).toThrow(/runs/);
    expect(() => runBatch({ ...paper, k: Number.NaN }, sym, 1, 1)).toThrow(/k/);
  });
});
