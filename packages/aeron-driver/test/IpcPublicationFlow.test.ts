import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeImage, decodeReady, RawImage, RawPublication, waitFor, type RawClient } from './support/RawClient.js';
import { startDriver, type Harness } from './support/driverFixture.js';

const ON_AVAILABLE_IMAGE = 0x0f02;
const ON_PUBLICATION_READY = 0x0f03;
const ON_UNAVAILABLE_IMAGE = 0x0f05;
const ON_EXCLUSIVE_PUBLICATION_READY = 0x0f06;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function response(c: RawClient, type: number, correlationId: number) {
  let r;
  await waitFor(() => (c.poll(), (r = c.takeFor(type, correlationId)) !== undefined), 3000, `0x${type.toString(16)} for ${correlationId}`);
  return r!;
}

async function setup(h: Harness, streamId: number, subChannels: string[], exclusive = false) {
  const subClient = h.client();
  const pubClient = h.client();
  const subs = subChannels.map((ch) => subClient.addSubscription(streamId, ch));
  const pubCorr = pubClient.addPublication(streamId, 'aeron:ipc', exclusive);
  const ready = decodeReady((await response(pubClient, exclusive ? ON_EXCLUSIVE_PUBLICATION_READY : ON_PUBLICATION_READY, pubCorr)).bytes);
  const images = [];
  for (const subCorr of subs) {
    let r;
    await waitFor(() => (subClient.poll(), (r = subClient.take((x) => x.type === ON_AVAILABLE_IMAGE && x.bytes.getInt64(16) === subCorr)) !== undefined), 3000, 'image');
    const info = decodeImage(r!.bytes);
    images.push(new RawImage(info.logFileName, subClient.valuesBuffer, info.positionCounterId));
  }
  const publication = new RawPublication(ready.logFileName, pubClient.counters, ready.limitCounterId);
  return { subClient, pubClient, ready, images, publication, subs };
}

/** Offers until accepted (ADMIN_ACTION retried) or `tries` back-pressure results; returns the result. */
function offer(p: RawPublication, payload: Uint8Array): number {
  for (;;) {
    const r = p.offer(payload);
    if (r !== -3) return r;
  }
}

