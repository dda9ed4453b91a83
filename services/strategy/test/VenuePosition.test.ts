import { describe, expect, it } from 'vitest';
import { VenuePosition } from '../src/VenuePosition.js';

describe('VenuePosition', () => {
  it('adds fills after the snapshot and drops those a later snapshot includes', () => {
    const p = new VenuePosition();
    p.onSnapshot(10, 100, 5, 2e8, 1);
    expect(p.dailyPnl()).toBe(5 - 2 + 1);
    expect(p.onFill(11, 50, 1e8)).toBe(true);
    expect(p.onFill(12, -20, 1e8)).toBe(true);
    expect(p.qtyE8).toBe(130);
    expect(p.dailyPnl()).toBe(5 - 4 + 1);
    p.onSnapshot(11, 150, 5, 3e8, 1); // includes fill 11 only
    expect(p.qtyE8).toBe(130);
    expect(p.pendingFills).toBe(1);
    expect(p.dailyPnl()).toBe(5 - 4 + 1);
  });

  it('ignores fills at or below the snapshot id and repeats', () => {
    const p = new VenuePosition();
    p.onSnapshot(10, 0, 0, 0, 0);
    expect(p.onFill(10, 5, 0)).toBe(false);
    expect(p.onFill(11, 5, 0)).toBe(true);
    expect(p.onFill(11, 5, 0)).toBe(false);
    expect(p.qtyE8).toBe(5);
  });

  it('folds the oldest fill when the ring is full; the next snapshot is the truth', () => {
    const p = new VenuePosition(2);
    p.onSnapshot(0, 0, 0, 0, 0);
    p.onFill(1, 1, 0);
    p.onFill(2, 2, 0);
    p.onFill(3, 4, 0);
    expect(p.qtyE8).toBe(7);
    expect(p.folded).toBe(1);
    p.onSnapshot(3, 7, 0, 0, 0);
    expect(p.qtyE8).toBe(7);
    expect(p.pendingFills).toBe(0);
  });

  it('accepts fills again after a snapshot with a lower fill id (the venue started a new journal)', () => {
    const p = new VenuePosition();
    p.onSnapshot(100, 0, 0, 0, 0);
    p.onFill(101, 5, 0);
    p.onSnapshot(0, 0, 0, 0, 0);
    expect(p.qtyE8).toBe(0);
    expect(p.onFill(1, 3, 0)).toBe(true);
    expect(p.qtyE8).toBe(3);
  });
});
