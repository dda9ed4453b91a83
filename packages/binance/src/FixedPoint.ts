/**
 * Exact decimal text → int64 fixed point in units of 1e-8 (Binance's precision), as a JS Number.
 *
 * Invariants and limits:
 * - No float arithmetic on the fraction: the integer and fractional digits are accumulated as integers, so
 *   "67123.45000000" is exactly 6712345000000. The result is exact whenever it is ≤ Number.MAX_SAFE_INTEGER
 *   (≈ 90 million units of 1.0), which every Binance price and quantity is; larger values are rejected.
 * - Accepted grammar: digits, optionally "." and 1..8 more digits (more than 8 fraction digits are accepted only when
 *   the extra digits are zeros). No sign, no exponent, no whitespace: anything else is rejected with `INVALID`.
 * - Works on a range of a string so a frame scanner parses values in place without slicing.
 */

export const FIXED8_SCALE = 100_000_000;
/** Returned for malformed or out-of-range input; every valid result is ≥ 0. */
export const INVALID_FIXED8 = -1;

const ZERO = 48;
const DOT = 46;
const POW10 = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000];

/** Parses `text[start, end)` as a non-negative decimal; returns units of 1e-8 or `INVALID_FIXED8`. */
export function parseFixed8Range(text: string, start: number, end: number): number {
  if (end <= start) return INVALID_FIXED8;
  let intPart = 0;
  let i = start;
  let digits = 0;
  for (; i < end; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) break;
    intPart = intPart * 10 + d;
    digits++;
  }
  if (digits === 0 || intPart > 90_071_992) return INVALID_FIXED8;
  let frac = 0;
  let fracDigits = 0;
  if (i < end) {
    if (text.charCodeAt(i) !== DOT) return INVALID_FIXED8;
    i++;
    if (i === end) return INVALID_FIXED8;
    for (; i < end; i++) {
      const d = text.charCodeAt(i) - ZERO;
      if (d < 0 || d > 9) return INVALID_FIXED8;
      if (fracDigits < 8) {
        frac = frac * 10 + d;
        fracDigits++;
      } else if (d !== 0) {
        return INVALID_FIXED8; // finer than 1e-8 cannot be represented exactly
      }
    }
  }
  const value = intPart * FIXED8_SCALE + frac * POW10[8 - fracDigits]!;
  return value > Number.MAX_SAFE_INTEGER ? INVALID_FIXED8 : value;
}

/** Parses a whole string; see `parseFixed8Range`. */
export function parseFixed8(text: string): number {
  return parseFixed8Range(text, 0, text.length);
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
