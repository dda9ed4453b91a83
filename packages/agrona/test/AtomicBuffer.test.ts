import { describe, expect, it } from 'vitest';
import { AtomicBuffer } from '../src/AtomicBuffer.js';

describe('AtomicBuffer', () => {
  it('round-trips int64 Numbers up to 2^53 including negatives without BigInt', () => {
    const b = AtomicBuffer.allocate(64);
    for (const v of [0, 1, -1, 4294967295, 4294967296, -4294967297, 2 ** 53, -(2 ** 53), 1_700_000_000_123]) {
      b.putInt64(8, v);
      expect(b.getInt64(8)).toBe(v);
      expect(b.getInt64BigInt(8)).toBe(BigInt(v));
    }
  });

  it('rejects a misaligned region', () => {
    expect(() => new AtomicBuffer(new ArrayBuffer(64), 4, 8)).toThrow(/aligned/);
  });
});
