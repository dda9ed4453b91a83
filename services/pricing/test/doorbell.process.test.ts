import { afterEach, describe, expect, it } from 'vitest';
import { Aeron, Context } from '@mm/aeron-client';
import { AtomicBuffer } from '@mm/agrona';
import {
  BookSnapshotEncoder, DecodeResult, HeartbeatDecoder, MessageHeader, PricingDecoder, TemplateId,
} from '@mm/protocol';
import { Doorbell, SystemClock, streamBit } from '@mm/runtime';
import { createTestSystem, killAll, removeTempDirs, startDriver, startService, waitFor } from '@mm/test-support';

/**
 * Pricing (doorbell by default) as a real process on the product driver:
 * - parked with nobody ringing, it still wakes every max-park-ms (its heartbeats keep coming);
 * - a book published with a ring wakes it at once: with a 500 ms park bound, each of several books is priced far
 *   sooner than a timer park would allow on average (a timer would answer within 150 ms only 30 % of the time).
 */
const CH = 'aeron:ipc?term-length=64k';
const E8 = 1e8;
const PARK_MS = 500;

describe('pricing parks on the doorbell', () => {
  let aeron: Aeron | undefined;
  let bell: Doorbell | undefined;
  afterEach(async () => {
    bell?.close();
    aeron?.close();
    await killAll();
    removeTempDirs();
  });

  it('wakes on a ring long before its park bound, and on the bound when nobody rings', async () => {
    const sys = createTestSystem({}, ['BTCUSDT']);
    Object.assign(sys.env, {
      MM_PRICING__RUNTIME__HEARTBEAT_INTERVAL_MS: '50',
      MM_PRICING__RUNTIME__IDLE__MIN_PARK_MS: String(PARK_MS),
      MM_PRICING__RUNTIME__IDLE__MAX_PARK_MS: String(PARK_MS),
    });
    await startDriver(sys);
    aeron = await Aeron.connect(new Context({ aeronDir: sys.aeronDir, driverTimeoutMs: 2000 }));
    const [books, pricing, heartbeats] = await Promise.all([
      aeron.addExclusivePublication(CH, 10),
      aeron.addSubscription(CH, 14),
      aeron.addSubscription(CH, 12, { untethered: true }),
    ]);
    const proc = startService(sys, 'pricing');
    const running = await proc.waitForLine(/pricing running"/, 30_000);
    expect(running).toContain('"idleWait":"doorbell"');
    bell = Doorbell.open(sys.aeronDir);
    const b = bell;

    // 1. Nobody rings: heartbeats (every 50 ms when awake) still come, at the park bound.
    const hb = new HeartbeatDecoder();
    const beats: number[] = [];
    let sawSleeper = false;
    await waitFor(() => {
      aeron!.doWork();
      if (b.waiters > 0) sawSleeper = true;
      heartbeats.poll((buf, o, l) => {
        if (MessageHeader.templateId(buf, o) === TemplateId.HEARTBEAT && hb.wrapChecked(buf, o, l) === DecodeResult.OK && hb.service() === 'mm_pricing') beats.push(hb.timeNs());
      }, 10);
      return beats.length >= 6 && sawSleeper;
    }, { timeoutMs: 20_000, what: 'six pricing heartbeats while it sleeps on the doorbell' });
    const gapsMs = beats.slice(1).map((t, i) => (t - beats[i]!) / 1e6);
    expect(Math.max(...gapsMs.slice(1))).toBeLessThan(PARK_MS * 4);

    // 2. Each book, published while pricing sleeps, is rung and priced promptly.
    const buf = AtomicBuffer.allocate(1024);
    const enc = new BookSnapshotEncoder();
    const dec = new PricingDecoder();
    const clock = new SystemClock();
    const latenciesMs: number[] = [];
    let u = 1000;
    for (let i = 0; i < 5; i++) {
      await waitFor(() => { aeron!.doWork(); pricing.poll(() => {}, 100); return b.waiters > 0; }, { timeoutMs: 10_000, what: 'pricing asleep on the doorbell' });
      const sentNs = clock.nanoTime();
      const e = enc.wrap(buf, 0).sequence(i).symbol('BTCUSDT').recvTimeNs(sentNs).firstUpdateId(u + 1).lastUpdateId(u + 2)
        .levels([(100 + i) * E8], [E8], 1, [(101 + i) * E8], [E8], 1);
      u += 2;
      await waitFor(() => books.offer(buf, 0, e.encodedLength()) >= 0, { timeoutMs: 10_000, what: 'book accepted' });
      b.ring(streamBit(10)); // as the collector's publication would: pricing reads 10
      let pricedNs = 0;
      await waitFor(() => {
        aeron!.doWork();
        pricing.poll((pb, o, l) => {
          if (MessageHeader.templateId(pb, o) === TemplateId.PRICING && dec.wrapChecked(pb, o, l) === DecodeResult.OK && dec.recvTimeNs() === sentNs) pricedNs = dec.publishTimeNs();
        }, 100);
        return pricedNs > 0;
      }, { timeoutMs: 10_000, what: `pricing of book ${i}` });
      latenciesMs.push((pricedNs - sentNs) / 1e6);
    }
    latenciesMs.sort((x, y) => x - y);
    expect(latenciesMs[latenciesMs.length - 1]).toBeLessThan(150);
  });
});
