import { describe, expect, it } from 'vitest';
import { AtomicBuffer } from '../src/AtomicBuffer.js';
import { CountersFullError, CountersManager } from '../src/CountersManager.js';
import { CNC, readVector } from './capturedVectors.js';

function manager(values = 1024 * 128, now: () => number = () => 1_000): CountersManager {
  return new CountersManager(AtomicBuffer.allocate(values * 4), AtomicBuffer.allocate(values), now);
}

describe('CountersManager', () => {
  it('shouldLayOutSystemCountersByteForByteLikeAeron', () => {
    const cnc = readVector('cnc.with-pub-sub.dat.gz');
    const meta = new AtomicBuffer(cnc.buffer, CNC.countersMetadata, CNC.countersMetadataLength);
    const values = new AtomicBuffer(cnc.buffer, CNC.countersValues, CNC.countersValuesLength);
    const counters = manager(CNC.countersValuesLength);
    const key = new Uint8Array(4);
    for (let id = 0; id < 40; id++) {
      const labelLength = meta.getInt32(id * 512 + 128);
      const label = String.fromCharCode(...meta.bytes.subarray(id * 512 + 132, id * 512 + 132 + labelLength));
      new DataView(key.buffer).setInt32(0, id, true);
      expect(counters.allocate(0, label, key)).toBe(id);
    }
    expect(Buffer.from(counters.metadataBuffer.bytes.subarray(0, 40 * 512)).equals(Buffer.from(meta.bytes.subarray(0, 40 * 512)))).toBe(true);
    for (let id = 0; id < 40; id++) {
      expect(counters.getCounterRegistrationId(id)).toBe(values.getInt64(id * 128 + 8));
      expect(counters.getCounterOwnerId(id)).toBe(values.getInt64(id * 128 + 16));
    }
  });

  it('shouldReuseAFreedIdOnlyAfterTheReuseDeadline', () => {
    let now = 10_000;
    const counters = manager(1024 * 128, () => now);
    const a = counters.allocate(4, 'a', new Uint8Array([1, 2, 3]));
    const b = counters.allocate(4, 'b');
    counters.setCounterValue(a, 77);
    counters.setCounterRegistrationId(a, 5);
    counters.setCounterOwnerId(a, 6);
    counters.free(a);
    expect(counters.getCounterState(a)).toBe(-1);
    expect(counters.metadataBuffer.getInt32(a * 512 + 16)).toBe(0); // key zeroed
    expect(counters.metadataBuffer.getInt64(a * 512 + 8)).toBe(11_000);
    expect(counters.allocate(4, 'c')).toBe(b + 1);
    now = 11_000;
    const reused = counters.allocate(11, 'd');
    expect(reused).toBe(a);
    expect(counters.getCounterValue(reused)).toBe(0);
    expect(counters.getCounterRegistrationId(reused)).toBe(0);
    expect(counters.getCounterOwnerId(reused)).toBe(0);
    expect(counters.getCounterState(reused)).toBe(1);
    expect(counters.getCounterTypeId(reused)).toBe(11);
    expect(counters.getCounterLabel(reused)).toBe('d');
    expect(counters.metadataBuffer.getInt64BigInt(a * 512 + 8)).toBe(0x7fffffffffffffffn);
  });

  it('shouldTruncateLongLabelsAndKeysAndFailWhenFull', () => {
    const counters = manager(2 * 128);
    const id = counters.allocate(1, 'x'.repeat(500), new Uint8Array(200).fill(9));
    expect(counters.getCounterLabel(id)).toHaveLength(380);
    expect(counters.metadataBuffer.getUint8(id * 512 + 16 + 111)).toBe(9);
    expect(counters.metadataBuffer.getInt32(id * 512 + 128)).toBe(380);
    counters.allocate(1, 'y');
    expect(() => counters.allocate(1, 'z')).toThrow(CountersFullError);
    expect(() => counters.free(5)).toThrow(/outside/);
  });
});
