import { AtomicBuffer } from '@mm/agrona';
import { removeTempDirs } from '@mm/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { BufferClaim } from '../src/logbuffer/BufferClaim.js';
import * as LB from '../src/logbuffer/LogBufferDescriptor.js';
import { ADMIN_ACTION, BACK_PRESSURED, CLOSED, MAX_POSITION_EXCEEDED, NOT_CONNECTED } from '../src/status/ReturnCodes.js';
import { createTestLog } from './logHarness.js';

afterAll(() => removeTempDirs());

describe.each([['exclusive', true], ['concurrent', false]] as const)('%s publication', (_name, exclusive) => {
  it('returns NOT_CONNECTED / BACK_PRESSURED at the limit, new positions below it, CLOSED after close', () => {
    const log = createTestLog();
    let closes = 0;
    const pub = log.publication(exclusive, () => closes++);
    const msg = AtomicBuffer.allocate(64);
    expect(pub.maxPayloadLength).toBe(1376);
    expect(pub.maxMessageLength).toBe(8192);
    expect(pub.offer(msg, 0, 32)).toBe(NOT_CONNECTED);
    log.setConnected(true);
    expect(pub.offer(msg, 0, 32)).toBe(BACK_PRESSURED);
    expect(pub.isConnected()).toBe(true);
    log.setLimit(128);
    expect(pub.offer(msg, 0, 32)).toBe(64);
    expect(pub.offer(msg, 0, 32)).toBe(128);
    expect(pub.offer(msg, 0, 32)).toBe(BACK_PRESSURED);
    expect(pub.position()).toBe(128);
    const claim = new BufferClaim();
    log.setLimit(1000);
    expect(pub.tryClaim(8, claim)).toBe(128 + 64);
    expect(claim.length).toBe(8);
    claim.commit();
    expect(() => pub.tryClaim(2000, claim)).toThrow(/claim length 2000/);
    expect(() => pub.offer(msg, 0, 9000)).toThrow(/message length 9000/);
    pub.close();
    pub.close();
    expect(closes).toBe(1);
    expect(pub.isClosed).toBe(true);
    expect(pub.offer(msg, 0, 32)).toBe(CLOSED);
    expect(pub.tryClaim(8, claim)).toBe(CLOSED);
    expect(pub.position()).toBe(CLOSED);
  });

  it('rotates through terms with ADMIN_ACTION and images read every message across the rotations', () => {
    const log = createTestLog();
    const pub = log.publication(exclusive);
    const image = log.image();
    log.setConnected(true);
    const msg = AtomicBuffer.allocate(1000);
    let seq = 0;
    let adminActions = 0;
    let next = 0;
    let errors = 0;
    const handler = (b: AtomicBuffer, o: number, l: number) => {
      if (b.getInt32(o) !== next || l !== 1000) errors++;
      next++;
    };
    while (seq < 1000) {
      log.setLimit(image.position() + 32768);
      msg.putInt32(0, seq);
      const r = pub.offer(msg, 0, 1000);
      if (r > 0) seq++;
      else if (r === ADMIN_ACTION) adminActions++;
      else expect(r).toBe(BACK_PRESSURED);
      image.poll(handler, 10);
      // Clean behind the reader as the driver does (a term is reused three terms later).
      cleanBehind(log.meta, image.position(), log.file.buffer);
    }
    while (image.poll(handler, 100) > 0) { /* drain */ }
    expect(errors).toBe(0);
    expect(next).toBe(1000);
    expect(adminActions).toBeGreaterThanOrEqual(Math.floor((1000 * 1056) / 65536));
    expect(image.position()).toBe(pub.position());
    expect(LB.activeTermCount(log.meta)).toBe(Math.floor(pub.position() / 65536));
    expect(log.values.getInt64VolatileNumber(128)).toBe(image.position());
  });

  it('returns MAX_POSITION_EXCEEDED at the end of the last possible term', () => {
    const log = createTestLog(65536, 0);
    // Put the log in its last term: term count 2^31 - 1.
    const lastTermId = 0x7fffffff;
    LB.setActiveTermCountOrdered(log.meta, lastTermId);
    LB.initialiseTailWithTermId(log.meta, lastTermId % 3, lastTermId);
    log.meta.putInt32(LB.tailCounterOffset(lastTermId % 3), 65536 - 64);
    log.setConnected(true);
    log.setLimit(Number.MAX_SAFE_INTEGER);
    const pub = log.publication(exclusive);
    const msg = AtomicBuffer.allocate(200);
    expect(pub.offer(msg, 0, 100)).toBe(MAX_POSITION_EXCEEDED);
  });
});

function cleanBehind(meta: AtomicBuffer, position: number, log: AtomicBuffer): void {
  const termLength = LB.termLength(meta);
  const index = LB.indexByPosition(position, LB.positionBitsToShift(termLength));
  // Zero the partition two terms ahead of the reader's (it will be written next after the current one).
  const dirty = (index + 2) % 3;
  if (LB.indexByTermCount(LB.activeTermCount(meta)) !== dirty) log.setMemory(dirty * termLength, termLength, 0);
}
