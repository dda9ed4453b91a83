import { describe, expect, it } from 'vitest';
import { AtomicBuffer } from '@mm/agrona';
import {
  epochNsApprox, epochNsHi, epochNsLo, epochNsNanosOfMs, epochNsToMs, formatEpochNs, getEpochMs, getEpochNanosOfMs, putEpochNs,
} from '../src/Int64.js';
import { Random } from './support/Random.js';

const big = (ms: number, nanos: number) => BigInt(ms) * 1_000_000n + BigInt(nanos);
const hiOf = (v: bigint) => Number(BigInt.asIntN(32, v >> 32n));
const loOf = (v: bigint) => Number(BigInt.asUintN(32, v));

describe('epoch ns without BigInt', () => {
  it('splits (ms, nanos) into the int64 halves exactly, above 2^53 ns', () => {
    const rnd = new Random(64);
    const cases: [number, number][] = [[0, 0], [0, 999_999], [1, 0], [2 ** 43 - 1, 999_999], [1_732_190_400_123, 456_789],
      [9_007_199_254, 740_993] /* 2^53 + 1 ns */, [4294, 967_296] /* 2^32 ns */, [4294, 967_295]];
    for (let i = 0; i < 10_000; i++) cases.push([rnd.int(0, 2 ** 43 - 1), rnd.int(0, 999_999)]);
    for (const [ms, nanos] of cases) {
      const v = big(ms, nanos);
      expect([epochNsHi(ms, nanos), epochNsLo(ms, nanos)], `${ms} ${nanos}`).toEqual([hiOf(v), loOf(v)]);
      expect(epochNsToMs(hiOf(v), loOf(v))).toBe(ms);
      expect(epochNsNanosOfMs(hiOf(v), loOf(v))).toBe(nanos);
      expect(formatEpochNs(hiOf(v), loOf(v))).toBe(v.toString());
    }
  });

  it('splits arbitrary int64 halves into (ms, nanos) with floor semantics, negatives included', () => {
    const rnd = new Random(65);
    for (let i = 0; i < 10_000; i++) {
      const hi = rnd.int(-2147483648, 2147483647);
      const lo = rnd.int(0, 4294967295);
      const v = (BigInt(hi) << 32n) + BigInt(lo);
      const floorMs = v >= 0n ? v / 1_000_000n : -((-v + 999_999n) / 1_000_000n);
      expect(epochNsToMs(hi, lo)).toBe(Number(floorMs));
      expect(epochNsNanosOfMs(hi, lo)).toBe(Number(v - floorMs * 1_000_000n));
      expect(formatEpochNs(hi, lo)).toBe(v.toString());
    }
  });

  it('reads and writes through a buffer and approximates as a float', () => {
    const buffer = AtomicBuffer.allocate(16);
    putEpochNs(buffer, 8, 1_732_190_400_123, 456_789);
    expect(buffer.getInt64BigInt(8)).toBe(1_732_190_400_123_456_789n);
    expect(getEpochMs(buffer, 8)).toBe(1_732_190_400_123);
    expect(getEpochNanosOfMs(buffer, 8)).toBe(456_789);
    expect(epochNsApprox(buffer.getInt64Hi(8), buffer.getInt64Lo(8))).toBeCloseTo(1.732190400123456789e18, -3);
  });
});
