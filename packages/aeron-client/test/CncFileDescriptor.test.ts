import { AtomicBuffer, BroadcastReceiver, BroadcastRecord, CountersReader, ErrorLogReader, ManyToOneRingBuffer, align } from '@mm/agrona';
import { describe, expect, it } from 'vitest';
import { CNC_VERSION, CncMetadata, computeCncFileLength } from '../src/CncFileDescriptor.js';
import { ControlProtocolEvents as E } from '../src/command/ControlProtocolEvents.js';
import { CounterUpdateFlyweight } from '../src/command/CounterUpdateFlyweight.js';
import { ImageBuffersReadyFlyweight } from '../src/command/ImageBuffersReadyFlyweight.js';
import { PublicationBuffersReadyFlyweight } from '../src/command/PublicationBuffersReadyFlyweight.js';
import { SubscriptionReadyFlyweight } from '../src/command/SubscriptionReadyFlyweight.js';
import { loadText, loadVector } from './vectors.js';

describe('CncFileDescriptor on a real Aeron 1.47.3 cnc.dat', () => {
  it('reads the fresh header', () => {
    const cnc = loadVector('cnc.fresh.dat.gz');
    const meta = new CncMetadata(cnc);
    expect(meta.cncVersion()).toBe(CNC_VERSION);
    expect(CNC_VERSION).toBe(0x200);
    expect(meta.toDriverBufferLength()).toBe(1_049_344);
    expect(meta.toClientsBufferLength()).toBe(1_048_704);
    expect(meta.countersMetadataBufferLength()).toBe(4_194_304);
    expect(meta.countersValuesBufferLength()).toBe(1_048_576);
    expect(meta.errorLogBufferLength()).toBe(1_048_576);
    expect(meta.clientLivenessTimeoutNs()).toBe(10_000_000_000n);
    expect(meta.pid()).toBeGreaterThan(0);
    expect(cnc.capacity).toBe(computeCncFileLength(1_049_344, 1_048_704, 4_194_304, 1_048_576, 1_048_576));
    expect(cnc.capacity).toBe(8_392_704);
    meta.checkCompatible();
    const ring = new ManyToOneRingBuffer(meta.toDriverBuffer());
    expect(ring.capacity).toBe(1 << 20);
    // The driver took one correlation id for itself and wrote its heartbeat before signalling ready.
    expect(ring.consumerHeartbeatTime()).toBeGreaterThan(1_700_000_000_000);
    expect(ErrorLogReader.hasErrors(meta.errorLogBuffer())).toBe(false);
  });

  it('rejects an incompatible major version with a clear error', () => {
    const cnc = loadVector('cnc.fresh.dat.gz');
    cnc.putInt32(0, 0x10200);
    expect(() => new CncMetadata(cnc).checkCompatible()).toThrow(/CnC version not compatible: app=0.2.0 file=1.2.0/);
  });

  it('reads every counter of cnc.with-pub-sub exactly as AeronStat printed it', () => {
    const meta = new CncMetadata(loadVector('cnc.with-pub-sub.dat.gz'));
    const reader = new CountersReader(meta.countersMetadataBuffer(), meta.countersValuesBuffer());
    const expected = new Map<number, { value: number; label: string }>();
    for (const line of loadText('aeronstat.with-pub-sub.txt').split('\n')) {
      const m = /^\s*(\d+)\s*:\s*([\d,-]+) - (.*)$/.exec(line);
      if (m) expected.set(Number(m[1]), { value: Number(m[2]!.replaceAll(',', '')), label: m[3]! });
    }
    expect(expected.size).toBe(45);
    const seen = new Map<number, { typeId: number; label: string }>();
    reader.forEach((id, typeId, _key, _keyOffset, label) => seen.set(id, { typeId, label }));
    expect([...seen.keys()]).toEqual([...expected.keys()]);
    for (const [id, e] of expected) {
      expect(seen.get(id)!.label).toBe(e.label);
      expect(reader.getCounterValue(id)).toBe(e.value);
    }
    expect(seen.get(42)!.typeId).toBe(12);
    expect(seen.get(43)!.typeId).toBe(1);
    expect(seen.get(44)!.typeId).toBe(4);
    expect(seen.get(40)!.typeId).toBe(11);
    // Stream position key: registration id, session id, stream id, channel.
    const key = reader.keyOffset(44);
    expect(reader.metadataBuffer.getInt64(key)).toBe(2);
    expect(reader.metadataBuffer.getInt32(key + 8)).toBe(-1156915053);
    expect(reader.metadataBuffer.getInt32(key + 12)).toBe(1001);
    expect(reader.getCounterRegistrationId(43)).toBe(4);
    expect(reader.getCounterReferenceId(44)).toBe(4);
    expect(reader.findByTypeIdAndRegistrationId(1, 4)).toBe(43);
    expect(reader.findByTypeIdAndRegistrationId(1, 99)).toBe(-1);
    expect(() => reader.getCounterValue(reader.maxCounterId + 1)).toThrow(/out of range/);
  });

  it('decodes the driver responses in the to-clients broadcast buffer', () => {
    const meta = new CncMetadata(loadVector('cnc.with-pub-sub.dat.gz'));
    const toClients = meta.toClientsBuffer();
    const capacity = toClients.capacity - 128;
    const tail = toClients.getInt64(capacity + 8);
    const types: number[] = [];
    const pubReady = new PublicationBuffersReadyFlyweight();
    const imageReady = new ImageBuffersReadyFlyweight();
    let sawPub = false;
    let sawImage = false;
    for (let offset = 0; offset < tail; ) {
      const length = toClients.getInt32(offset);
      const type = toClients.getInt32(offset + 4);
      types.push(type);
      if (type === E.ON_PUBLICATION_READY) {
        pubReady.wrap(toClients, offset + BroadcastRecord.HEADER_LENGTH);
        expect(pubReady.registrationId()).toBe(4);
        expect(pubReady.sessionId()).toBe(-1156915053);
        expect(pubReady.streamId()).toBe(1001);
        expect(pubReady.channelStatusIndicatorId()).toBe(-1);
        expect(pubReady.logFileName()).toMatch(/\/publications\/4\.logbuffer$/);
        expect(pubReady.length()).toBe(length - 8);
        sawPub = true;
      }
      if (type === E.ON_AVAILABLE_IMAGE) {
        imageReady.wrap(toClients, offset + 8);
        expect(imageReady.correlationId()).toBe(4);
        expect(imageReady.subscriptionRegistrationId()).toBe(2);
        expect(imageReady.subscriberPositionId()).toBe(44);
        expect(imageReady.sourceIdentity()).toBe('aeron:ipc');
        expect(imageReady.length()).toBe(length - 8);
        sawImage = true;
      }
      if (type === E.ON_SUBSCRIPTION_READY) {
        expect(new SubscriptionReadyFlyweight().wrap(toClients, offset + 8).channelStatusIndicatorId()).toBe(-1);
      }
      if (type === E.ON_COUNTER_READY) {
        expect([40, 41]).toContain(new CounterUpdateFlyweight().wrap(toClients, offset + 8).counterId());
      }
      offset += align(length, 8);
    }
    expect(sawPub && sawImage).toBe(true);
    expect(types).toContain(E.ON_SUBSCRIPTION_READY);
    // A receiver starts at the latest record and sees exactly that one.
    const receiver = new BroadcastReceiver(toClients);
    expect(receiver.receiveNext()).toBe(true);
    expect(receiver.typeId()).toBe(types[types.length - 1]);
    expect(receiver.validate()).toBe(true);
    expect(receiver.receiveNext()).toBe(false);
  });

  it('exposes regions as views over the same memory', () => {
    const cnc = AtomicBuffer.allocate(computeCncFileLength(1024 + 768, 1024 + 128, 4 * 1024, 1024, 1024));
    const meta = new CncMetadata(cnc);
    meta.fillMetaData({ toDriver: 1024 + 768, toClients: 1024 + 128, countersMetadata: 4096, countersValues: 1024, errorLog: 1024 }, 5_000_000_000n, 1_800_000_000_000, 1234);
    expect(meta.cncVersion()).toBe(0);
    meta.signalCncReady();
    meta.checkCompatible();
    meta.countersValuesBuffer().putInt64(0, 77);
    expect(cnc.getInt64(128 + 1792 + 1152 + 4096)).toBe(77);
    expect(meta.startTimestampMs()).toBe(1_800_000_000_000);
    expect(meta.pid()).toBe(1234);
  });
});
