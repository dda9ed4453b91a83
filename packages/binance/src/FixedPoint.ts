/**
 * Exact decimal text → int64 fixed point in units of 1e-8 (Binance's precision), as a JS Number.
 *
 * Invariants and limits:
 * - No float arithmetic on the fraction: the integer and fractional digits are accumulated as integers, so
 *   "67123.45000000" is exactly 6712345000000. The result is exact whenever it is ≤ Number.MAX_SAFE_INTEGER
 *   (≈ 90 million units of 1.0), which every Binance price and quantity is; larger values are rejected.
 * - Accepted grammar: digits, optionally "." and 1..8 more digits (more than 8 fraction digits are accepted only when
 *   the extra digits are zeros). No sign, no exponent, no whitespace: anything else is rejected with `INVALID`.
 * - Works on a range of bytes so the frame scanner parses values in place in the received frame, without strings.
 */

export const FIXED8_SCALE = 100_000_000;
/** Returned for malformed or out-of-range input; every valid result is ≥ 0. */
export const INVALID_FIXED8 = -1;

const ZERO = 48;
const DOT = 46;
const POW10 = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000];

/**
 * Reads a non-negative decimal starting at `bytes[start]` (scanning at most to `limit`) into `out[index]`, in units
 * of 1e-8; returns the index just past it (the caller checks what follows: a closing quote, the end), or -1 when
 * there is no valid decimal there. One pass, so a frame scanner parses a quoted value as it finds its end. It stores
 * rather than returns the value because a returned double above 2^31 is boxed on the heap when the call is not
 * inlined: tens of allocations per depth frame.
 */
export function scanFixed8(bytes: Uint8Array, start: number, limit: number, out: Float64Array, index: number): number {
  let intPart = 0;
  let i = start;
  for (; i < limit; i++) {
    const d = bytes[i]! - ZERO;
    if (d < 0 || d > 9) break;
    intPart = intPart * 10 + d;
  }
  if (i === start || intPart > 90_071_992) return -1;
  let frac = 0;
  let fracDigits = 0;
  if (i < limit && bytes[i] === DOT) {
    i++;
    // Binance's own spelling: exactly 8 fraction digits, read without a loop; anything else the general way below.
    if (i + 8 < limit) {
      const d0 = bytes[i]! - ZERO, d1 = bytes[i + 1]! - ZERO, d2 = bytes[i + 2]! - ZERO, d3 = bytes[i + 3]! - ZERO;
      const d4 = bytes[i + 4]! - ZERO, d5 = bytes[i + 5]! - ZERO, d6 = bytes[i + 6]! - ZERO, d7 = bytes[i + 7]! - ZERO;
      const d8 = bytes[i + 8]! - ZERO;
      // Unsigned: a byte below '0' wraps above 9.
      if ((d0 >>> 0) <= 9 && (d1 >>> 0) <= 9 && (d2 >>> 0) <= 9 && (d3 >>> 0) <= 9 && (d4 >>> 0) <= 9 && (d5 >>> 0) <= 9
        && (d6 >>> 0) <= 9 && (d7 >>> 0) <= 9 && (d8 >>> 0) > 9) {
        const value = intPart * FIXED8_SCALE + ((((((d0 * 10 + d1) * 10 + d2) * 10 + d3) * 10 + d4) * 10 + d5) * 10 + d6) * 10 + d7;
        if (value > Number.MAX_SAFE_INTEGER) return -1;
        out[index] = value;
        return i + 8;
      }
    }
    const fracStart = i;
    for (; i < limit; i++) {
      const d = bytes[i]! - ZERO;
      if (d < 0 || d > 9) break;
      if (fracDigits < 8) {
        frac = frac * 10 + d;
        fracDigits++;
      } else if (d !== 0) {
        return -1; // finer than 1e-8 cannot be represented exactly
      }
    }
    if (i === fracStart) return -1;
  }
  const value = intPart * FIXED8_SCALE + frac * POW10[8 - fracDigits]!;
  if (value > Number.MAX_SAFE_INTEGER) return -1;
  out[index] = value;
  return i;
}

const one = new Float64Array(1);

/** Parses exactly the ASCII bytes `bytes[start, end)`; returns units of 1e-8 or `INVALID_FIXED8` (off the hot path). */
export function parseFixed8Bytes(bytes: Uint8Array, start: number, end: number): number {
  return end > start && scanFixed8(bytes, start, end, one, 0) === end ? one[0]! : INVALID_FIXED8;
}

/** Parses a whole string (configuration, tests: it encodes the text first); see `parseFixed8Bytes`. */
export function parseFixed8(text: string): number {
  const bytes = Buffer.from(text, 'utf8');
  return parseFixed8Bytes(bytes, 0, bytes.length);
}

/** Parses or throws a RangeError naming the bad text (configuration and tests, not the hot path). */
export function toFixed8OrThrow(text: string, what: string): number {
  const v = parseFixed8(text);
  if (v === INVALID_FIXED8) throw new RangeError(`${what}: "${text}" is not a non-negative decimal with ≤ 8 fraction digits`);
  return v;
}

/** Formats units of 1e-8 as Binance does: always 8 fraction digits ("67123.45000000"). */
export function formatFixed8(units: number): string {
  if (!Number.isSafeInteger(units) || units < 0) throw new RangeError(`formatFixed8: ${units} is not a non-negative safe integer`);
  const intPart = Math.floor(units / FIXED8_SCALE);
  const frac = units - intPart * FIXED8_SCALE;
  return `${intPart}.${String(frac).padStart(8, '0')}`;
}
