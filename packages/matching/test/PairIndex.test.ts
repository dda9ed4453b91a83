import { describe, expect, it } from 'vitest';
import { PairIndex } from '../src/PairIndex.js';

describe('PairIndex', () => {
  it('agrees with a Map under random put/remove churn', () => {
    const idx = new PairIndex(5000);
    const ref = new Map<string, number>();
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    let mismatches = 0;
    for (let i = 0; i < 100_000; i++) {
      const hi = rnd(50);
      const lo = rnd(300) * 0x1000001;
      const k = `${hi}:${lo >>> 0}`;
      if (rnd(3) === 0) {
        if (idx.remove(hi, lo) !== (ref.get(k) ?? -1)) mismatches++;
        ref.delete(k);
      } else if (ref.size < 5000 || ref.has(k)) {
        if (!idx.put(hi, lo, i)) mismatches++;
        ref.set(k, i);
      }
      if (i % 1000 === 0) for (const [key, v] of ref) {
        const [h, l] = key.split(':').map(Number);
        if (idx.get(h, l) !== v) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
    expect(idx.size).toBe(ref.size);
  });

  it('refuses new keys when full and accepts replacements', () => {
    const idx = new PairIndex(2);
    expect(idx.put(1, 1, 1)).toBe(true);
    expect(idx.put(1, 2, 2)).toBe(true);
    expect(idx.put(1, 3, 3)).toBe(false);
    expect(idx.put(1, 2, 9)).toBe(true);
    expect(idx.get(1, 2)).toBe(9);
    expect(idx.get(0xffffffff, 0xffffffff)).toBe(-1);
  });
});
