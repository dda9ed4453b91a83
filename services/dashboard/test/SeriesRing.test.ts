import { describe, expect, it } from 'vitest';
import { SeriesRing } from '../src/SeriesRing.js';

describe('SeriesRing', () => {
  it('keeps the newest capacity points in order and counts every append', () => {
    const ring = new SeriesRing(3, 2);
    for (let i = 1; i <= 5; i++) {
      ring.append();
      ring.set(0, i);
      ring.set(1, i * 10);
    }
    expect(ring.size).toBe(3);
    expect(ring.total).toBe(5);
    expect(ring.newest(10)).toEqual([[3, 30], [4, 40], [5, 50]]);
    expect(ring.newest(1)).toEqual([[5, 50]]);
  });
  it('marks columns not written in a point as missing', () => {
    const ring = new SeriesRing(2, 2);
    ring.append();
    ring.set(0, 1);
    expect(ring.get(0, 1)).toBeNaN();
  });
  it('rejects a bad capacity and an index outside the held points', () => {
    expect(() => new SeriesRing(0, 1)).toThrow(/capacity/);
    expect(() => new SeriesRing(2, 1).get(0, 0)).toThrow(/outside/);
  });
});
