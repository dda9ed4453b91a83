import { describe, expect, it } from 'vitest';
import { crc32 } from '../src/Crc32.js';

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0));

describe('crc32', () => {
  it('matches the standard check values', () => {
    expect(crc32(ascii('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32(ascii('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
  });

  it('continues over split input and honours offset and length', () => {
    const all = ascii('xx123456789yy');
    const first = crc32(all, 2, 4);
    expect(crc32(all, 6, 5, first)).toBe(0xcbf43926);
  });

  it('changes with any single flipped bit', () => {
    const data = ascii('journal record payload');
    const base = crc32(data);
    for (let i = 0; i < data.length; i++) {
      for (let b = 0; b < 8; b++) {
        data[i] ^= 1 << b;
        expect(crc32(data)).not.toBe(base);
        data[i] ^= 1 << b;
      }
    }
  });
});
