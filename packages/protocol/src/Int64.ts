/**
 * Exact int64 epoch nanoseconds without BigInt. Epoch ns (~1.8e18) exceed 2^53, so they travel as the two 32-bit
 * halves of the int64 (hi signed, lo unsigned) and are built from or split into (epoch ms, nanos within that ms):
 * both of those are exact Numbers. Every step below keeps intermediate values under 2^53.
 *
 * Limits: `ms` must be a non-negative integer below 2^43 (year 2248) and `nanosOfMs` an integer in [0, 1e6).
 */
import type { AtomicBuffer } from '@mm/agrona';

const TWO_32 = 4294967296;
const TWO_21 = 2097152;
const TWO_11 = 2048;
const NS_PER_MS = 1_000_000;
/** 2^32 = 4294 * 1e6 + 967296 */
const TWO_32_DIV_1E6 = 4294;
const TWO_32_MOD_1E6 = 967296;

/** High (signed) 32 bits of `ms * 1e6 + nanosOfMs`. */
export function epochNsHi(ms: number, nanosOfMs: number): number {
  // ms = mh * 2^21 + ml; value = (mh*1e6) * 2^21 + (ml*1e6 + nanos); both products are below 2^42.
  const ml = ms % TWO_21;
  const x = ((ms - ml) / TWO_21) * NS_PER_MS;
  const y = ml * NS_PER_MS + nanosOfMs;
  const xLow = x % TWO_11;
  const yLo = y % TWO_32;
  const low = xLow * TWO_21 + yLo;
  const carry = low >= TWO_32 ? 1 : 0;
  return (x - xLow) / TWO_11 + (y - yLo) / TWO_32 + carry;
}

/** Low (unsigned) 32 bits of `ms * 1e6 + nanosOfMs`. */
export function epochNsLo(ms: number, nanosOfMs: number): number {
  const ml = ms % TWO_21;
  const x = ((ms - ml) / TWO_21) * NS_PER_MS;
  const y = ml * NS_PER_MS + nanosOfMs;
  return ((x % TWO_11) * TWO_21 + (y % TWO_32)) % TWO_32;
}

/** Whole milliseconds of the int64 ns value `hi * 2^32 + lo` (floor, also for negative values). */
export function epochNsToMs(hi: number, lo: number): number {
  // hi*2^32 + lo = hi*4294*1e6 + (hi*967296 + lo); the bracket stays below 2^52.
  const t = hi * TWO_32_MOD_1E6 + (lo >>> 0);
  return hi * TWO_32_DIV_1E6 + Math.floor(t / NS_PER_MS);
}

/** Nanoseconds within the millisecond of the int64 ns value `hi * 2^32 + lo`, in [0, 1e6). */
export function epochNsNanosOfMs(hi: number, lo: number): number {
  const t = hi * TWO_32_MOD_1E6 + (lo >>> 0);
  const r = t % NS_PER_MS;
  return r < 0 ? r + NS_PER_MS : r;
}

/** The value as a float (ns precision lost above 2^53: fine for display and coarse arithmetic only). */
export function epochNsApprox(hi: number, lo: number): number {
  return hi * TWO_32 + (lo >>> 0);
}

/** Writes `ms * 1e6 + nanosOfMs` as an int64 at `offset`. */
export function putEpochNs(buffer: AtomicBuffer, offset: number, ms: number, nanosOfMs: number): void {
  buffer.putInt64HiLo(offset, epochNsHi(ms, nanosOfMs), epochNsLo(ms, nanosOfMs));
}

export function getEpochMs(buffer: AtomicBuffer, offset: number): number {
  return epochNsToMs(buffer.getInt64Hi(offset), buffer.getInt64Lo(offset));
}

export function getEpochNanosOfMs(buffer: AtomicBuffer, offset: number): number {
  return epochNsNanosOfMs(buffer.getInt64Hi(offset), buffer.getInt64Lo(offset));
}

/** Exact decimal text of the int64 `hi * 2^32 + lo` (allocates: for JSON and logs, not the hot path). */
export function formatEpochNs(hi: number, lo: number): string {
  const ms = epochNsToMs(hi, lo);
  const nanos = epochNsNanosOfMs(hi, lo);
  if (ms === 0) return String(nanos);
  if (ms < 0) {
    // Negative: -(|v|) with |v| = (-ms-1)*1e6 + (1e6 - nanos) when nanos > 0.
    if (nanos === 0) return `${ms}000000`;
    const absMs = -ms - 1;
    const absNanos = NS_PER_MS - nanos;
    return absMs === 0 ? `-${absNanos}` : `-${absMs}${String(absNanos).padStart(6, '0')}`;
  }
  return `${ms}${String(nanos).padStart(6, '0')}`;
}
