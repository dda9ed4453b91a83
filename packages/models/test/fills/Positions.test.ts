import { describe, expect, it } from 'vitest';
import { type FillEvent, OrderSide, VENUE_SIMULATOR, newFillEvent } from '../../src/fills/FillTypes.js';
import { Position, PositionInvariantError, Positions } from '../../src/fills/Positions.js';

const E8 = 1e8;
let nextId = 1;
function fill(side: OrderSide, price: number, qty: number, feeE8 = 0, symbolId = 1): FillEvent {
  return { ...newFillEvent(), fillId: nextId++, venueId: VENUE_SIMULATOR, symbolId, side, priceE8: price * E8, qtyE8: qty * E8, feeE8 };
}

describe('Positions', () => {
  it('tracks quantity, average price, realized and unrealized PnL and fees (hand-computed)', () => {
    const ps = new Positions(VENUE_SIMULATOR);
    ps.apply(fill(OrderSide.BUY, 100, 2, 10));
    const p = ps.apply(fill(OrderSide.BUY, 103, 1, 20)); // avg (200 + 103)/3 = 101
    expect(p.qtyE8).toBe(3 * E8);
    expect(p.avgPrice).toBeCloseTo(101, 12);
    ps.apply(fill(OrderSide.SELL, 105, 2, -5)); // realize 2 × (105 − 101) = 8
    expect(p.realizedPnl).toBeCloseTo(8, 12);
    expect(p.qtyE8).toBe(1 * E8);
    expect(p.avgPrice).toBeCloseTo(101, 12);
    ps.apply(fill(OrderSide.SELL, 100, 3)); // close 1 at −1, open short 2 @ 100
    expect(p.realizedPnl).toBeCloseTo(7, 12);
    expect(p.qtyE8).toBe(-2 * E8);
    expect(p.avgPrice).toBe(100);
    ps.mark(1, 98);
    expect(p.unrealizedPnl).toBeCloseTo(4, 12); // −2 × (98 − 100)
    expect(p.feesE8).toBe(25);
    expect(p.totalPnl).toBeCloseTo(7 + 4 - 25e-8, 12);
    ps.apply(fill(OrderSide.BUY, 99, 2)); // flat: realize 2 × (100 − 99) = 2
    expect(p.qtyE8).toBe(0);
    expect(p.avgPrice).toBe(0);
    expect(p.realizedPnl).toBeCloseTo(9, 12);
    expect(p.unrealizedPnl).toBe(0);
    expect(p.lastFillId).toBe(nextId - 1);
  });

  it('keeps symbols apart and rejects fills of another venue or malformed fills', () => {
    const ps = new Positions(VENUE_SIMULATOR);
    ps.apply(fill(OrderSide.BUY, 100, 1, 0, 1));
    ps.apply(fill(OrderSide.SELL, 100, 3, 0, 2));
    expect(ps.get(1).qtyE8).toBe(E8);
    expect(ps.get(2).qtyE8).toBe(-3 * E8);
    expect(() => ps.apply({ ...fill(OrderSide.BUY, 100, 1), venueId: 2 })).toThrow(/venue 2/);
    expect(() => ps.apply({ ...fill(OrderSide.BUY, 100, 1), qtyE8: 0 })).toThrow(/qtyE8/);
    expect(() => ps.apply({ ...fill(OrderSide.BUY, 100, 1), side: 3 as OrderSide })).toThrow(/side/);
  });

  it('asserts the sum-of-fills invariant at run time', () => {
    const p = new Position(VENUE_SIMULATOR, 1);
    p.apply(fill(OrderSide.BUY, 100, 1));
    p.qtyE8 += 1; // corrupt it
    expect(() => p.assertInvariant()).toThrow(PositionInvariantError);
    const r = new Position(VENUE_SIMULATOR, 1);
    r.apply(fill(OrderSide.BUY, 100, 1));
    r.realizedPnl += 0.5;
    expect(() => r.apply(fill(OrderSide.SELL, 101, 1))).toThrow(/realized/);
  });
});