describe('IpcPublication flow control', () => {
  it('shouldBePublisherLimitedBySlowestSubscriberAndLoseNothingAcrossRotations', async () => {
    h = startDriver();
    const { images, publication } = await setup(h, 20, ['aeron:ipc', 'aeron:ipc']);
    const [fast, slow] = images as [RawImage, RawImage];
    await waitFor(() => publication.limit() === 32768, 2000, 'initial limit');
    const payload = new Uint8Array(200); // 232 -> 256-byte frames
    let sent = 0;
    let fastGot = 0;
    let slowGot = 0;
    let lastSeenByFast = -1;
    const view = new DataView(payload.buffer);
    // 1000 messages = ~250 KiB: nearly four 64 KiB terms, so partitions are reused and must have been cleaned.
    const total = 1000;
    const deadline = Date.now() + 20_000;
    let backPressured = 0;
    let loops = 0;
    while ((sent < total || slowGot < total) && Date.now() < deadline) {
      if (sent < total) {
        view.setInt32(0, sent, true);
        const r = offer(publication, payload);
        if (r > 0) sent++;
        else if (r === -2) backPressured++;
        else expect(r).toBeGreaterThan(0);
      }
      fast.poll((p) => {
        const seq = new DataView(p.buffer, p.byteOffset).getInt32(0, true);
        expect(seq).toBe(lastSeenByFast + 1);
        lastSeenByFast = seq;
        fastGot++;
      }, 100);
      // The slow reader only reads every so often, so the publisher hits its limit.
      if (++loops % 20 === 0 || sent === total) slowGot += slow.poll(() => undefined, 5);
      expect(publication.position() - slow.position()).toBeLessThanOrEqual(32768 + 256);
      await new Promise((r) => setImmediate(r));
    }
    expect(sent).toBe(total);
    expect(fastGot).toBe(total);
    expect(slowGot).toBe(total);
    expect(backPressured).toBeGreaterThan(0);
    // Terms 1 and 2 were consumed by both readers; the driver must have zeroed them for reuse.
    expect(publication.position()).toBeGreaterThan(3 * 65536);
    await waitFor(() => publication.log.bytes.subarray(2 * 65536, 3 * 65536).every((b) => b === 0), 2000, 'partition 2 cleaned');
  });

  it('shouldReportNotConnectedWithoutSubscribersAndDropLimitWhenTheLastOneLeaves', async () => {
    h = startDriver();
    const c = h.client();
    const pubCorr = c.addPublication(21);
    const ready = decodeReady((await response(c, ON_PUBLICATION_READY, pubCorr)).bytes);
    const publication = new RawPublication(ready.logFileName, c.counters, ready.limitCounterId);
    expect(publication.offer(new Uint8Array(8))).toBe(-1);
    const sub = c.addSubscription(21);
    await response(c, ON_AVAILABLE_IMAGE, pubCorr);
    await waitFor(() => publication.limit() === 32768, 2000, 'limit after join');
    expect(publication.offer(new Uint8Array(8))).toBe(64);
    c.removeSubscription(sub);
    await waitFor(() => !publication.isConnected(), 2000, 'is_connected = 0');
    await waitFor(() => publication.limit() <= 64, 2000, 'limit collapses');
    expect(publication.offer(new Uint8Array(8))).toBe(-1);
  });

  it('shouldUnblockAPublicationWhosePublisherDiedMidClaim', async () => {
    h = startDriver();
    const { images, publication, ready, subClient } = await setup(h, 22, ['aeron:ipc']);
    const [image] = images as [RawImage];
    await waitFor(() => publication.limit() > 0, 2000, 'limit');
    const got: number[] = [];
    expect(offer(publication, new Uint8Array([1]))).toBeGreaterThan(0);
    expect(publication.offer(new Uint8Array([2]), false)).toBeGreaterThan(0); // dead claim
    expect(offer(publication, new Uint8Array([3]))).toBeGreaterThan(0);
    const unblockedBefore = subClient.counters.getCounterValue(19);
    await waitFor(() => (image.poll((p) => got.push(p[0]!)), got.length === 2), 3000, 'both committed messages after unblock');
    expect(got).toEqual([1, 3]);
    expect(subClient.counters.getCounterValue(19)).toBe(unblockedBefore + 1);
    expect(image.position()).toBe(publication.position());
    expect(ready.registrationId).toBeGreaterThan(0);
  });

  it('shouldUnblockAClaimThatWasNeverWrittenAtAll', async () => {
    h = startDriver();
    const { images, publication, subClient } = await setup(h, 26, ['aeron:ipc']);
    const [image] = images as [RawImage];
    await waitFor(() => publication.limit() > 0, 2000, 'limit');
    expect(offer(publication, new Uint8Array([1]))).toBe(64);
    // A publisher died right after its getAndAdd on the tail: 64 claimed bytes stay zero (frame length 0).
    const termCount = publication.log.getInt32Volatile(publication.meta + 24);
    publication.log.getAndAddInt64BigInt(publication.meta + (termCount % 3) * 8, 64n);
    expect(offer(publication, new Uint8Array([3]))).toBe(192);
    const got: number[] = [];
    const before = subClient.counters.getCounterValue(19);
    await waitFor(() => (image.poll((p) => got.push(p[0]!)), got.length === 2), 3000, 'message after the zero gap');
    expect(got).toEqual([1, 3]);
    expect(subClient.counters.getCounterValue(19)).toBe(before + 1);
    // The gap became a PAD frame covering exactly the dead claim.
    expect(publication.log.getInt32(64)).toBe(64);
    expect(publication.log.getInt16(64 + 6)).toBe(0);
  });

  it('shouldUnblockADeadClaimThatRanPastTheEndOfTheTerm', async () => {
    h = startDriver();
    const { images, publication, subClient } = await setup(h, 27, ['aeron:ipc']);
    const [image] = images as [RawImage];
    await waitFor(() => publication.limit() > 0, 2000, 'limit');
    let got = 0;
    // 255 frames of 256 bytes: the term is full up to 65280.
    for (let i = 0; i < 255;) {
      const r = publication.offer(new Uint8Array(200));
      if (r > 0) i++;
      else await new Promise((r) => setImmediate(r));
      got += image.poll(() => undefined, 100);
    }
    await waitFor(() => ((got += image.poll(() => undefined, 100)), got === 255), 2000, 'first term consumed');
    // Dead claim of 512 bytes from 65280: past the end of the term, no padding written, no rotation done.
    publication.log.getAndAddInt64BigInt(publication.meta, 512n);
    // The next publisher rotates on its own and writes into the next term.
    let r: number;
    while ((r = publication.offer(new Uint8Array([42]))) < 0) {
      expect([-2, -3]).toContain(r); // back pressure until the driver raises the limit, then ADMIN_ACTION (rotation)
      await new Promise((resolve) => setImmediate(resolve));
    }
    const payloads: number[] = [];
    const before = subClient.counters.getCounterValue(19);
    await waitFor(() => (image.poll((p) => payloads.push(p[0]!)), payloads.length === 1), 3000, 'message in the next term');
    expect(payloads).toEqual([42]);
    expect(subClient.counters.getCounterValue(19)).toBe(before + 1);
    expect(image.position()).toBe(65536 + 64);
  });

  it('shouldLeaveAnUntetheredSubscriberBehindWithoutBackPressuringTheTetheredOne', async () => {
    h = startDriver();
    const { images, publication, subClient, subs } = await setup(h, 23, ['aeron:ipc', 'aeron:ipc?tether=false']);
    const [tethered, untethered] = images as [RawImage, RawImage];
    await waitFor(() => publication.limit() === 32768, 2000, 'limit');
    const payload = new Uint8Array(200);
    let sent = 0;
    let received = 0;
    const deadline = Date.now() + 10_000;
    // The untethered reader never polls; the pipeline must keep flowing past several windows.
    while (sent < 1000 && Date.now() < deadline) {
      const r = offer(publication, payload);
      if (r > 0) sent++;
      received += tethered.poll(() => undefined, 100);
      await new Promise((r) => setImmediate(r));
    }
    expect(sent).toBe(1000);
    subClient.poll();
    const gone = subClient.take((x) => x.type === ON_UNAVAILABLE_IMAGE && x.bytes.getInt64(8) === subs[1]);
    expect(gone).toBeDefined();
    expect(untethered.position()).toBe(0);
    // After resting it rejoins at the consumer position with a fresh image.
    let rejoin;
    await waitFor(() => (subClient.poll(), (rejoin = subClient.take((x) => x.type === ON_AVAILABLE_IMAGE && x.bytes.getInt64(16) === subs[1])) !== undefined), 3000, 'rejoin');
    expect(decodeImage(rejoin!.bytes).positionCounterId).toBe(untethered.positionCounterId);
    expect(untethered.position()).toBeGreaterThan(0);
    expect(received).toBeGreaterThan(0);
  });

  it('shouldDeleteTheLogOfARemovedPublicationEvenWhenAnUntetheredReaderWasDropped', async () => {
    h = startDriver({ untetheredRestingTimeoutNs: 60_000_000_000 });
    const { images, publication, pubClient, subClient, ready, subs } = await setup(h, 25, ['aeron:ipc', 'aeron:ipc?tether=false']);
    const [tethered] = images as [RawImage, RawImage];
    await waitFor(() => publication.limit() === 32768, 2000, 'limit');
    let sent = 0;
    const deadline = Date.now() + 10_000;
    while (sent < 400 && Date.now() < deadline) {
      if (offer(publication, new Uint8Array(200)) > 0) sent++;
      tethered.poll(() => undefined, 100);
      await new Promise((r) => setImmediate(r));
    }
    await waitFor(() => (subClient.poll(), subClient.take((x) => x.type === ON_UNAVAILABLE_IMAGE && x.bytes.getInt64(8) === subs[1]) !== undefined), 3000, 'untethered dropped');
    pubClient.removePublication(ready.registrationId);
    await waitFor(() => (tethered.poll(() => undefined, 100), !existsSync(ready.logFileName)), 3000, 'log deleted');
  });

  it('shouldDrainThenLingerThenDeleteAnExclusivePublicationWhosePublisherDiedMidClaim', async () => {
    h = startDriver();
    const { images, publication, ready, pubClient, subClient } = await setup(h, 24, ['aeron:ipc'], true);
    const [image] = images as [RawImage];
    await waitFor(() => publication.limit() > 0, 2000, 'limit');
    expect(offer(publication, new Uint8Array([1]))).toBeGreaterThan(0);
    expect(publication.offer(new Uint8Array([2]), false)).toBeGreaterThan(0);
    // The publisher's client vanishes.
    h.clients.splice(h.clients.indexOf(pubClient), 1);
    const got: number[] = [];
    await waitFor(() => (subClient.poll(), image.poll((p) => got.push(p[0]!)), subClient.take((x) => x.type === ON_UNAVAILABLE_IMAGE && x.bytes.getInt64(0) === ready.registrationId) !== undefined), 5000, 'unavailable image');
    expect(got).toEqual([1]);
    expect(image.endOfStreamPosition()).toBe(BigInt(publication.position()));
  });
});
