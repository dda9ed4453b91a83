import { describe, expect, it } from 'vitest';
import { AtomicBuffer } from '../src/AtomicBuffer.js';
import { CountersLayout as L, CountersReader } from '../src/CountersReader.js';
import { ErrorLogReader } from '../src/ErrorLogReader.js';

describe('CountersReader', () => {
  it('skips reclaimed records and stops at the first unused one', () => {
    const meta = AtomicBuffer.allocate(4 * 512);
    const values = AtomicBuffer.allocate(4 * 128);
    const put = (id: number, state: number, type: number, label: string, value: number) => {
      meta.putInt32(id * 512 + L.TYPE_ID_OFFSET, type);
      meta.putInt32(id * 512 + L.LABEL_LENGTH_OFFSET, label.length);
      for (let i = 0; i < label.length; i++) meta.putUint8(id * 512 + L.LABEL_OFFSET + i, label.charCodeAt(i));
      values.putInt64Ordered(id * 128, value);
      meta.putInt32Ordered(id * 512, state);
    };
    put(0, 1, 0, 'Bytes sent', 2 ** 40 + 3);
    put(1, -1, 4, 'gone', 0);
    put(2, 1, 11, 'client-heartbeat: id=9', 5);
    put(3, 1, 1, 'after the gap? no', 0);
    meta.putInt32(3 * 512, 0);
    const seen: string[] = [];
    const reader = new CountersReader(meta, values);
    reader.forEach((id, type, _k, _o, label) => seen.push(`${id}:${type}:${label}`));
    expect(seen).toEqual(['0:0:Bytes sent', '2:11:client-heartbeat: id=9']);
    expect(reader.getCounterValue(0)).toBe(2 ** 40 + 3);
    expect(reader.maxCounterId).toBe(3);
  });
});

describe('ErrorLogReader', () => {
  it('reads distinct error records and filters by timestamp', () => {
    const log = AtomicBuffer.allocate(1024);
    let offset = 0;
    const add = (count: number, first: number, last: number, text: string) => {
      const bytes = Buffer.from(text, 'utf8');
      log.putInt32(offset + 4, count);
      log.putInt64(offset + 8, last);
      log.putInt64(offset + 16, first);
      log.bytes.set(bytes, offset + 24);
      log.putInt32Ordered(offset, 24 + bytes.length);
      offset += (24 + bytes.length + 7) & ~7;
    };
    expect(ErrorLogReader.hasErrors(log)).toBe(false);
    add(3, 1000, 2000, 'first error ✓');
    add(1, 3000, 3000, 'second');
    const got: string[] = [];
    expect(ErrorLogReader.read(log, (c, f, l, t) => got.push(`${c} ${f} ${l} ${t}`))).toBe(2);
    expect(got).toEqual(['3 1000 2000 first error ✓', '1 3000 3000 second']);
    expect(ErrorLogReader.read(log, () => {}, 2500)).toBe(1);
    expect(ErrorLogReader.hasErrors(log)).toBe(true);
  });
});

describe('AtomicBuffer allocation-free int64 helpers', () => {
  it('round-trips positions through the split volatile accessors', () => {
    const b = AtomicBuffer.allocate(64);
    for (const v of [0, 1, 4294967295, 4294967296, 2 ** 40 + 12345, 2 ** 53 - 1, -1, -(2 ** 33)]) {
      b.putInt64OrderedNumber(8, v);
      expect(b.getInt64VolatileNumber(8)).toBe(v);
      expect(b.getInt64BigInt(8)).toBe(BigInt(v));
    }
  });

  it('copyFrom copies any alignment and length', () => {
    const src = AtomicBuffer.allocate(600);
    for (let i = 0; i < 600; i++) src.putUint8(i, i & 0xff);
    for (const [d, s, n] of [[0, 0, 32], [4, 8, 13], [3, 1, 100], [32, 0, 512]] as const) {
      const dst = AtomicBuffer.allocate(600);
      dst.copyFrom(d, src, s, n);
      expect([...dst.bytes.subarray(d, d + n)]).toEqual([...src.bytes.subarray(s, s + n)]);
      expect(dst.getUint8(d + n)).toBe(0);
    }
  });
});
