import { describe, expect, it } from 'vitest';
import { MicroPriceEstimator, type MicroPriceOptions } from '../../src/pricing/MicroPriceEstimator.js';
import { Random } from './support/Random.js';

const TICK = 1;

function estimator(overrides: Partial<MicroPriceOptions> = {}): MicroPriceEstimator {
  return new MicroPriceEstimator({
    tick: TICK, imbalanceBuckets: 2, spreadBuckets: 1, maxMoveHalfTicks: 4, window: 1000, recalibrateEvery: 1_000_000,
    minMoves: 1, minStateCount: 1, horizonMoves: 6, ...overrides,
  });
}

/** A one-tick-spread book at `mid` whose imbalance falls in bucket `bucket` of `buckets`. */
function book(mid: number, bucket: number, buckets: number): [number, number, number, number] {
  const imbalance = (bucket + 0.5) / buckets;
  return [mid - TICK / 2, mid + TICK / 2, imbalance * 100, (1 - imbalance) * 100];
}

describe('MicroPriceEstimator states', () => {
  it('buckets imbalance and spread, and rejects books without a state', () => {
    const m = estimator({ imbalanceBuckets: 4, spreadBuckets: 2 });
    expect(m.stateOf(100, 101, 1, 9)).toBe(0);    // I = 0.1, 1 tick
    expect(m.stateOf(100, 101, 9, 1)).toBe(3);    // I = 0.9
    expect(m.stateOf(100, 101, 1, 0)).toBe(3);    // I = 1 goes to the last bucket
    expect(m.stateOf(100, 102, 5, 5)).toBe(6);    // 2 ticks, I = 0.5 → bucket 2
    expect(m.stateOf(100, 107, 5, 5)).toBe(6);    // wider spreads share the last spread bucket
    expect(m.stateOf(100, 100, 5, 5)).toBe(-1);   // locked
    expect(m.stateOf(100, 101, 0, 0)).toBe(-1);   // no quantity
  });
});

