import { afterEach, describe, expect, it } from 'vitest';
import { BASE_TOML, MS, removeTempDirs, rig, type Row } from './rig.js';

afterEach(() => removeTempDirs());

const quotesOf = (rows: Row[], symbol: string): Row[] => rows.filter((r) => r.type === 'quote' && r.symbol === symbol);

/** event-order = true: pricing is decided only once the simulator's progress (snapshot time on 17) has reached it. */
describe('StrategyAgent event order', () => {
  it('holds pricing until the venue has applied every market event before it, then decides on it', async () => {
    const r = await rig({ toml: `event-order = true\n${BASE_TOML}` });
    r.read();
    r.ready(); // snapshots at t0 (progress t0), pricing at t0
    expect(quotesOf(r.step(1 * MS), 'BTCUSDT')).toHaveLength(1);
    const t1 = r.clock.nanoTime();
    r.sendPricing('BTCUSDT', { mid: 67_100 });
    expect(quotesOf(r.step(10 * MS), 'BTCUSDT')).toEqual([]);
    expect(quotesOf(r.step(100 * MS), 'BTCUSDT')).toEqual([]);
    // The venue's progress passes t1: the held pricing is decided, and the quote carries its time.
    r.sendPosition('BTCUSDT');
    const quotes = quotesOf(r.step(1 * MS), 'BTCUSDT');
    expect(quotes).toHaveLength(1);
    expect(quotes[0]!.recv).toBe(t1);
  });

  it('without event order the same pricing is decided at once', async () => {
    const r = await rig();
    r.read();
    r.ready();
    r.step(1 * MS);
    r.sendPricing('BTCUSDT', { mid: 67_100 });
    expect(quotesOf(r.step(1 * MS), 'BTCUSDT')).toHaveLength(1);
  });

  it('takes pricing as it comes once the venue has not progressed for the longest wait', async () => {
    const r = await rig({ toml: `event-order = true\n${BASE_TOML}` });
    r.read();
    r.ready();
    r.step(1 * MS);
    r.sendPricing('BTCUSDT', { mid: 67_100 });
    expect(quotesOf(r.step(0), 'BTCUSDT')).toEqual([]); // read and held now
    for (let i = 0; i < 19; i++) {
      r.heartbeat(); // the venue is alive, it just does not progress
      expect(quotesOf(r.step(100 * MS), 'BTCUSDT')).toEqual([]);
    }
    r.heartbeat();
    expect(quotesOf(r.step(99 * MS), 'BTCUSDT')).toEqual([]);
    expect(quotesOf(r.step(1 * MS), 'BTCUSDT')).toHaveLength(1);
    expect(r.logs.some((l) => l.includes('venue progress did not reach a pricing in time'))).toBe(true);
  });
});
