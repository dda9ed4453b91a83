import { afterEach, describe, expect, it } from 'vitest';
import { Side } from '@mm/protocol';
import { E8, MS, Rig, removeJournalDirs } from './helpers.js';

afterEach(() => removeJournalDirs());

/** Event time: quotes and market events apply in the order of their carried times, not of their arrival. */
describe('SimulatorAgent event time', () => {
  const T0 = 1e9;

  it('applies a late quote before the market event it precedes in event time, when the hold covers the delay', async () => {
    const r = await Rig.create({ settings: { holdNs: 50 * MS } });
    r.book('BTCUSDT', [[100, 5]], [[101, 5]], T0).step().step();
    // The trade (t0 + 2 ms) reaches the venue before the quote decided at t0 (live at t0 + 1 ms).
    r.trade('BTCUSDT', 99, 1, Side.SELL, T0 + 2 * MS).step();
    r.quote('BTCUSDT', 1, 100, 1, 0, 0, undefined, T0).step().step();
    // The quote (t0) does not pass t0 + 2 ms − 1 ms: the strategy may still send one that precedes the trade.
    expect(r.fills).toEqual([]);
    r.step(50);
    expect(r.fills.map((f) => [f.side, f.price, f.qty, f.fillTimeNs])).toEqual([[Side.BUY, 100 * E8, 1 * E8, T0 + 2 * MS]]);
    expect(r.agent.counters.releasedByTimeout).toBe(1);
    r.close();
  });

  it('without a hold the same arrival order applies the trade first: the quote misses it', async () => {
    const r = await Rig.create({ settings: { holdNs: 0 } });
    r.book('BTCUSDT', [[100, 5]], [[101, 5]], T0).step();
    r.trade('BTCUSDT', 99, 1, Side.SELL, T0 + 2 * MS).step();
    r.quote('BTCUSDT', 1, 100, 1, 0, 0, undefined, T0).step();
    expect(r.fills).toEqual([]);
    expect(r.agent.counters.lateQuotes).toBe(1);
    r.close();
  });

  it('holds a market event until the strategy has decided through its time, or until the hold times out', async () => {
    const r = await Rig.create({ settings: { holdNs: 50 * MS } });
    r.book('BTCUSDT', [[100, 5]], [[101, 5]], T0).step().step().step(50);
    r.quote('BTCUSDT', 1, 100, 1, 0, 0, undefined, T0).step().step();
    r.trade('BTCUSDT', 99, 1, Side.SELL, T0 + 10 * MS).step().step().step();
    expect(r.agent.heldCount).toBe(1);
    // A pull decided before the trade's time does not show that the strategy is done with it.
    r.pull('BTCUSDT', undefined, T0 + 9.9 * MS).step().step();
    expect(r.agent.heldCount).toBe(1);
    // One carrying the trade's time does: the pull (cancel latency 5 ms) then comes after the trade, which fills.
    r.pull('BTCUSDT', undefined, T0 + 10 * MS).step().step();
    expect(r.agent.heldCount).toBe(0);
    expect(r.fills.map((f) => f.fillTimeNs)).toEqual([T0 + 10 * MS]);
    expect(r.agent.counters.releasedByWatermark).toBe(1);

    r.trade('BTCUSDT', 99, 1, Side.SELL, T0 + 20 * MS).step().step();
    expect(r.agent.heldCount).toBe(1);
    r.step(49.9);
    expect(r.agent.heldCount).toBe(1);
    r.step(0.1);
    expect(r.agent.heldCount).toBe(0);
    expect(r.agent.counters.releasedByTimeout).toBe(2);
    r.close();
  });

  it('releases one event at a time: the next one waits its own hold from when the previous one was applied', async () => {
    const r = await Rig.create({ settings: { holdNs: 50 * MS } });
    r.book('BTCUSDT', [[100, 5]], [[101, 5]], T0).trade('BTCUSDT', 100, 0.1, Side.SELL, T0 + 1 * MS)
      .trade('BTCUSDT', 100, 0.1, Side.SELL, T0 + 2 * MS).step();
    expect(r.agent.heldCount).toBe(3);
    r.step(50);
    expect(r.agent.heldCount).toBe(2);
    r.step(49);
    expect(r.agent.heldCount).toBe(2);
    r.step(1);
    expect(r.agent.heldCount).toBe(1);
    // The backtest's way: release the head once its own pipeline is idle.
    expect(r.agent.releaseNextHeld()).toBe(true);
    expect([r.agent.heldCount, r.agent.releaseNextHeld()]).toEqual([0, false]);
    r.close();
  });

  it('publishes its progress (every market event before it applied) as the time of a snapshot whenever it moves', async () => {
    const r = await Rig.create({ settings: { holdNs: 50 * MS } });
    r.book('BTCUSDT', [[100, 5]], [[101, 5]], T0).trade('BTCUSDT', 100, 0.1, Side.SELL, T0 + 3 * MS).step();
    expect(r.lastPosition('BTCUSDT')!.time).toBe(T0);
    r.step(50);
    expect(r.lastPosition('BTCUSDT')!.time).toBe(T0 + 3 * MS);
    r.step(50);
    expect(r.lastPosition('BTCUSDT')!.time).toBe(T0 + 3 * MS + 1);
    const count = r.positions.length;
    r.step(10);
    expect(r.positions.length).toBe(count);
    r.close();
  });

  it('books and trades from the two streams apply in event-time order whatever order they are read in', async () => {
    const r = await Rig.create({ settings: { holdNs: 50 * MS } });
    r.book('BTCUSDT', [[100, 5]], [[101, 5]], T0).step();
    r.quote('BTCUSDT', 1, 100, 1, 0, 0, undefined, T0).step().step();
    // Read in one cycle: the book at t0 + 3 ms (bid moves away), the trade at t0 + 2 ms through our bid.
    r.book('BTCUSDT', [[98, 5]], [[99, 5]], T0 + 3 * MS).trade('BTCUSDT', 99.5, 1, Side.SELL, T0 + 2 * MS).step();
    r.step(50);
    // The trade came first in event time: a maker fill at 100; the book at t0 + 3 ms then finds the order gone.
    expect(r.fills.map((f) => [f.price, f.liquidity, f.fillTimeNs])).toEqual([[100 * E8, 1, T0 + 2 * MS]]);
    r.close();
  });

  it('drops a timed quote read before any market data: it was sent to a predecessor', async () => {
    const r = await Rig.create({ settings: { holdNs: 0 } });
    r.quote('BTCUSDT', 1, 100, 1, 0, 0, undefined, T0).step();
    expect(r.agent.counters.staleQuotes).toBe(1);
    r.book('BTCUSDT', [[100, 5]], [[101, 5]], T0 + 1 * MS).step();
    r.trade('BTCUSDT', 99, 1, Side.SELL, T0 + 5 * MS).step();
    expect(r.fills).toEqual([]);
    r.close();
  });

  it('drops quotes whose market event is older than the venue event time by more than stale-quote, and clamps future ones', async () => {
    const r = await Rig.create({ settings: { holdNs: 0, staleQuoteNs: 500 * MS } });
    r.book('BTCUSDT', [[100, 5]], [[101, 5]], T0 + 1000 * MS).step();
    r.quote('BTCUSDT', 1, 100, 1, 0, 0, undefined, T0 + 499 * MS).step();
    expect(r.agent.counters.staleQuotes).toBe(1);
    // From a host whose clock runs an hour ahead: applied at the newest market time the venue has, not an hour on.
    r.quote('BTCUSDT', 2, 100, 1, 0, 0, undefined, T0 + 3_600_000 * MS).step();
    expect(r.agent.eventTimeNs).toBe(T0 + 1000 * MS);
    r.trade('BTCUSDT', 99, 1, Side.SELL, T0 + 1001 * MS).step();
    expect(r.fills.map((f) => [f.fillId, f.fillTimeNs])).toEqual([[1, T0 + 1001 * MS]]);
    r.close();
  });
});
