import { describe, expect, it } from 'vitest';
import { DataTime } from '../src/DataTime.js';
import { e8, fixed } from '../src/Format.js';

describe('DataTime', () => {
  const t = new DataTime({ seconds: 1723161253, nanos: 937085768 });

  it('should format data times as ISO with microseconds, carrying into seconds', () => {
    expect(t.iso(0)).toBe('2024-08-08T23:54:13.937085Z');
    expect(t.iso(62_914_232)).toBe('2024-08-08T23:54:14.000000Z');
    expect(t.iso(3_600e9)).toBe('2024-08-09T00:54:13.937085Z');
  });

  it('should parse ISO times and epoch ms relative to the anchor', () => {
    expect(t.parse('2024-08-08T23:54:14Z', 'from')).toBe(62_914_232);
    expect(t.parse('1723161254000', 'from')).toBe(62_914_232);
    expect(() => t.parse('yesterday', '--from')).toThrow(/--from: 'yesterday'/);
  });

  it('should read the anchor from a recording line', () => {
    expect(DataTime.lineTime('1723161253937085768 {"a":1}')).toEqual({ seconds: 1723161253, nanos: 937085768 });
    expect(DataTime.lineTime('garbage')).toBeUndefined();
  });
});

describe('Format', () => {
  it('should print 1e-8 integers exactly', () => {
    expect(e8(6173763000000)).toBe('61737.63');
    expect(e8(-100000)).toBe('-0.001');
    expect(e8(0)).toBe('0');
    expect(e8(1)).toBe('0.00000001');
  });

  it('should print floats with fixed decimals and no negative zero', () => {
    expect(fixed(-0.000000001)).toBe('0.00000000');
    expect(fixed(1.5, 2)).toBe('1.50');
    expect(fixed(Number.NaN)).toBe('');
  });
});
