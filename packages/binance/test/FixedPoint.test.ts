import { describe, expect, it } from 'vitest';
import { formatFixed8, INVALID_FIXED8, parseFixed8, parseFixed8Bytes, scanFixed8, toFixed8OrThrow } from '../src/FixedPoint.js';

describe('FixedPoint', () => {
  it('parses Binance decimals exactly', () => {
    expect(parseFixed8('67123.45000000')).toBe(6_712_345_000_000);
    expect(parseFixed8('0.00000001')).toBe(1);
    expect(parseFixed8('0.00000000')).toBe(0);
    expect(parseFixed8('1')).toBe(100_000_000);
    expect(parseFixed8('0.1')).toBe(10_000_000);
    expect(parseFixed8('61837.63000000')).toBe(6_183_763_000_000);
    expect(parseFixed8('12.3400000000')).toBe(1_234_000_000);
  });

  it('agrees with an independent BigInt computation on random values', () => {
    let seed = 12345;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < 2000; i++) {
      const ip = Math.floor(rnd() * 90_000_000);
      const fd = Math.floor(rnd() * 9);
      const frac = fd === 0 ? '' : String(Math.floor(rnd() * 10 ** fd)).padStart(fd, '0');
      const text = fd === 0 ? String(ip) : `${ip}.${frac}`;
      const expected = BigInt(ip) * 100_000_000n + (fd === 0 ? 0n : BigInt(frac) * 10n ** BigInt(8 - fd));
      expect(parseFixed8(text)).toBe(Number(expected));
      expect(BigInt(parseFixed8(text))).toBe(expected);
    }
  });

  it('rejects malformed and out-of-range text', () => {
    for (const bad of ['', '.', '1.', '.5', '-1', '+1', '1e5', '1.2.3', 'abc', ' 1', '1 ', '0.000000001', '90071993', '99999999999', '１', '1.５']) {
      expect(parseFixed8(bad), bad).toBe(INVALID_FIXED8);
    }
    expect(parseFixed8('90071992.54740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseFixed8('90071992.54740992')).toBe(INVALID_FIXED8);
    expect(() => toFixed8OrThrow('x', 'tick size')).toThrow(/tick size: "x"/);
  });

  it('reads Binance\'s spelling (8 fraction digits, then a quote) in one go, exactly, and anything else the general way', () => {
    const out = new Float64Array(1);
    /** scanFixed8 over `text` followed by a closing quote: [value or -1, the index it stopped at]. */
    const scan = (text: string): [number, number] => {
      out[0] = NaN;
      const end = scanFixed8(Buffer.from(`${text}"`), 0, text.length + 1, out, 0);
      return [end < 0 ? -1 : out[0]!, end];
    };
    let seed = 99;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < 2000; i++) {
      const ip = Math.floor(rnd() * 90_000_000);
      const frac = String(Math.floor(rnd() * 1e8)).padStart(8, '0');
      const text = `${ip}.${frac}`;
      expect(scan(text), text).toEqual([Number(BigInt(ip) * 100_000_000n + BigInt(frac)), text.length]);
    }
    expect(scan('90071992.54740991')).toEqual([Number.MAX_SAFE_INTEGER, 17]);
    expect(scan('90071992.54740992')[0]).toBe(-1);
    // A ninth digit: zero is accepted, anything else cannot be represented.
    expect(scan('1.123456780')).toEqual([112_345_678, 11]);
    expect(scan('1.123456789')[0]).toBe(-1);
    // A byte just below '0' or just above '9' among the eight ends the number there (the caller sees no quote).
    expect(scan('1.1234/678')).toEqual([112_340_000, 6]);
    expect(scan('1.1234:678')).toEqual([112_340_000, 6]);
    expect(scan('1.12345')).toEqual([112_345_000, 7]);
  });

  it('parses a range in place', () => {
    const s = Buffer.from('["61737.63000000","0.00100000"]');
    expect(parseFixed8Bytes(s, 2, 16)).toBe(6_173_763_000_000);
    expect(parseFixed8Bytes(s, 19, 29)).toBe(100_000);
    expect(parseFixed8Bytes(s, 1, 16)).toBe(INVALID_FIXED8);
  });

  it('formats with 8 fraction digits and round-trips', () => {
    expect(formatFixed8(6_712_345_000_000)).toBe('67123.45000000');
    expect(formatFixed8(1)).toBe('0.00000001');
    for (const v of [0, 1, 99_999_999, 100_000_000, 123_456_789_012_345]) expect(parseFixed8(formatFixed8(v))).toBe(v);
    expect(() => formatFixed8(-1)).toThrow(RangeError);
  });
});
