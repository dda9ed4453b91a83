import { describe, expect, it } from 'vitest';
import { AtomicBuffer } from '@mm/agrona';
import { BookSnapshotEncoder, DecodeResult, InstrumentEncoder, InstrumentStatus, PricingDecoder, symbolBytes } from '@mm/protocol';
import { InMemoryTransport, ManualClock, ServiceStatus, type Subscriber } from '@mm/runtime';
import { PricingAgent } from '../src/PricingAgent.js';

/** Pricing's tick: the override (fixed), else stream 20's instrument, else the configured fallback until it is known. */
const CH = 'aeron:ipc';
const E8 = 1e8;

async function rig() {
  const t = new InMemoryTransport();
  const clock = new ManualClock(1e9);
  const bookPub = await t.addExclusivePublication(CH, 10);
  const instrumentPub = await t.addExclusivePublication(CH, 20);
  const out = await t.addSubscription(CH, 14);
  const subs = await Promise.all([10, 13, 11, 20].map((id) => t.addSubscription(CH, id)));
  const status = new ServiceStatus('mm_pricing', 0, clock, await t.addExclusivePublication(CH, 11), await t.addExclusivePublication(CH, 12), 1e9);
  const logs: string[] = [];
  const agent = new PricingAgent([
    { symbol: 'BTCUSDT', config: { tickSize: 0.01, minVolSamples: 3, maxBookAgeMs: 500 } },
    { symbol: 'ETHUSDT', config: { tickSize: 0.05 }, fixedTick: true },
  ], subs[0] as Subscriber, subs[1] as Subscriber, subs[2] as Subscriber, await t.addExclusivePublication(CH, 14), clock, status,
  (_l, m) => logs.push(m), subs[3] as Subscriber);
  const buf = AtomicBuffer.allocate(1024);
  const instrument = (symbol: string, tickE8: number): void => {
    const e = new InstrumentEncoder().wrap(buf, 0).sequence(0).timeNs(clock.nanoTime()).exchangeTimeNs(0, 0).fetchTimeNs(0, 0)
      .tickSize(tickE8).stepSize(1000).minQty(0).minNotional(0).symbolBytes(symbolBytes(symbol)).status(InstrumentStatus.TRADING).overridden(0);
    expect(instrumentPub.offer(buf, 0, e.encodedLength())).toBeGreaterThan(0);
  };
  let u = 100;
  const book = (bid: number, ask: number): void => {
    const first = u + 1;
    u = first + 1;
    const e = new BookSnapshotEncoder().wrap(buf, 0).sequence(0).symbol('BTCUSDT').recvTimeNs(clock.nanoTime()).firstUpdateId(first).lastUpdateId(u)
      .levels([bid * E8], [1 * E8], 1, [ask * E8], [1 * E8], 1);
    bookPub.offer(buf, 0, e.encodedLength());
  };
  const dec = new PricingDecoder();
  const mids = (): number[] => {
    const rows: number[] = [];
    out.poll((b, o, l) => { expect(dec.wrapChecked(b, o, l)).toBe(DecodeResult.OK); rows.push(dec.mid()); }, 100);
    return rows;
  };
  return { agent, clock, instrument, book, mids, logs, buf, instrumentPub };
}

describe('PricingAgent tick size', () => {
  it('should run on the fallback until the instrument is known, then on the instrument\'s tick', async () => {
    const r = await rig();
    expect(r.agent.tickSizeOf('BTCUSDT')).toBe(0.01);
    r.book(100, 102);
    r.agent.doWork();
    expect(r.mids()).toEqual([101]);
    r.instrument('BTCUSDT', 50_000_000);
    r.agent.doWork();
    expect(r.agent.tickSizeOf('BTCUSDT')).toBe(0.5);
    expect(r.logs.filter((m) => /BTCUSDT: tick size 0.5 from the instrument/.test(m))).toHaveLength(1);
    // The rebuilt engine prices the next book.
    r.clock.advanceNs(10e6);
    r.book(200, 202);
    r.agent.doWork();
    expect(r.mids()).toEqual([201]);
    // The periodic republish of the same tick changes nothing.
    r.instrument('BTCUSDT', 50_000_000);
    r.agent.doWork();
    expect(r.logs.filter((m) => /tick size/.test(m))).toHaveLength(1);
  });

  it('should keep an overridden tick, ignore a zero tick and count a malformed instrument', async () => {
    const r = await rig();
    r.instrument('ETHUSDT', 1_000_000);
    r.instrument('BTCUSDT', 0);
    r.agent.doWork();
    expect(r.agent.tickSizeOf('ETHUSDT')).toBe(0.05);
    expect(r.agent.tickSizeOf('BTCUSDT')).toBe(0.01);
    r.buf.putInt32(0, 0x7fff_ffff);
    r.instrumentPub.offer(r.buf, 0, 16);
    r.agent.doWork();
    expect(r.agent.counters.bad).toBe(1);
  });
});
