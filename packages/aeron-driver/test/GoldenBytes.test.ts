/**
 * The driver's counters, responses and log metadata against bytes captured from Aeron 1.47.3's C driver
 * (/work/shared/vectors/aeron-1.47.3: stream 1001, publication registration id 4, subscriber client 1, publisher client 3).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { AtomicBuffer, BroadcastTransmitter, CountersManager, MappedFile } from '@mm/agrona';
import { ClientProxy } from '../src/ClientProxy.js';
import { createLogFile, initLogMetadata } from '../src/IpcLogBuffer.js';
import { allocateClientHeartbeat, allocatePublisherLimit, allocatePublisherPosition, allocateSubscriberPosition } from '../src/StreamCounters.js';
import { SystemCounters } from '../src/SystemCounters.js';
import { removeTempDirs, tempAeronDir } from './support/driverFixture.js';

const VECTORS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/vectors/aeron-1.47.3');
const TO_CLIENTS = 128 + 1_049_344;
const META = TO_CLIENTS + 1_048_704;
const VALUES = META + 4_194_304;
const SESSION = -1156915053;

function vector(name: string): AtomicBuffer {
  const bytes = gunzipSync(readFileSync(join(VECTORS, name)));
  const copy = AtomicBuffer.allocate(bytes.length);
  copy.bytes.set(bytes);
  return copy;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('golden bytes from Aeron 1.47.3', () => {
  const cnc = vector('cnc.with-pub-sub.dat.gz');

  it('shouldLayOutStreamPositionCountersLikeAeron', () => {
    const counters = new CountersManager(AtomicBuffer.allocate(4 * 1024 * 1024), AtomicBuffer.allocate(1024 * 1024), () => 1);
    new SystemCounters(counters);
    expect(allocateClientHeartbeat(counters, 1, 0)).toBe(40);
    expect(allocateClientHeartbeat(counters, 3, 0)).toBe(41);
    expect(allocatePublisherPosition(counters, 4, SESSION, 1001, 'aeron:ipc')).toBe(42);
    expect(allocatePublisherLimit(counters, 4, SESSION, 1001, 'aeron:ipc', 3)).toBe(43);
    expect(allocateSubscriberPosition(counters, 2, SESSION, 1001, 'aeron:ipc', 0, 1, 4)).toBe(44);
    for (const id of [42, 43, 44]) {
      const ours = counters.metadataBuffer.bytes.subarray(id * 512, id * 512 + 512);
      const theirs = cnc.bytes.subarray(META + id * 512, META + id * 512 + 512);
      expect(hex(ours), `metadata record ${id}`).toBe(hex(theirs));
      for (const field of [8, 16, 24]) {
        expect(counters.valuesBuffer.getInt64(id * 128 + field), `value record ${id} +${field}`).toBe(cnc.getInt64(VALUES + id * 128 + field));
      }
    }
    // Heartbeats: the C client appends " name=... version=..." to the label in place, so compare type, key and ids.
    for (const id of [40, 41]) {
      expect(hex(counters.metadataBuffer.bytes.subarray(id * 512, id * 512 + 128))).toBe(hex(cnc.bytes.subarray(META + id * 512, META + id * 512 + 128)));
      expect(counters.getCounterLabel(id)).toBe(`client-heartbeat: id=${cnc.getInt64(META + id * 512 + 16)}`);
      expect(counters.getCounterOwnerId(id)).toBe(cnc.getInt64(VALUES + id * 128 + 16));
    }
  });

  it('shouldEncodeResponsesLikeAeron', () => {
    const capacity = 1_048_704 - 128;
    const captured = new AtomicBuffer(cnc.buffer, TO_CLIENTS, 1_048_704);
    const tail = captured.getInt64(capacity + 8);
    const ours = AtomicBuffer.allocate(1_048_704);
    const proxy = new ClientProxy(new BroadcastTransmitter(ours));
    const logFile = '/dev/shm/fx-aeron/publications/4.logbuffer';
    proxy.onCounterReady(1, 40);
    proxy.onSubscriptionReady(2);
    proxy.onCounterReady(3, 41);
    proxy.onPublicationReady(false, 4, 4, SESSION, 1001, 43, logFile);
    proxy.onAvailableImage(4, SESSION, 1001, 2, 44, logFile, 'aeron:ipc');
    expect(ours.getInt64(capacity + 8)).toBe(tail);
    // Aeron leaves the alignment padding after the log file name uninitialised; blank those bytes on both sides.
    const imageRecord = 160;
    const padStart = imageRecord + 8 + 32 + 42;
    for (const b of [ours, captured]) b.bytes.fill(0, padStart, padStart + 2);
    expect(hex(ours.bytes.subarray(0, tail))).toBe(hex(captured.bytes.subarray(0, tail)));
  });

  it('shouldInitialiseLogMetadataLikeAeron', () => {
    const log = vector('4.logbuffer.gz');
    const meta = log.capacity - 4096;
    const dir = tempAeronDir();
    const path = join(dirname(dir), '4.logbuffer');
    const file: MappedFile = createLogFile(path, log.capacity, false);
    try {
      const ours = initLogMetadata(file, {
        registrationId: 4,
        sessionId: SESSION,
        streamId: 1001,
        initialTermId: log.getInt32(meta + 264),
        termLength: 65536,
        mtu: 1408,
        termWindowLength: 32768,
        lingerNs: 5_000_000_000,
        untetheredWindowLimitTimeoutNs: 5_000_000_000,
        untetheredRestingTimeoutNs: 10_000_000_000,
        sparse: false,
      });
      expect(ours).toBe(meta);
      const b = file.buffer;
      // Term 0's tail moved to 320 and is_connected is 1 in the capture; socket-buffer fields are OS values.
      expect(b.getInt64BigInt(meta) + 320n).toBe(log.getInt64BigInt(meta));
      expect(hex(b.bytes.subarray(meta + 8, meta + 136))).toBe(hex(log.bytes.subarray(meta + 8, meta + 136)));
      expect(hex(b.bytes.subarray(meta + 140, meta + 288))).toBe(hex(log.bytes.subarray(meta + 140, meta + 288)));
      expect(hex(b.bytes.subarray(meta + 316, meta + 4096))).toBe(hex(log.bytes.subarray(meta + 316, meta + 4096)));
    } finally {
      file.close();
      removeTempDirs();
    }
  });
});
