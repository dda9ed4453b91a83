import { describe, expect, it } from 'vitest';
import { FeeModel } from '../../src/fills/FeeModel.js';
import { FillEngine } from '../../src/fills/FillEngine.js';
import { ArrayBook, type FillEvent, FillIdCounter, OrderSide, VENUE_SIMULATOR } from '../../src/fills/FillTypes.js';
import { SampledLatency } from '../../src/fills/LatencyModel.js';
import { type QueueModelConfig, createQueueModel } from '../../src/fills/QueueModel.js';
import { Positions } from '../../src/fills/Positions.js';
import { Prng } from '../../src/market/Prng.js';

const E8 = 1e8;
const MS = 1e6;
const TICK = 0.01 * E8;

/**
 * A long random market (book walk, trades at and through the touch) with random quotes, replaces and pulls,
 * sampled latencies. Independent bookkeeping checks that no fill is produced twice or dropped and that the
 * positions equal the sum of the fills.
 */
function run(queue: QueueModelConfig, seed: number): void {
  const rng = new Prng(seed);
  const positions = new Positions(VENUE_SIMULATOR);
  const fills: FillEvent[] = [];
  const engine = new FillEngine(
    { symbolId: 3, lotE8: 100_000, maxOrders: 64 },
    createQueueModel(queue),
    new SampledLatency([1 * MS, 2 * MS, 5 * MS], [1 * MS, 3 * MS, 20 * MS], () => rng.nextFloat()),
    new FeeModel(-0.5, 4),
    new FillIdCounter(1000),
    {
      onFill(f) {
        fills.push({ ...f });
        positions.apply(f);
      },
    },
  );
  const book = new ArrayBook(8);
  // quoted quantity per (quote id, side): an order never fills more than its quote asked for
  const quoted = new Map<string, number>();
  let mid = 30_000 * E8;
  let t = 0;
  let quoteId = 0;
  for (let i = 0; i < 40_000; i++) {
    t += rng.nextInt(3 * MS) + 1;
    const r = rng.nextFloat();
    if (r < 0.45) {
      mid += (rng.nextInt(5) - 2) * TICK;
      const bb = mid - TICK;
      const ba = mid + TICK;
      book.counts(5, 5);
      for (let l = 0; l < 5; l++) {
        book.setBid(l, bb - l * TICK, (rng.nextInt(50) + 1) * 1_000_000);
        book.setAsk(l, ba + l * TICK, (rng.nextInt(50) + 1) * 1_000_000);
      }
      engine.onBook(t, book);
      positions.mark(3, mid / E8);
    } else if (r < 0.85) {
      const sell = rng.nextFloat() < 0.5;
      const px = sell ? mid - TICK * (1 + rng.nextInt(3)) : mid + TICK * (1 + rng.nextInt(3));
      engine.onTrade(t, px, (rng.nextInt(30) + 1) * 1_000_000, sell ? OrderSide.SELL : OrderSide.BUY);
    } else if (r < 0.98) {
      quoteId++;
      const bid = mid - TICK * rng.nextInt(4);
      const ask = mid + TICK * rng.nextInt(4);
      const bq = rng.nextInt(4) * 5_000_000;
      const aq = rng.nextInt(4) * 5_000_000;
      quoted.set(`${quoteId}:${OrderSide.BUY}`, bq);
      quoted.set(`${quoteId}:${OrderSide.SELL}`, aq);
      engine.quote(t, quoteId, bid, bq, ask, aq);
    } else {
      engine.pullAll(t);
    }
  }
  engine.pullAll(t);
  engine.advance(t + 1000 * MS);
  expect(engine.openOrders).toBe(0);

  expect(fills.length).toBeGreaterThan(500);
  // unique, increasing, gap-free ids from the injected counter
  fills.forEach((f, i) => expect(f.fillId).toBe(1001 + i));
  const perOrder = new Map<number, { key: string; qty: number }>();
  let qty = 0;
  let fees = 0;
  let cash = 0;
  for (const f of fills) {
    expect(f.qtyE8 % 100_000).toBe(0);
    expect(f.venueId).toBe(VENUE_SIMULATOR);
    const e = perOrder.get(f.orderId) ?? { key: `${f.quoteId}:${f.side}`, qty: 0 };
    expect(e.key).toBe(`${f.quoteId}:${f.side}`);
    e.qty += f.qtyE8;
    perOrder.set(f.orderId, e);
    const s = f.side === OrderSide.BUY ? 1 : -1;
    qty += s * f.qtyE8;
    fees += f.feeE8;
    cash -= ((s * f.qtyE8) / E8) * (f.priceE8 / E8);
  }
  for (const e of perOrder.values()) expect(e.qty).toBeLessThanOrEqual(quoted.get(e.key)!);
  const p = positions.get(3);
  expect(p.qtyE8).toBe(qty);
  expect(p.feesE8).toBe(fees);
  expect(p.fillCount).toBe(fills.length);
  const markTotal = cash + (qty / E8) * p.markPrice;
  expect(p.realizedPnl + p.unrealizedPnl).toBeCloseTo(markTotal, 4);
  p.assertInvariant();
}

describe('fill engine reconciliation over a long random run', () => {
  it('risk-averse', () => run({ kind: 'risk-averse' }, 11));
  it('power', () => run({ kind: 'power', n: 3 }, 12));
  it('log', () => run({ kind: 'log', variant: 2 }, 13));
});
