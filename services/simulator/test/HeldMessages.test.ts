import { describe, expect, it } from 'vitest';
import { AtomicBuffer } from '@mm/agrona';
import { HeldMessages } from '../src/HeldMessages.js';

describe('HeldMessages', () => {
  const src = AtomicBuffer.allocate(1024);
  const message = (n: number, length: number): void => {
    for (let i = 0; i < length; i++) src.putUint8(i, (n + i) & 0xff);
  };
  const headBytes = (h: HeldMessages): number[] => {
    const out: number[] = [];
    for (let i = 0; i < h.headLength(); i++) out.push(h.buffer.getUint8(h.headOffset() + i));
    return out;
  };

  it('keeps messages in order with their times across many wraps of the byte ring', () => {
    const h = new HeldMessages(1024, 8);
    const expected: { bytes: number[]; t: number }[] = [];
    for (let n = 0; n < 200; n++) {
      const length = 17 + ((n * 37) % 150);
      message(n, length);
      expect(h.push(src, 0, length, 1000 + n, 2000 + n, n)).toBe(true);
      expected.push({ bytes: Array.from({ length }, (_, i) => (n + i) & 0xff), t: 1000 + n });
      if (h.size >= 3) {
        const e = expected.shift()!;
        expect([headBytes(h), h.headTimeNs(), h.headArrivalNs(), h.headCycle()]).toEqual([e.bytes, e.t, e.t + 1000, e.t - 1000]);
        h.pop();
      }
    }
    expect(h.size).toBe(2);
  });

  it('refuses a message when the slots or the bytes are full, and one longer than a quarter of the ring', () => {
    const slots = new HeldMessages(4096, 2);
    expect(slots.push(src, 0, 8, 1, 1, 1) && slots.push(src, 0, 8, 2, 2, 1)).toBe(true);
    expect(slots.push(src, 0, 8, 3, 3, 1)).toBe(false);
    slots.pop();
    expect(slots.push(src, 0, 8, 3, 3, 1)).toBe(true);

    const bytes = new HeldMessages(1024, 64);
    let n = 0;
    while (bytes.push(src, 0, 200, n, n, 0)) n++;
    expect(n).toBe(5); // 5 × 200 bytes; a sixth does not fit in 1024
    expect(bytes.push(src, 0, 257, 0, 0, 0)).toBe(false);
    expect(new HeldMessages(1024, 4).headTimeNs()).toBe(Number.POSITIVE_INFINITY);
  });
});
