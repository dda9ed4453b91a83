import { describe, expect, it } from 'vitest';
import { fixed8ToNumber, formatFixed8, numberToFixed8, toFixed8, tryParseFixed8, tryParseFixed8Bytes } from '../src/FixedPoint.js';
import { Random } from './support/Random.js';

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('toFixed8', () => {
  it.each([
    ['0', 0], ['0.00000000', 0], ['1', 100_000_000], ['0.1', 10_000_000], ['0.00000001', 1],
    ['65000.12000000', 6_500_012_000_000], ['98765.43210987', 9_876_543_210_987], ['-1.5', -150_000_000],
    ['+2.25', 225_000_000], ['.5', 50_000_000], ['7.', 700_000_000], ['0.100000000000', 10_000_000],
    ['90071992.54740991', Number.MAX_SAFE_INTEGER], ['00012.3', 1_230_000_000],
  ])('parses %s exactly', (text, units) => {
    expect(toFixed8(text)).toBe(units);
    expect(tryParseFixed8Bytes(ascii(text), 0, text.length)).toBe(units);
  });

  it.each(['', '.', '-', '1e5', 'abc', '1.2.3', '0.000000001', '90071992.54740992', '1 ', ' 1', '1,5', 'NaN', '--1'])(
    'rejects %j without rounding', (text) => {
      expect(Number.isNaN(tryParseFixed8(text))).toBe(true);
      expect(Number.isNaN(tryParseFixed8Bytes(ascii(text), 0, text.length))).toBe(true);
      expect(() => toFixed8(text)).toThrow(RangeError);
    });

  it('names the bad text in the error', () => {
    expect(() => toFixed8('12.3x')).toThrow(/"12.3x"/);
  });

  it('parses a sub-range of a larger string or frame', () => {
    const frame = '["65000.12000000","0.00150000"]';
    expect(tryParseFixed8(frame, 2, 16)).toBe(6_500_012_000_000);
    expect(tryParseFixed8Bytes(ascii(frame), 19, 29)).toBe(150_000);
  });

  it('round-trips random integers through formatFixed8 (where a float parse would round)', () => {
    const rnd = new Random(8);
    for (let i = 0; i < 5000; i++) {
      const units = rnd.int(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
      const text = formatFixed8(units);
      expect(text).toMatch(/^-?\d+\.\d{8}$/);
      expect(toFixed8(text)).toBe(units);
    }
    // A float parse gets this wrong: 0.29 * 1e8 = 28999999.999999996.
    expect(toFixed8('0.29')).toBe(29_000_000);
    expect(Math.trunc(parseFloat('0.29') * 1e8)).not.toBe(29_000_000);
  });

  it('formats edge values and converts to model floats', () => {
    expect(formatFixed8(0)).toBe('0.00000000');
    expect(formatFixed8(-1)).toBe('-0.00000001');
    expect(formatFixed8(Number.MAX_SAFE_INTEGER)).toBe('90071992.54740991');
    expect(() => formatFixed8(0.5)).toThrow(RangeError);
    expect(fixed8ToNumber(6_500_012_000_000)).toBe(65000.12);
    expect(numberToFixed8(65000.12)).toBe(6_500_012_000_000);
  });
});
