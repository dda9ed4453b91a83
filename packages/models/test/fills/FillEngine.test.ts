import { describe, expect, it } from 'vitest';
import { FeeModel } from '../../src/fills/FeeModel.js';
import { FillLiquidity, OrderSide, VENUE_SIMULATOR } from '../../src/fills/FillTypes.js';
import { ConstantLatency } from '../../src/fills/LatencyModel.js';
import { E8, MS, rig, setTop } from './helpers.js';

describe('FillEngine', () => {
  it('fills a trade through the price in full, at our price, as maker, with the venue id', () => {
    const { engine, sink, book } = rig();
    engine.onBook(1 * MS, setTop(book, 100, 5, 101, 5));
    engine.quote(2 * MS, 42, 100 * E8, 2 * E8, 101 * E8, 1 * E8);
    engine.onTrade(3 * MS, 99.5 * E8, 0.1 * E8, OrderSide.SELL);
    expect(sink.fills).toHaveLength(1);
    const f = sink.fills[0]!;
    expect(f).toMatchObject({
      fillId: 1,
      venueId: VENUE_SIMULATOR,
      symbolId: 7,
      quoteId: 42,
      side: OrderSide.BUY,
      priceE8: 100 * E8,
      qtyE8: 2 * E8,
      liquidity: FillLiquidity.MAKER,
      fillTimeNs: 3 * MS,
    });
    expect(engine.openOrders).toBe(1);
  });

  it('ignores trades whose aggressor is on our side', () => {
    const { engine, sink, book } = rig();
    engine.onBook(1 * MS, setTop(book, 100, 0, 101, 5));
    engine.quote(2 * MS, 1, 100 * E8, 1 * E8, 0, 0);
    engine.onTrade(3 * MS, 100 * E8, 5 * E8, OrderSide.BUY);
    expect(sink.fills).toHaveLength(0);
    engine.onTrade(4 * MS, 100 * E8, 5 * E8, OrderSide.SELL);
    expect(sink.fills).toHaveLength(1);
  });

  it('fills when the book moves through the price', () => {
    const { engine, sink, book } = rig();
    engine.onBook(1 * MS, setTop(book, 100, 5, 101, 5));
    engine.quote(2 * MS, 1, 100 * E8, 1 * E8, 101 * E8, 3 * E8);
    engine.onBook(3 * MS, setTop(book, 101.5, 2, 102, 5)); // best bid 101.5 ≥ our ask 101
    expect(sink.fills.map((f) => [f.side, f.priceE8, f.qtyE8, f.liquidity])).toEqual([
      [OrderSide.SELL, 101 * E8, 3 * E8, FillLiquidity.MAKER],
    ]);
    engine.onBook(4 * MS, setTop(book, 99, 2, 99.5, 1)); // best ask 99.5 ≤ our bid 100
    expect(sink.fills).toHaveLength(2);
    expect(sink.fills[1]!.side).toBe(OrderSide.BUY);
    expect(engine.openOrders).toBe(0);
  });

  it('an order crossing when it goes live takes liquidity as taker, level by level, and rests the rest', () => {
    const { engine, sink, book } = rig();
    engine.onBook(1 * MS, book.set([[99 * E8, 1 * E8]], [[100 * E8, 1 * E8], [100.5 * E8, 2 * E8], [101 * E8, 4 * E8]]));
    engine.quote(2 * MS, 1, 100.5 * E8, 5 * E8, 0, 0);
    expect(sink.fills.map((f) => [f.priceE8, f.qtyE8, f.liquidity])).toEqual([
      [100 * E8, 1 * E8, FillLiquidity.TAKER],
      [100.5 * E8, 2 * E8, FillLiquidity.TAKER],
    ]);
    expect(engine.openQty(OrderSide.BUY)).toBe(2 * E8);
  });

  it('does not fill before the entry latency has passed', () => {
    const { engine, sink, book } = rig({ latency: new ConstantLatency(10 * MS, 30 * MS) });
    engine.onBook(0, setTop(book, 100, 5, 101, 5));
    engine.quote(0, 1, 100 * E8, 1 * E8, 0, 0);
    engine.onTrade(9 * MS, 99 * E8, 1 * E8, OrderSide.SELL);
    expect(sink.fills).toHaveLength(0);
    engine.onTrade(10 * MS, 99 * E8, 1 * E8, OrderSide.SELL);
    expect(sink.fills).toHaveLength(1);
  });

  it('an order cancelled inside the cancel latency still fills; after it, it does not', () => {
    const { engine, sink, book } = rig({ latency: new ConstantLatency(10 * MS, 30 * MS) });
    engine.onBook(0, setTop(book, 100, 5, 101, 5));
    engine.quote(0, 1, 100 * E8, 2 * E8, 0, 0);
    engine.pullAll(20 * MS); // effective at 50 ms
    engine.onTrade(49 * MS, 99 * E8, 1 * E8, OrderSide.SELL);
    expect(sink.fills.map((f) => f.qtyE8)).toEqual([2 * E8]);

    const second = rig({ latency: new ConstantLatency(10 * MS, 30 * MS) });
    second.engine.onBook(0, setTop(second.book, 100, 5, 101, 5));
    second.engine.quote(0, 1, 100 * E8, 2 * E8, 0, 0);
    second.engine.pullAll(20 * MS);
    second.engine.onTrade(50 * MS, 99 * E8, 1 * E8, OrderSide.SELL);
    expect(second.sink.fills).toHaveLength(0);
    expect(second.engine.openOrders).toBe(0);
  });

  it('a replaced order can fill during the cancel latency, and so can its replacement once live', () => {
    const { engine, sink, book } = rig({ latency: new ConstantLatency(5 * MS, 30 * MS) });
    engine.onBook(0, setTop(book, 100, 5, 101, 5));
    engine.quote(0, 1, 100 * E8, 1 * E8, 0, 0);
    engine.quote(10 * MS, 2, 99.5 * E8, 1 * E8, 0, 0); // old cancel effective at 40 ms, new live at 15 ms
    engine.onTrade(20 * MS, 99 * E8, 1 * E8, OrderSide.SELL);
    expect(sink.fills.map((f) => [f.quoteId, f.priceE8])).toEqual([
      [1, 100 * E8],
      [2, 99.5 * E8],
    ]);
  });

  it('keeps an unchanged side and its queue position across quotes', () => {
    const { engine, sink, book } = rig({ latency: new ConstantLatency(1 * MS, 1 * MS) });
    engine.onBook(0, setTop(book, 100, 5, 101, 5));
    engine.quote(0, 1, 100 * E8, 1 * E8, 101 * E8, 1 * E8);
    engine.onTrade(2 * MS, 100 * E8, 4 * E8, OrderSide.SELL); // front 5 → 1
    engine.quote(3 * MS, 2, 100 * E8, 1 * E8, 101.5 * E8, 1 * E8); // bid unchanged, ask replaced
    engine.onTrade(5 * MS, 100 * E8, 1.5 * E8, OrderSide.SELL); // front 1 → −0.5
    expect(sink.fills.map((f) => [f.quoteId, f.qtyE8])).toEqual([[1, 0.5 * E8]]);
  });

  it('charges maker and taker fees in bps of notional (negative = rebate)', () => {
    const { engine, sink, book } = rig({ fees: new FeeModel(-1, 7.5) });
    engine.onBook(0, setTop(book, 100, 5, 101, 5));
    engine.quote(1, 1, 100 * E8, 2 * E8, 0, 0);
    engine.onTrade(2, 99 * E8, 1 * E8, OrderSide.SELL);
    // maker: 100 × 2 = 200 quote units × −1 bps = −0.02 → −2_000_000 (1e-8 units)
    expect(sink.fills[0]!.feeE8).toBe(-2_000_000);
    engine.quote(3, 2, 102 * E8, 1 * E8, 0, 0); // crosses the 101 ask: taker 101 × 1 × 7.5 bps = 0.07575
    expect(sink.fills[1]!.liquidity).toBe(FillLiquidity.TAKER);
    expect(sink.fills[1]!.feeE8).toBe(7_575_000);
  });

  it('reports a full order pool', () => {
    const { engine, book } = rig({ latency: new ConstantLatency(0, 1000 * MS) });
    engine.onBook(0, setTop(book, 100, 5, 101, 5));
    let rc = 0;
    for (let i = 0; i < 40 && rc === 0; i++) rc = engine.quote(i, i + 1, (90 + i * 0.1) * E8, E8, (110 + i * 0.1) * E8, E8);
    expect(rc).toBe(-1);
  });
});
