/**
 * How numbers appear on the page. Wire prices and quantities (int64 1e-8 units) are shown exactly: the 8-decimal
 * text of `formatFixed8` with trailing zeros trimmed (at least `minDecimals` kept), so "65000.12000000" reads
 * "65000.12". Model outputs (float64 price units) are first rounded to the nearest 1e-8 unit, the wire's
 * precision, then shown the same way. Absent values (NaN) read as an em dash.
 *
 * These run at the push rate (10/s), not per message, so they may allocate strings.
 */
import { formatFixed8, numberToFixed8 } from '@mm/protocol';

export const ABSENT = '—';

/** 1e-8 units as an exact decimal with trailing zeros trimmed. */
export function formatUnits(units: number, minDecimals = 2): string {
  if (!Number.isFinite(units)) return ABSENT;
  if (!Number.isSafeInteger(units)) return String(units / 1e8);
  return trimZeros(formatFixed8(units), minDecimals);
}

/** A float in price (or quote-asset) units, rounded to 1e-8 and trimmed like `formatUnits`. */
export function formatDecimal(value: number, minDecimals = 2): string {
  if (!Number.isFinite(value)) return ABSENT;
  const units = numberToFixed8(value);
  // Beyond 2^53 units (90 million) the rounding is no longer exact: show the float as it is.
  if (!Number.isSafeInteger(units)) return String(value);
  return trimZeros(formatFixed8(units), minDecimals);
}

function trimZeros(text: string, minDecimals: number): string {
  const dot = text.indexOf('.');
  let end = text.length;
  const keep = dot + 1 + minDecimals;
  while (end > keep && text.charCodeAt(end - 1) === 48) end--;
  if (minDecimals === 0 && end === dot + 1) end = dot;
  return text.slice(0, end);
}
