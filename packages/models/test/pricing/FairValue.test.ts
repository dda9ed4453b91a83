import { describe, expect, it } from 'vitest';
import { bookImbalance, midPrice, weightedMid } from '../../src/pricing/FairValue.js';
import { orderFlowImbalance } from '../../src/pricing/OrderFlowImbalance.js';

describe('top-of-book estimates', () => {
  it('computes mid, imbalance and the size-weighted mid', () => {
    expect(midPrice(100, 101)).toBe(100.5);
    expect(bookImbalance(3, 1)).toBe(0.75);
    // W = 100·(1 − 0.75) + 101·0.75: a heavy bid pulls towards the ask.
    expect(weightedMid(100, 101, 3, 1)).toBe(100.75);
    expect(weightedMid(100, 101, 1, 1)).toBe(100.5);
    expect(Number.isNaN(weightedMid(100, 101, 0, 0))).toBe(true);
    expect(Number.isNaN(bookImbalance(0, 0))).toBe(true);
  });
});

describe('orderFlowImbalance', () => {
  it.each([
    // [bid, bq, ask, aq, pbid, pbq, pask, paq, expected, why]
    [100, 5, 101, 4, 100, 3, 101, 4, 2, 'bid size grows at the same price'],
    [100, 5, 101, 6, 100, 5, 101, 4, -2, 'ask size grows at the same price'],
    [100.5, 1, 101, 4, 100, 3, 101, 4, 1, 'new better bid: its size counts, the old bid does not'],
    [99.5, 2, 101, 4, 100, 3, 101, 4, -3, 'bid level removed: the old size leaves'],
    [100, 3, 100.5, 2, 100, 3, 101, 4, -2, 'new better ask'],
    [100, 3, 101.5, 1, 100, 3, 101, 4, 4, 'ask level removed'],
  ])('%#: %s', (b, bq, a, aq, pb, pbq, pa, paq, expected) => {
    expect(orderFlowImbalance(b as number, bq as number, a as number, aq as number, pb as number, pbq as number,
      pa as number, paq as number)).toBe(expected);
  });
});
