import { describe, expect, it } from 'vitest';
import { OrderSide } from '../../src/fills/FillTypes.js';
import {
  LogProbability,
  PowerProbability,
  type QueueModel,
  createQueueModel,
} from '../../src/fills/QueueModel.js';
import { E8, MS, rig, setTop } from './helpers.js';

/**
 * One scripted sequence, three models. Buy 1 @ 100 joins behind 5 displayed; 4 more join behind it (level 9);
 * then 3 are cancelled (level 6, no trades); then sells trade 4 @ 100, then 2 @ 100. Lot 0.001.
 */
function runScript(queue: QueueModel): number[] {
  const r = rig({ queue, lotE8: 0.001 * E8 });
  const { engine, book } = r;
  engine.onBook(1 * MS, setTop(book, 100, 5, 101, 5));
  engine.quote(2 * MS, 1, 100 * E8, 1 * E8, 0, 0);
  engine.onBook(3 * MS, setTop(book, 100, 9, 101, 5));
  engine.onBook(4 * MS, setTop(book, 100, 6, 101, 5));
  engine.onTrade(5 * MS, 100 * E8, 4 * E8, OrderSide.SELL);
  engine.onTrade(6 * MS, 100 * E8, 2 * E8, OrderSide.SELL);
  return r.sink.fills.map((f) => f.qtyE8);
}

describe('queue models on a scripted sequence', () => {
  it('risk-averse: cancels never advance the order; trades do', () => {
    // front 5 → (level 9) 5 → (level 6) min(5, 6) = 5 → trade 4: front 1 → trade 2: front −1 → fill 1
    expect(runScript(createQueueModel({ kind: 'risk-averse' }))).toEqual([1 * E8]);
  });

  it('power (n = 2): part of the cancel is ahead of the order', () => {
    // cancel chg = 9 − 6 − 0 = 3, back = prev − front = 9 − 5 = 4, p = 4²/(4² + 5²) = 16/41
    // front = 5 − (1 − 16/41)·3 = 3.170731707; trade 4 → front −0.829268293 → fill 0.829 (lot 0.001)
    // → front 0; trade 2 reaches the order: fill the remaining 0.171
    expect(runScript(createQueueModel({ kind: 'power', n: 2 }))).toEqual([82_900_000, 17_100_000]);
  });

  it('log: p = ln(1+back)/(ln(1+back) + ln(1+front))', () => {
    // p = ln5/(ln5 + ln6) = 0.473197445; front = 5 − (1 − p)·3 = 3.419592336; trade 4 → fill 0.580 (lot)
    expect(runScript(createQueueModel({ kind: 'log' }))).toEqual([58_000_000, 42_000_000]);
  });

  it('a level that grows leaves front unchanged; one that shrinks below front caps it', () => {
    for (const kind of ['risk-averse', 'power', 'log'] as const) {
      const m = createQueueModel(kind === 'power' ? { kind, n: 3 } : { kind });
      const q = { front: 0, prevLevelQty: 0, cumTradeQty: 0 };
      m.onJoin(q, 10);
      m.onDepth(q, 20);
      expect(q.front).toBe(10);
      m.onDepth(q, 4);
      expect(q.front).toBeLessThanOrEqual(4);
    }
  });

  it('probabilities are 0 at the head and 1 at the tail', () => {
    const fns = [
      new PowerProbability(2, 1),
      new PowerProbability(2, 2),
      new PowerProbability(3, 3),
      new LogProbability(1),
      new LogProbability(2),
    ];
    for (const f of fns) {
      expect(f.prob(5 * E8, 0)).toBe(0); // nothing behind: the decrease was ahead
      expect(f.prob(0, 5 * E8)).toBe(1); // nothing ahead: the decrease was behind
    }
  });

  it('rejects an unknown kind clearly', () => {
    expect(() => createQueueModel({ kind: 'fifo' } as never)).toThrow(/unknown queue model kind "fifo"/);
    expect(() => createQueueModel({ kind: 'power', n: 0 })).toThrow(/exponent/);
  });
});
