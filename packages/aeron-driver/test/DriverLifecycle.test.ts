import { existsSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeImage, decodeReady, RawImage, RawPublication, waitFor, type RawClient } from './support/RawClient.js';
import { startDriver, type Harness } from './support/driverFixture.js';

const ON_ERROR = 0x0f01;
const ON_AVAILABLE_IMAGE = 0x0f02;
const ON_PUBLICATION_READY = 0x0f03;
const ON_OPERATION_SUCCESS = 0x0f04;
const ON_UNAVAILABLE_IMAGE = 0x0f05;
const ON_EXCLUSIVE_PUBLICATION_READY = 0x0f06;
const ON_SUBSCRIPTION_READY = 0x0f07;
const ON_COUNTER_READY = 0x0f08;
const ON_UNAVAILABLE_COUNTER = 0x0f09;
const ON_CLIENT_TIMEOUT = 0x0f0a;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function response(c: RawClient, type: number, correlationId: number, what = `response 0x${type.toString(16)}`) {
  let r;
  await waitFor(() => (c.poll(), (r = c.takeFor(type, correlationId)) !== undefined), 3000, what);
  return r!;
}

describe('DriverConductor IPC life cycle', () => {
  it('shouldLinkSubscriptionAndPublicationWithCountersAndImages', async () => {
    h = startDriver();
    const sub = h.client();
    const pub = h.client();
    const subCorr = sub.addSubscription(1001);
    const hb = await response(sub, ON_COUNTER_READY, sub.clientId, 'subscriber heartbeat counter');
    await response(sub, ON_SUBSCRIPTION_READY, subCorr);
    const hbId = hb.bytes.getInt32(8);
    expect(sub.counters.getCounterTypeId(hbId)).toBe(11);
    expect(sub.counters.getCounterLabel(hbId)).toBe(`client-heartbeat: id=${sub.clientId}`);

    const pubCorr = pub.addPublication(1001);
    await response(pub, ON_COUNTER_READY, pub.clientId);
    const ready = decodeReady((await response(pub, ON_PUBLICATION_READY, pubCorr)).bytes);
    expect(ready.registrationId).toBe(pubCorr);
    expect(ready.logFileName).toBe(`${h.dir}/publications/${pubCorr}.logbuffer`);
    expect(statSync(ready.logFileName).size).toBe(3 * 65536 + 4096);
    const image = decodeImage((await response(sub, ON_AVAILABLE_IMAGE, pubCorr)).bytes);
    expect(image).toMatchObject({ sessionId: ready.sessionId, streamId: 1001, subscriptionRegistrationId: subCorr, sourceIdentity: 'aeron:ipc' });

    const c = sub.counters;
    const s = ready.sessionId;
    expect(c.getCounterLabel(ready.limitCounterId)).toBe(`pub-lmt: ${pubCorr} ${s} 1001 aeron:ipc `);
    expect(c.getCounterTypeId(ready.limitCounterId)).toBe(1);
    expect(c.getCounterOwnerId(ready.limitCounterId)).toBe(pub.clientId);
    expect(c.getCounterLabel(ready.limitCounterId - 1)).toBe(`pub-pos (sampled): ${pubCorr} ${s} 1001 aeron:ipc `);
    expect(c.getCounterTypeId(ready.limitCounterId - 1)).toBe(12);
    expect(c.getCounterLabel(image.positionCounterId)).toBe(`sub-pos: ${subCorr} ${s} 1001 aeron:ipc @0`);
    expect(c.getCounterTypeId(image.positionCounterId)).toBe(4);
    expect(c.getCounterReferenceId(image.positionCounterId)).toBe(pubCorr);
    expect(c.getCounterOwnerId(image.positionCounterId)).toBe(sub.clientId);

    const publication = new RawPublication(ready.logFileName, pub.counters, ready.limitCounterId);
    await waitFor(() => publication.limit() === 32768, 2000, 'pub-lmt = window');
    expect(publication.isConnected()).toBe(true);
    const received: string[] = [];
    const reader = new RawImage(image.logFileName, sub.valuesBuffer, image.positionCounterId);
    for (let i = 0; i < 5; i++) expect(publication.offer(new TextEncoder().encode(`Hello World! ${i}`))).toBe((i + 1) * 64);
    reader.poll((p) => received.push(new TextDecoder().decode(p)));
    expect(received).toEqual([0, 1, 2, 3, 4].map((i) => `Hello World! ${i}`));
    await waitFor(() => c.getCounterValue(ready.limitCounterId - 1) === 320, 2000, 'pub-pos 320');

    // Remove: success, end of stream at the producer position, unavailable image once drained, file deleted.
    const removeCorr = pub.removePublication(pubCorr);
    await response(pub, ON_OPERATION_SUCCESS, removeCorr);
    await waitFor(() => reader.endOfStreamPosition() === 320n, 2000, 'end of stream');
    const gone = await response(sub, ON_UNAVAILABLE_IMAGE, pubCorr);
    expect(gone.bytes.getInt64(8)).toBe(subCorr);
    await waitFor(() => !existsSync(ready.logFileName), 2000, 'log file deleted');
    await waitFor(() => c.getCounterState(ready.limitCounterId) === -1, 2000, 'pub-lmt freed');
    expect(c.getCounterState(image.positionCounterId)).toBe(-1);
    publication.close();
    reader.close();
  });

  it('shouldShareNonExclusivePublicationsAndNotShareExclusiveOnes', async () => {
    h = startDriver();
    const a = h.client();
    const b = h.client();
    const first = a.addPublication(7, 'aeron:ipc?term-length=131072');
    const r1 = decodeReady((await response(a, ON_PUBLICATION_READY, first)).bytes);
    const second = b.addPublication(7);
    const r2 = decodeReady((await response(b, ON_PUBLICATION_READY, second)).bytes);
    expect(r2.registrationId).toBe(first);
    expect(r2.sessionId).toBe(r1.sessionId);
    expect(statSync(r1.logFileName).size).toBe(3 * 131072 + 4096);
    const ex = b.addPublication(7, 'aeron:ipc', true);
    const r3 = decodeReady((await response(b, ON_EXCLUSIVE_PUBLICATION_READY, ex)).bytes);
    expect(r3.registrationId).toBe(ex);
    expect(r3.sessionId).not.toBe(r1.sessionId);
    expect(statSync(r3.logFileName).size).toBe(3 * 65536 + 4096);
    const mismatch = b.addPublication(7, 'aeron:ipc?term-length=65536');
    const err = await response(b, ON_ERROR, mismatch);
    expect(err.bytes.getInt32(8)).toBe(1);
    // Removing once from a keeps the shared log alive for b.
    await response(a, ON_OPERATION_SUCCESS, a.removePublication(first));
    expect(existsSync(r1.logFileName)).toBe(true);
  });

  it('shouldAnswerBadCommandsWithErrorCodes', async () => {
    h = startDriver();
    const c = h.client();
    const udp = c.addPublication(1, 'aeron:udp?endpoint=localhost:40123');
    const e1 = (await response(c, ON_ERROR, udp)).bytes;
    expect(e1.getInt32(8)).toBe(8);
    const message = String.fromCharCode(...e1.bytes.subarray(16, 16 + e1.getInt32(12)));
    expect(message).toMatch(/Aeron's C or Java media driver/);
    const bogus = c.addSubscription(1, 'aeron:bogus?x=y');
    expect((await response(c, ON_ERROR, bogus)).bytes.getInt32(8)).toBe(1);
    const badTerm = c.addPublication(1, 'aeron:ipc?term-length=1000');
    expect((await response(c, ON_ERROR, badTerm)).bytes.getInt32(8)).toBe(1);
    expect((await response(c, ON_ERROR, c.removePublication(424242))).bytes.getInt32(8)).toBe(3);
    expect((await response(c, ON_ERROR, c.removeSubscription(424242))).bytes.getInt32(8)).toBe(2);
    expect((await response(c, ON_ERROR, c.removeCounter(424242))).bytes.getInt32(8)).toBe(5);
    // Malformed: channel length past the end -> no response, an error-log entry and the Errors counter.
    const errorsBefore = c.counters.getCounterValue(15);
    const malformed = c.sendRaw(0x01, new Uint8Array([1, 0, 0, 0, 200, 0, 0, 0]));
    await waitFor(() => c.counters.getCounterValue(15) > errorsBefore, 2000, 'errors counter');
    c.poll();
    expect(c.takeFor(ON_ERROR, malformed)).toBeUndefined();
    expect(h.driver.conductor.errorLog.distinctCount()).toBeGreaterThan(0);
  });

  it('shouldAddAndRemoveClientCountersAndTimeOutVanishedClients', async () => {
    h = startDriver();
    const watcher = h.client();
    const c = h.client();
    const key = new Uint8Array([9, 9, 9, 9, 9, 9, 9, 9]);
    const corr = c.addCounter(1001, key, 'my counter: x');
    const ready = await response(c, ON_COUNTER_READY, corr);
    const id = ready.bytes.getInt32(8);
    expect(c.counters.getCounterLabel(id)).toBe('my counter: x');
    expect(c.counters.getCounterTypeId(id)).toBe(1001);
    expect(c.counters.getCounterRegistrationId(id)).toBe(corr);
    expect(c.counters.getCounterOwnerId(id)).toBe(c.clientId);
    const removeCorr = c.removeCounter(corr);
    await response(c, ON_OPERATION_SUCCESS, removeCorr);
    await response(c, ON_UNAVAILABLE_COUNTER, corr);
    expect(c.counters.getCounterState(id)).toBe(-1);

    const corr2 = c.addCounter(1002, key, 'second');
    await response(c, ON_COUNTER_READY, corr2);
    const sub = c.addSubscription(5);
    await response(c, ON_SUBSCRIPTION_READY, sub);
    const pubCorr = c.addPublication(5, 'aeron:ipc', true);
    const pubReady = decodeReady((await response(c, ON_EXCLUSIVE_PUBLICATION_READY, pubCorr)).bytes);
    // The client vanishes: no more heartbeats.
    const timeoutsBefore = watcher.counters.getCounterValue(24);
    h.clients.splice(h.clients.indexOf(c), 1);
    await response(watcher, ON_CLIENT_TIMEOUT, c.clientId, 'client timeout');
    expect(watcher.counters.getCounterValue(24)).toBe(timeoutsBefore + 1);
    await response(watcher, ON_UNAVAILABLE_COUNTER, corr2);
    await waitFor(() => !existsSync(pubReady.logFileName), 3000, 'log of timed-out client deleted');
    c.close();
  });

  it('shouldCloseClientsOnCommandWithoutCountingATimeout', async () => {
    h = startDriver();
    const watcher = h.client();
    const c = h.client();
    await response(c, ON_SUBSCRIPTION_READY, c.addSubscription(3));
    const hbId = c.heartbeatCounterId();
    expect(hbId).toBeGreaterThan(0);
    h.clients.splice(h.clients.indexOf(c), 1);
    c.closeClient();
    await response(watcher, ON_UNAVAILABLE_COUNTER, c.clientId);
    expect(watcher.counters.getCounterValue(24)).toBe(0);
    expect(watcher.take((r) => r.type === ON_CLIENT_TIMEOUT)).toBeUndefined();
    c.close();
  });
});
