// The hot path (offer, tryClaim, poll) must allocate nothing per message: run messages through a publication
// and an image (in one process, no driver) and measure young-generation growth directly.
import { getHeapSpaceStatistics } from 'node:v8';
import { AtomicBuffer } from '@mm/agrona';
import { removeTempDirs } from '@mm/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { BufferClaim } from '../src/logbuffer/BufferClaim.js';
import * as LB from '../src/logbuffer/LogBufferDescriptor.js';
import { SUB_POS_COUNTER, createTestLog } from './logHarness.js';

afterAll(() => removeTempDirs());

/**
 * Bytes allocated in the young generation while `run` executes: its used size grows by exactly what is allocated
 * unless a scavenge happened in between (then it shrinks and the sample is retried). Returns the smallest sample.
 */
function allocatedBytes(run: () => void, samples = 5): number {
  const newSpaceUsed = (): number => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_used_size;
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < samples; i++) {
    const before = newSpaceUsed();
    run();
    const after = newSpaceUsed();
    if (after >= before) best = Math.min(best, after - before);
  }
  return best;
}

describe.each([
  ['exclusive', true, 0],
  ['concurrent', false, 0],
  ['exclusive (positions beyond 2^32)', true, 40_000],
  ['concurrent (positions beyond 2^32)', false, 40_000],
] as const)('%s publication + image hot path', (_name, exclusive, startTermCount) => {
  it('allocates nothing per message in offer, tryClaim and poll', () => {
    const log = createTestLog(1 << 20);
    if (startTermCount > 0) {
      // Start deep into the stream, where positions no longer fit a small integer.
      const termId = 100 + startTermCount;
      LB.setActiveTermCountOrdered(log.meta, startTermCount);
      for (let i = 0; i < 3; i++) LB.initialiseTailWithTermId(log.meta, (startTermCount + i) % 3, termId + i - (i === 0 ? 0 : 3));
      log.values.putInt64Ordered(SUB_POS_COUNTER * 128, startTermCount * (1 << 20));
    }
    const pub = log.publication(exclusive);
    const image = log.image();
    log.setConnected(true);
    const msg = AtomicBuffer.allocate(64);
    const claim = new BufferClaim();
    let received = 0;
    let sum = 0;
    const handler = (b: AtomicBuffer, o: number, l: number) => { received++; sum = (sum + b.getInt32(o) + l) | 0; };
    const termLength = 1 << 20;
    // Clean the partition the publisher will enter next (the driver's job).
    const cleanNext = (): void => {
      const next = (LB.indexByTermCount(LB.activeTermCount(log.meta)) + 1) % 3;
      if (log.file.buffer.getInt32(next * termLength) !== 0) log.file.buffer.setMemory(next * termLength, termLength, 0);
    };
    const loop = (messages: number): void => {
      // The reader stays within 16 messages of the writer, so the limit can stay open (setting it per message
      // from a position beyond 2^31 would box doubles in the test itself).
      log.setLimit(Number.MAX_SAFE_INTEGER);
      for (let i = 0; i < messages; i++) {
        msg.putInt32(0, i);
        const r = (i & 1) === 0 ? pub.offer(msg, 0, 32) : pub.tryClaim(32, claim);
        if (r > 0 && (i & 1) === 1) {
          claim.buffer.putInt32(claim.offset, i);
          claim.commit();
        }
        if ((i & 15) === 15) {
          image.poll(handler, 64);
          cleanNext();
        }
      }
    };
    loop(300_000); // warm up and let the JIT settle
    const messages = 100_000;
    const bytes = allocatedBytes(() => loop(messages));
    expect(received).toBeGreaterThan(300_000 + messages);
    expect(sum).not.toBe(0);
    if (startTermCount === 0) {
      // Positions below 2^31 are small integers: nothing at all is allocated (one boxed number would be 16 B).
      expect(bytes / messages).toBeLessThan(0.5);
    } else {
      // Beyond 2^31 the position RETURNED by offer/tryClaim is a heap number (16 B) unless the JIT inlines the
      // call; nothing else may allocate. Documented limit of a Number-returning API.
      expect(bytes / messages).toBeLessThan(16.5);
      // Polling alone stays allocation-free at any position (once the JIT has compiled it): refill outside the
      // measurement, then measure polls that deliver 10 000 messages.
      for (let i = 0; i < 200_000; i++) image.poll(handler, 10);
      let pollBytes = Number.POSITIVE_INFINITY;
      for (let attempt = 0; attempt < 5; attempt++) {
        for (let i = 0; i < 10_000 && pub.offer(msg, 0, 32) > 0; i++) { /* fill (stops at a term end) */ }
        const before = received;
        const bytes = allocatedBytes(() => { for (let i = 0; i < 1000 && image.poll(handler, 10) > 0; i++) { /* drain */ } }, 1);
        cleanNext();
        if (received - before > 1000) pollBytes = Math.min(pollBytes, bytes / (received - before));
      }
      expect(pollBytes).toBeLessThan(0.5);
    }
  });
});
