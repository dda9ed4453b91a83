/**
 * Exchange prices and quantities as integers in units of 1e-8 (Binance's precision), held as JS Numbers.
 *
 * Limits: a value must stay within ±2^53 units (±90,071,992.54740991), which every real price and quantity does.
 * The parsers never go through a float: digits accumulate into an integer, so "0.1" is exactly 10,000,000 units.
 * A ninth or later decimal must be 0 (Binance pads to 8 decimals); anything else is rejected, never rounded.
 */
export const FIXED8_SCALE = 100_000_000;
const MAX_INT_PART = Math.floor(Number.MAX_SAFE_INTEGER / FIXED8_SCALE);
const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000];
const ZERO = 48;
const DOT = 46;
const MINUS = 45;
const PLUS = 43;

/**
 * Parses `text[start, end)` as a decimal. Returns the value in 1e-8 units, or NaN when the text is not a plain
 * decimal (optional sign, digits, optional '.' and digits), has a non-zero ninth decimal, or exceeds 2^53 units.
 */
export function tryParseFixed8(text: string, start = 0, end = text.length): number {
  let i = start;
  let negative = false;
  if (i < end) {
    const c = text.charCodeAt(i);
    if (c === MINUS) { negative = true; i++; } else if (c === PLUS) { i++; }
  }
  let intPart = 0;
  let intDigits = 0;
  while (i < end) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) break;
    intPart = intPart * 10 + d;
    intDigits++;
    i++;
  }
  let frac = 0;
  let fracDigits = 0;
  if (i < end && text.charCodeAt(i) === DOT) {
    i++;
    while (i < end) {
      const d = text.charCodeAt(i) - ZERO;
      if (d < 0 || d > 9) return NaN;
      if (fracDigits < 8) { frac = frac * 10 + d; } else if (d !== 0) { return NaN; }
      fracDigits++;
      i++;
    }
  }
  if (i !== end || intDigits + fracDigits === 0 || intPart > MAX_INT_PART) return NaN;
  const units = intPart * FIXED8_SCALE + frac * POW10[8 - Math.min(fracDigits, 8)]!;
  if (units > Number.MAX_SAFE_INTEGER) return NaN;
  return negative ? -units : units;
}

/** Like `tryParseFixed8` over ASCII bytes (a raw WebSocket frame), without making a string. */
export function tryParseFixed8Bytes(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  let negative = false;
  if (i < end) {
    const c = bytes[i]!;
    if (c === MINUS) { negative = true; i++; } else if (c === PLUS) { i++; }
  }
  let intPart = 0;
  let intDigits = 0;
  while (i < end) {
    const d = bytes[i]! - ZERO;
    if (d < 0 || d > 9) break;
    intPart = intPart * 10 + d;
    intDigits++;
    i++;
  }
  let frac = 0;
  let fracDigits = 0;
  if (i < end && bytes[i] === DOT) {
    i++;
    while (i < end) {
      const d = bytes[i]! - ZERO;
      if (d < 0 || d > 9) return NaN;
      if (fracDigits < 8) { frac = frac * 10 + d; } else if (d !== 0) { return NaN; }
      fracDigits++;
      i++;
    }
  }
  if (i !== end || intDigits + fracDigits === 0 || intPart > MAX_INT_PART) return NaN;
  const units = intPart * FIXED8_SCALE + frac * POW10[8 - Math.min(fracDigits, 8)]!;
  if (units > Number.MAX_SAFE_INTEGER) return NaN;
  return negative ? -units : units;
}

/** Parses a decimal string exactly into 1e-8 units; throws a RangeError naming the text when it is not one. */
export function toFixed8(text: string): number {
  const units = tryParseFixed8(text);
  if (Number.isNaN(units)) {
    throw new RangeError(`not an exact 8-decimal number within 2^53 units: ${JSON.stringify(text)}`);
  }
  return units;
}

/** Formats 1e-8 units as a decimal with exactly 8 decimals ("65000.12000000"); the inverse of `toFixed8`. */
export function formatFixed8(units: number): string {
  if (!Number.isSafeInteger(units)) throw new RangeError(`not an integer number of 1e-8 units: ${units}`);
  const abs = Math.abs(units);
  const intPart = Math.floor(abs / FIXED8_SCALE);
  const frac = abs - intPart * FIXED8_SCALE;
  const fracText = String(frac).padStart(8, '0');
  return `${units < 0 ? '-' : ''}${intPart}.${fracText}`;
}

/** 1e-8 units to a float in price units, for models (may round in the last bits; never goes back to the wire). */
export function fixed8ToNumber(units: number): number {
  return units / FIXED8_SCALE;
}

/** A float in price units to the nearest 1e-8 unit. */
export function numberToFixed8(value: number): number {
  return Math.round(value * FIXED8_SCALE);
}
