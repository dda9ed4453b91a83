import { describe, expect, it } from 'vitest';
import { AtomicBuffer } from '@mm/agrona';
import { BACK_PRESSURED, CLOSED, NOT_CONNECTED, type FragmentHandler } from '../src/Transport.js';
import { InMemoryTransport } from '../src/InMemoryTransport.js';

const CH = 'aeron:ipc';

function collector(): { handler: FragmentHandler; values: number[] } {
  const values: number[] = [];
  return { values, handler: (buf, off) => values.push(buf.getInt32(off)) };
}

describe('InMemoryTransport', () => {
  it('is NOT_CONNECTED without a subscriber and delivers in order once one exists', async () => {
    const t = new InMemoryTransport({ logCapacity: 1024 });
    const pub = await t.addExclusivePublication(CH, 10);
    const msg = AtomicBuffer.allocate(16);
    msg.putInt32(0, 7);
    expect(pub.offer(msg, 0, 4)).toBe(NOT_CONNECTED);
    const sub = await t.addSubscription(CH, 10);
    const c = collector();
    for (let i = 0; i < 5; i++) {
      msg.putInt32(0, i);
      expect(pub.offer(msg, 0, 4)).toBeGreaterThan(0);
    }
    expect(sub.poll(c.handler, 3)).toBe(3);
    expect(sub.poll(c.handler, 10)).toBe(2);
    expect(c.values).toEqual([0, 1, 2, 3, 4]);
  });

  it('back-pressures on a slow tethered subscriber and loses nothing across wrap-around', async () => {
    const t = new InMemoryTransport({ logCapacity: 1024 });
    const pub = await t.addExclusivePublication(CH, 11);
    const sub = await t.addSubscription(CH, 11);
    const msg = AtomicBuffer.allocate(64);
    const c = collector();
    let next = 0;
    let pressured = 0;
    while (next < 2000) {
      msg.putInt32(0, next);
      const r = pub.offer(msg, 0, 20); // 28-byte frames → padding at the wrap
      if (r === BACK_PRESSURED) {
        pressured++;
        sub.poll(c.handler, 7);
      } else {
        expect(r).toBeGreaterThan(0);
        next++;
      }
    }
    while (sub.poll(c.handler, 100) > 0);
    expect(pressured).toBeGreaterThan(0);
    expect(c.values).toEqual(Array.from({ length: 2000 }, (_, i) => i));
  });

  it('never waits for an untethered subscriber, which skips ahead when lapped', async () => {
    const t = new InMemoryTransport({ logCapacity: 1024 });
    const pub = await t.addExclusivePublication(CH, 12);
    const tethered = await t.addSubscription(CH, 12);
    const observer = await t.addSubscription(`${CH}?tether=false`, 12);
    const msg = AtomicBuffer.allocate(16);
    const a = collector();
    for (let i = 0; i < 500; i++) {
      msg.putInt32(0, i);
      expect(pub.offer(msg, 0, 8)).toBeGreaterThan(0);
      tethered.poll(a.handler, 10);
    }
    expect(a.values.length).toBe(500);
    const b = collector();
    while (observer.poll(b.handler, 100) > 0);
    expect(b.values.length).toBeGreaterThan(0);
    expect(b.values.length).toBeLessThan(500);
    expect(b.values[b.values.length - 1]).toBe(499);
  });

  it('tryClaim encodes in place; an uncommitted claim holds back readers; abort becomes padding', async () => {
    const t = new InMemoryTransport();
    const pub = await t.addExclusivePublication(CH, 13);
    const sub = await t.addSubscription(CH, 13);
    const claim = t.newBufferClaim();
    const c = collector();
    expect(pub.tryClaim(4, claim)).toBeGreaterThan(0);
    claim.buffer.putInt32(claim.offset, 42);
    expect(sub.poll(c.handler, 10)).toBe(0);
    claim.commit();
    expect(pub.tryClaim(4, claim)).toBeGreaterThan(0);
    claim.buffer.putInt32(claim.offset, 43);
    claim.abort();
    expect(sub.poll(c.handler, 10)).toBe(1);
    expect(c.values).toEqual([42]);
  });

  it('late joiners start at the current position; closing a publication drains then removes its image', async () => {
    const t = new InMemoryTransport();
    const pub = await t.addExclusivePublication(CH, 14);
    const early = await t.addSubscription(CH, 14);
    const msg = AtomicBuffer.allocate(8);
    msg.putInt32(0, 1);
    pub.offer(msg, 0, 4);
    let unavailable = 0;
    const late = await t.addSubscription(CH, 14, { onUnavailableImage: () => unavailable++ });
    msg.putInt32(0, 2);
    pub.offer(msg, 0, 4);
    const e = collector();
    const l = collector();
    pub.close();
    expect(pub.offer(msg, 0, 4)).toBe(CLOSED);
    early.poll(e.handler, 10);
    late.poll(l.handler, 10);
    expect(e.values).toEqual([1, 2]);
    expect(l.values).toEqual([2]);
    expect(unavailable).toBe(1);
    expect(late.imageCount()).toBe(0);
  });

  it('keeps one image per exclusive publication on a shared stream', async () => {
    const t = new InMemoryTransport();
    const sub = await t.addSubscription(CH, 12);
    const a = await t.addExclusivePublication(CH, 12);
    const b = await t.addExclusivePublication(CH, 12);
    const msg = AtomicBuffer.allocate(8);
    msg.putInt32(0, 1);
    a.offer(msg, 0, 4);
    msg.putInt32(0, 2);
    b.offer(msg, 0, 4);
    const sessions = new Set<number>();
    sub.poll((_b, _o, _l, h) => sessions.add(h.sessionId), 10);
    expect(sub.imageCount()).toBe(2);
    expect(sessions.size).toBe(2);
  });
});
