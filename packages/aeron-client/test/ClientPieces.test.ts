import { AtomicBuffer, BroadcastTransmitter, ManyToOneRingBuffer, RingBufferDescriptor } from '@mm/agrona';
import { describe, expect, it } from 'vitest';
import { withParam } from '../src/Aeron.js';
import { ControlProtocolEvents as E } from '../src/command/ControlProtocolEvents.js';
import { ErrorResponseFlyweight } from '../src/command/ErrorResponseFlyweight.js';
import { ImageBuffersReadyFlyweight } from '../src/command/ImageBuffersReadyFlyweight.js';
import { PublicationMessageFlyweight } from '../src/command/PublicationMessageFlyweight.js';
import { RemoveMessageFlyweight } from '../src/command/RemoveMessageFlyweight.js';
import { SubscriptionMessageFlyweight } from '../src/command/SubscriptionMessageFlyweight.js';
import { Context, defaultAeronDir } from '../src/Context.js';
import { DriverEventsAdapter } from '../src/DriverEventsAdapter.js';
import type { DriverEventsListener } from '../src/DriverEventsAdapter.js';
import { DriverProxy } from '../src/DriverProxy.js';

describe('DriverProxy', () => {
  it('writes Aeron command layouts with fresh correlation ids', () => {
    const ring = new ManyToOneRingBuffer(AtomicBuffer.allocate(4096 + RingBufferDescriptor.TRAILER_LENGTH));
    const clientId = ring.nextCorrelationId();
    const proxy = new DriverProxy(ring, clientId);
    const pubId = proxy.addPublication('aeron:ipc?term-length=65536', 10, true);
    const subId = proxy.addSubscription('aeron:ipc', 11);
    const removeId = proxy.removePublication(pubId);
    expect([pubId, subId, removeId]).toEqual([clientId + 1, clientId + 2, clientId + 3]);
    const seen: string[] = [];
    ring.read((type, buffer, index, length) => {
      if (type === E.ADD_EXCLUSIVE_PUBLICATION) {
        const f = new PublicationMessageFlyweight().wrap(buffer, index);
        f.validateLength(type, length);
        seen.push(`pub ${f.clientId()} ${f.correlationId()} ${f.streamId()} ${f.channel()} ${length}`);
      } else if (type === E.ADD_SUBSCRIPTION) {
        const f = new SubscriptionMessageFlyweight().wrap(buffer, index);
        f.validateLength(length);
        seen.push(`sub ${f.correlationId()} ${f.registrationCorrelationId()} ${f.streamId()} ${f.channel()}`);
      } else if (type === E.REMOVE_PUBLICATION) {
        seen.push(`remove ${new RemoveMessageFlyweight().wrap(buffer, index).registrationId()} ${length}`);
      }
    });
    expect(seen).toEqual([
      `pub ${clientId} ${pubId} 10 aeron:ipc?term-length=65536 ${24 + 27}`,
      `sub ${subId} -1 11 aeron:ipc`,
      `remove ${pubId} 24`,
    ]);
    expect(() => proxy.addPublication('aeron:ipc?x=é', 1, false)).toThrow(/non-ASCII/);
    expect(() => proxy.addPublication('', 1, false)).toThrow(/non-empty/);
  });

  it('reports a full ring as an error instead of dropping the command', () => {
    const ring = new ManyToOneRingBuffer(AtomicBuffer.allocate(1024 + RingBufferDescriptor.TRAILER_LENGTH));
    const proxy = new DriverProxy(ring, 1);
    expect(() => { for (let i = 0; i < 100; i++) proxy.removeSubscription(i); }).toThrow(/ring buffer is full/);
  });
});

describe('DriverEventsAdapter', () => {
  it('decodes driver responses and dispatches them', () => {
    const buffer = AtomicBuffer.allocate(4096 + 128);
    const transmitter = new BroadcastTransmitter(buffer);
    const calls: string[] = [];
    const listener: DriverEventsListener = {
      onError: (c, code, m) => calls.push(`error ${c} ${code} ${m}`),
      onNewPublication: (c, r, s, sess, lim, st, log, ex) => calls.push(`pub ${c} ${r} ${s} ${sess} ${lim} ${st} ${log} ${ex}`),
      onNewSubscription: (c, st) => calls.push(`sub ${c} ${st}`),
      onAvailableImage: (c, sess, sr, sp, log, src) => calls.push(`image ${c} ${sess} ${sr} ${sp} ${log} ${src}`),
      onUnavailableImage: (c, sr) => calls.push(`unavailable ${c} ${sr}`),
      onOperationSuccess: (c) => calls.push(`ok ${c}`),
      onCounterReady: (c, id) => calls.push(`counter ${c} ${id}`),
      onUnavailableCounter: (r, id) => calls.push(`counter-gone ${r} ${id}`),
      onClientTimeout: (c) => calls.push(`timeout ${c}`),
    };
    const adapter = new DriverEventsAdapter(buffer, listener);
    const scratch = AtomicBuffer.allocate(512);
    const err = new ErrorResponseFlyweight().wrap(scratch, 0).setOffendingCommandCorrelationId(7).setErrorCode(1).setErrorMessage('invalid channel');
    transmitter.transmit(E.ON_ERROR, scratch, 0, err.length());
    const img = new ImageBuffersReadyFlyweight().wrap(scratch, 0).setCorrelationId(4).setSessionId(-5).setStreamId(10)
      .setSubscriptionRegistrationId(2).setSubscriberPositionId(44).setLogFileName('/dev/shm/x/publications/4.logbuffer')
      .setSourceIdentity('aeron:ipc');
    transmitter.transmit(E.ON_AVAILABLE_IMAGE, scratch, 0, img.length());
    scratch.putInt64(0, 9);
    transmitter.transmit(E.ON_OPERATION_SUCCESS, scratch, 0, 8);
    scratch.putInt32(8, 40);
    transmitter.transmit(E.ON_COUNTER_READY, scratch, 0, 12);
    expect(adapter.receive()).toBe(4);
    expect(calls).toEqual([
      'error 7 1 invalid channel',
      'image 4 -5 2 44 /dev/shm/x/publications/4.logbuffer aeron:ipc',
      'ok 9',
      'counter 9 40',
    ]);
    expect(adapter.receive()).toBe(0);
  });
});

describe('Context and channels', () => {
  it('defaults the Aeron dir like Aeron does', () => {
    expect(defaultAeronDir({ AERON_DIR: '/tmp/a' })).toBe('/tmp/a');
    if (process.platform === 'linux') expect(defaultAeronDir({ USER: 'bob' })).toBe('/dev/shm/aeron-bob');
    expect(new Context({ aeronDir: '/x' }).driverTimeoutMs).toBe(10_000);
    expect(() => new Context({ driverTimeoutMs: 0 })).toThrow(/driverTimeoutMs/);
  });

  it('adds a channel parameter once', () => {
    expect(withParam('aeron:ipc', 'tether', 'false')).toBe('aeron:ipc?tether=false');
    expect(withParam('aeron:ipc?term-length=65536', 'tether', 'false')).toBe('aeron:ipc?term-length=65536|tether=false');
    expect(withParam('aeron:ipc?tether=true', 'tether', 'false')).toBe('aeron:ipc?tether=true');
  });
});