describe('MicroPriceEstimator on scripted sequences (hand-computed)', () => {
  it('a bid-heavy book that always ticks up: G = horizon × 1 tick', () => {
    // Every observation: state 1 (bid heavy), mid +1 tick. Mirror: state 0, mid −1 tick.
    // Q = 0, R1(1, +2 half ticks) = 1, R2(1→1) = 1 ⇒ g1 = +2 half ticks, B = [[1,0],[0,1]], G = 6 × 2 half ticks.
    for (const horizon of [1, 6]) {
      const m = estimator({ horizonMoves: horizon });
      for (let i = 0; i < 20; i++) m.observe(...book(100 + i, 1, 2));
      m.calibrate();
      expect(m.isCalibrated()).toBe(true);
      expect(m.adjustmentHalfTicks(1)).toBeCloseTo(2 * horizon, 12);
      expect(m.adjustmentHalfTicks(0)).toBeCloseTo(-2 * horizon, 12);
      expect(m.estimate(...book(200, 1, 2))).toBeCloseTo(200 + horizon * TICK, 12);
    }
  });

  it('alternating pressure: G1 = ±1 tick, B swaps states, so G alternates with the horizon', () => {
    // Cycle (state, mid): (1, m) → (1, m) → (0, m+1) → (0, m+1) → (1, m) …
    // From 1: stay 1/2, up 1 tick to 0 w.p. 1/2; from 0: stay 1/2, down to 1 w.p. 1/2 (the mirror is identical).
    // (I − Q) = ½·I, R1·k = [−1, +1] half ticks ⇒ g1 = [−2, +2] half ticks; B = (I − Q)⁻¹·R2 = [[0,1],[1,0]].
    // G(n) = g1 + B g1 + …: n = 1 → ±2, n = 2 → 0, n = 3 → ±2 half ticks.
    const cases: [number, number][] = [[1, 2], [2, 0], [3, 2], [6, 0]];
    for (const [horizon, g] of cases) {
      const m = estimator({ horizonMoves: horizon });
      const cycle: [number, number][] = [[1, 0], [1, 0], [0, 1], [0, 1]];
      for (let i = 0; i < 400; i++) { const [s, dm] = cycle[i % 4]!; m.observe(...book(100 + dm, s, 2)); }
      m.calibrate();
      expect(m.adjustmentHalfTicks(1), `horizon ${horizon}`).toBeCloseTo(g, 12);
      expect(m.adjustmentHalfTicks(0), `horizon ${horizon}`).toBeCloseTo(-g, 12);
    }
  });

  it('falls back (NaN) until it has enough moves, and for states without data', () => {
    const m = estimator({ minMoves: 10, minStateCount: 1, imbalanceBuckets: 4 });
    for (let i = 0; i < 5; i++) m.observe(...book(100 + i, 3, 4));
    m.calibrate();
    expect(m.moveCount()).toBe(4);
    expect(m.isCalibrated()).toBe(false);
    expect(Number.isNaN(m.estimate(...book(100, 3, 4)))).toBe(true);
    for (let i = 5; i < 20; i++) m.observe(...book(100 + i, 3, 4));
    m.calibrate();
    expect(m.isCalibrated()).toBe(true);
    expect(m.estimate(...book(100, 3, 4))).toBeGreaterThan(100);
    expect(Number.isNaN(m.estimate(...book(100, 1, 4)))).toBe(true); // never seen (nor its mirror)
  });

  it('keeps only the rolling window', () => {
    const m = estimator({ window: 10, horizonMoves: 1 });
    for (let i = 0; i < 50; i++) m.observe(...book(100 + i, 1, 2));      // up moves
    for (let i = 0; i < 11; i++) m.observe(...book(150, 1, 2));          // then 10+ transitions without moves
    m.calibrate();
    expect(m.transitionCount()).toBe(10);
    expect(m.moveCount()).toBe(0);
    expect(m.isCalibrated()).toBe(false);
  });

  it('reports a singular system as not calibrated', () => {
    // Only self-transitions with no mid move from a state: (I − Q) has a zero row.
    const m = estimator({ minMoves: 0 });
    for (let i = 0; i < 10; i++) m.observe(...book(100, 1, 2));
    m.calibrate();
    expect(m.isCalibrated()).toBe(false);
  });
});

describe('MicroPriceEstimator on a synthetic book with a known next-mid distribution', () => {
  it('recovers E[next mid] per imbalance bucket', () => {
    // Markov book, spread 1 tick, 5 imbalance buckets. Each step: w.p. q the mid stays and the bucket is redrawn
    // uniformly; otherwise the mid moves ±1 tick, up w.p. p(b) = (b + ½)/5, and the bucket is redrawn.
    // Exact answer: g1(b) = (1 − q)(2p(b) − 1) ticks, and B·g1 = 0 (next bucket uniform, mean of 2p − 1 is 0),
    // so the micro-price is mid + (1 − q)(2p(b) − 1)·tick for any horizon.
    const buckets = 5;
    const q = 0.3;
    const rnd = new Random(77);
    const m = estimator({ imbalanceBuckets: buckets, window: 200_000, minMoves: 100, minStateCount: 100 });
    let mid = 1000;
    let bucket = 2;
    for (let i = 0; i < 100_000; i++) {
      m.observe(...book(mid, bucket, buckets));
      if (rnd.next() >= q) mid += rnd.next() < (bucket + 0.5) / buckets ? TICK : -TICK;
      bucket = rnd.int(0, buckets - 1);
    }
    m.calibrate();
    expect(m.isCalibrated()).toBe(true);
    for (let b = 0; b < buckets; b++) {
      const truth = (1 - q) * (2 * ((b + 0.5) / buckets) - 1);
      const estimate = m.estimate(...book(5000, b, buckets)) - 5000;
      // ~20k observations per bucket (mirror included): sampling error of the mean move ≈ 0.01 tick.
      expect(Math.abs(estimate - truth), `bucket ${b}: ${estimate} vs ${truth}`).toBeLessThan(0.04);
    }
  });
});
