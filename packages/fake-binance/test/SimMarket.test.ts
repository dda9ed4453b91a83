import { describe, expect, it } from 'vitest';
import { SimMarket, type TradeRecord } from '../src/SimMarket.js';

const spec = { symbol: 'BTCUSDT', tickSize: 1_000_000, lotSize: 1000, initialMid: 6_700_000_000_000, levels: 40 };

describe('SimMarket', () => {
  it('is deterministic per seed, never crossed, ids contiguous, whole ticks and lots', () => {
    const a = new SimMarket(spec, 1);
    const b = new SimMarket(spec, 1);
    const trades: TradeRecord[] = [];
    for (let i = 0; i < 300; i++) {
      a.step(15, i * 100, (t) => trades.push(t));
      b.step(15, i * 100, () => {});
      const ev = a.flushDepth(i * 100);
      b.flushDepth(i * 100);
      expect(a.bestBid()).toBeLessThan(a.bestAsk());
      if (ev !== null) {
        for (const [p, q] of [...ev.bids, ...ev.asks]) {
          expect(p % spec.tickSize).toBe(0);
          expect(q % spec.lotSize).toBe(0);
        }
      }
    }
    expect(a.levels(1000)).toEqual(b.levels(1000));
    for (let i = 1; i < a.history.length; i++) expect(a.history[i]!.U).toBe(a.history[i - 1]!.u + 1);
    for (let i = 1; i < trades.length; i++) expect(trades[i]!.tradeId).toBe(trades[i - 1]!.tradeId + 1);
    expect(trades.length).toBeGreaterThan(100);
    expect(new SimMarket(spec, 2).levels(5)).toEqual(new SimMarket(spec, 2).levels(5));
  });

  it('bookAt(u) rebuilds the book at every event boundary, forwards and backwards', () => {
    const m = new SimMarket(spec, 9);
    const snapshots = new Map<number, ReturnType<SimMarket['levels']>>();
    for (let i = 0; i < 100; i++) {
      m.step(10, i, () => {});
      const ev = m.flushDepth(i);
      if (ev !== null) snapshots.set(ev.u, m.levels(Infinity));
    }
    const ids = [...snapshots.keys()];
    for (const u of ids) expect(m.bookAt(u)).toEqual(snapshots.get(u));
    for (const u of ids.reverse().slice(0, 10)) expect(m.bookAt(u)).toEqual(snapshots.get(u));
    expect(m.bookAt(ids[0]! + 0.5)).toBeUndefined();
  });

  it('renders Binance JSON with 8-decimal strings', () => {
    const m = new SimMarket(spec, 3);
    m.step(5, 1000, () => {});
    const ev = m.flushDepth(1000)!;
    const j = JSON.parse(SimMarket.depthJson('BTCUSDT', ev)) as { e: string; U: number; u: number; b: [string, string][] };
    expect([j.e, j.U, j.u]).toEqual(['depthUpdate', ev.U, ev.u]);
    for (const [p] of j.b) expect(p).toMatch(/^\d+\.\d{8}$/);
    const s = JSON.parse(SimMarket.snapshotJson(m.levels(3))) as { lastUpdateId: number; bids: unknown[] };
    expect([s.lastUpdateId, s.bids.length]).toEqual([m.updateId, 3]);
  });
});
