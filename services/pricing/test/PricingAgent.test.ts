import { describe, expect, it } from 'vitest';
import { AtomicBuffer } from '@mm/agrona';
import {
  BookSnapshotEncoder, DecodeResult, PricingDecoder, PricingFlags, ServiceState, Side, StateEncoder, TradeEncoder,
} from '@mm/protocol';
import { InMemoryTransport, ManualClock, ServiceStatus, type Publisher, type Subscriber } from '@mm/runtime';
import { PricingAgent } from '../src/PricingAgent.js';

const CH = 'aeron:ipc';
const E8 = 1e8;

async function rig(config = {}) {
  const t = new InMemoryTransport();
  const clock = new ManualClock(1e9);
  const bookPub = await t.addExclusivePublication(CH, 10);
  const tradePub = await t.addExclusivePublication(CH, 13);
  const statePub = await t.addExclusivePublication(CH, 11);
  const out = await t.addSubscription(CH, 14);
  const agentSubs = await Promise.all([t.addSubscription(CH, 10), t.addSubscription(CH, 13), t.addSubscription(CH, 11)]);
  const pricingPub = await t.addExclusivePublication(CH, 14);
  const status = new ServiceStatus('mm_pricing', 0, clock, await t.addExclusivePublication(CH, 11), await t.addExclusivePublication(CH, 12), 1e9);
  const logs: string[] = [];
  const agent = new PricingAgent([{ symbol: 'BTCUSDT', config: { minVolSamples: 3, volSampleIntervalMs: 100, maxBookAgeMs: 500, ...config } }],
    agentSubs[0] as Subscriber, agentSubs[1] as Subscriber, agentSubs[2] as Subscriber, pricingPub, clock, status, (_l, m) => logs.push(m));
  const buf = AtomicBuffer.allocate(2048);
  const books = new BookSnapshotEncoder();
  let u = 100;
  const book = (bid: number, bidQty: number, ask: number, askQty: number, gap = 0): void => {
    const first = u + 1 + gap;
    u = first + 1;
    const e = books.wrap(buf, 0).sequence(0).symbol('BTCUSDT').recvTimeNs(clock.nanoTime()).firstUpdateId(first).lastUpdateId(u)
      .levels([bid * E8], [bidQty * E8], 1, [ask * E8], [askQty * E8], 1);
    (bookPub as Publisher).offer(buf, 0, e.encodedLength());
  };
  const trade = (qty: number, side: number): void => {
    const e = new TradeEncoder().wrap(buf, 0).symbol('BTCUSDT').recvTimeNs(clock.nanoTime()).price(100 * E8).qty(qty * E8).aggressorSide(side as 1 | 2);
    tradePub.offer(buf, 0, e.encodedLength());
  };
  const syncing = (): void => {
    const e = new StateEncoder().wrap(buf, 0).service('mm_collector').symbol('BTCUSDT').state(ServiceState.SYNCING).reason('gap');
    statePub.offer(buf, 0, e.encodedLength());
  };
  const dec = new PricingDecoder();
  const read = (): Array<Record<string, number | boolean>> => {
    const rows: Array<Record<string, number | boolean>> = [];
    out.poll((b, o, l) => {
      expect(dec.wrapChecked(b, o, l)).toBe(DecodeResult.OK);
      rows.push({ mid: dec.mid(), wmid: dec.weightedMid(), fair: dec.fairValue(), recv: dec.recvTimeNs(), tradable: (dec.flags() & PricingFlags.TRADABLE) !== 0, seq: dec.sequence(), bid: dec.bestBidPrice() });
    }, 1000);
    return rows;
  };
  return { agent, clock, book, trade, syncing, read, status, logs, bookPub, buf };
}

describe('PricingAgent', () => {
  it('publishes mid, weighted mid and the carried receive time on each book change', async () => {
    const r = await rig({ fairValueMethod: 'weighted-mid' });
    r.book(100, 1, 102, 3);
    const recv = r.clock.nanoTime();
    r.agent.doWork();
    const rows = r.read();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ mid: 101, wmid: 100 * 0.75 + 102 * 0.25, recv, bid: 100 * E8, seq: 0 });
    expect(rows[0]!.fair).toBe(rows[0]!.wmid);
  });

  it('becomes tradable once volatility has samples, and goes not-tradable when the book goes stale', async () => {
    const r = await rig({ fairValueMethod: 'mid' });
    for (let i = 0; i < 10; i++) {
      r.book(100 + (i % 2), 1, 102 + (i % 2), 1);
      r.clock.advanceNs(100e6);
      r.agent.doWork();
    }
    let rows = r.read();
    expect(rows.at(-1)!.tradable).toBe(true);
    expect(r.status.state).toBe(ServiceState.LIVE);
    r.clock.advanceNs(600e6); // past max-book-age
    r.agent.doWork();
    rows = r.read();
    expect(rows.at(-1)!.tradable).toBe(false);
    expect(r.status.state).toBe(ServiceState.DEGRADED);
  });

  it('a collector SYNCING state or a hole in update ids breaks the chain; a malformed message is counted and skipped', async () => {
    const r = await rig({ fairValueMethod: 'mid' });
    for (let i = 0; i < 6; i++) { r.book(100, 1, 102, 1); r.clock.advanceNs(100e6); r.agent.doWork(); }
    r.book(100, 1, 102, 1, -1); // overlaps the ids before (a depth event after a bookTicker's top): no hole
    r.agent.doWork();
    expect(r.agent.counters.holes).toBe(0);
    r.book(100, 1, 102, 1, 5); // hole
    r.agent.doWork();
    expect(r.agent.counters.holes).toBe(1);
    r.syncing();
    r.agent.doWork();
    r.bookPub.offer(r.buf, 0, 5); // truncated garbage
    r.agent.doWork();
    expect(r.agent.counters.bad).toBe(1);
    expect(r.status.errors).toBe(1);
    r.trade(2, Side.BUY);
    r.agent.doWork();
    expect(r.agent.counters.trades).toBe(1);
  });
});
