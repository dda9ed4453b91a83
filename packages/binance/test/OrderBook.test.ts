import { describe, expect, it } from 'vitest';
import { OrderBook } from '../src/OrderBook.js';
import { OrderBookSide } from '../src/OrderBookSide.js';
import { DepthLevels } from '../src/MarketEvents.js';

/** Reference model: a plain Map, sorted on demand. */
function topOf(m: Map<number, number>, bid: boolean): [number, number][] {
  return [...m.entries()].filter(([, q]) => q > 0).sort((a, b) => (bid ? b[0] - a[0] : a[0] - b[0]));
}

describe('OrderBookSide', () => {
  it('matches a reference model under random updates on a 5000-level book', () => {
    for (const bid of [true, false]) {
      const side = new OrderBookSide(bid, 16); // small blocks: many splits and recycles
      const ref = new Map<number, number>();
      let seed = bid ? 7 : 11;
      const rnd = (n: number): number => (seed = (seed * 16807) % 2147483647) % n;
      for (let i = 0; i < 5000; i++) { const p = 1_000_000 + i * 10; side.set(p, i + 1); ref.set(p, i + 1); }
      for (let i = 0; i < 20_000; i++) {
        const p = 1_000_000 + rnd(6000) * 10;
        const q = rnd(4) === 0 ? 0 : rnd(1000) + 1;
        side.set(p, q);
        if (q === 0) ref.delete(p); else ref.set(p, q);
      }
      const expected = topOf(ref, bid);
      expect(side.count).toBe(expected.length);
      const prices = new Float64Array(side.count);
      const qtys = new Float64Array(side.count);
      expect(side.copyTop(side.count + 10, prices, qtys)).toBe(expected.length);
      expected.forEach(([p, q], k) => { expect(prices[k]).toBe(p); expect(qtys[k]).toBe(q); expect(side.qtyOf(p)).toBe(q); });
      expect(side.priceAt(0)).toBe(expected[0]![0]);
      expect(side.priceAt(side.count)).toBeNaN();
    }
  });

  it('invariants hold across splits and block recycling (prices strictly ordered, no zero quantities)', () => {
    const side = new OrderBookSide(false, 4);
    const ref = new Map<number, number>();
    let seed = 3;
    const rnd = (n: number): number => (seed = (seed * 48271) % 2147483647) % n;
    for (let i = 0; i < 5000; i++) {
      const p = 100 + rnd(60);
      const q = rnd(3) === 0 ? 0 : 1 + rnd(9);
      side.set(p, q);
      if (q === 0) ref.delete(p); else ref.set(p, q);
      if (i % 97 === 0) {
        const exp = topOf(ref, false);
        expect(side.count).toBe(exp.length);
        for (let k = 0; k < exp.length; k++) expect([side.priceAt(k), side.qtyAt(k)]).toEqual(exp[k]);
      }
    }
    side.clear();
    expect([side.count, side.priceAt(0), side.qtyOf(100)]).toEqual([0, NaN, 0]);
    expect(() => new OrderBookSide(true, 3)).toThrow(RangeError);
  });

  it('removing an absent level is a no-op; quantity 0 never stored', () => {
    const side = new OrderBookSide(true);
    side.set(100, 0);
    expect(side.count).toBe(0);
    side.set(100, 5);
    side.set(100, 7);
    expect([side.count, side.qtyAt(0)]).toEqual([1, 7]);
    side.set(100, 0);
    expect(side.count).toBe(0);
  });

  it('loads snapshots best-first, and unsorted input through the slow path', () => {
    const side = new OrderBookSide(false);
    side.load(Float64Array.from([10, 11, 12]), Float64Array.from([1, 0, 3]), 3);
    expect([side.count, side.priceAt(0), side.priceAt(1)]).toEqual([2, 10, 12]);
    side.load(Float64Array.from([12, 10, 11]), Float64Array.from([3, 1, 2]), 3);
    expect([side.count, side.priceAt(0), side.priceAt(1), side.priceAt(2)]).toEqual([3, 10, 11, 12]);
  });
  it('copyTopBehind copies the best levels strictly worse than a price, across blocks, from an index', () => {
    for (const bid of [true, false]) {
      const side = new OrderBookSide(bid, 4); // blocks of 4: the limit falls inside and between blocks
      const ref = new Map<number, number>();
      for (let p = 100; p < 140; p++) { side.set(p, p * 10); ref.set(p, p * 10); }
      const levels = topOf(ref, bid);
      for (const limit of [150, 139, 131.5, 120, 100, 99, 60]) {
        const prices = new Float64Array(12).fill(-1);
        const qtys = new Float64Array(12).fill(-1);
        const n = side.copyTopBehind(limit, 10, prices, qtys, 2);
        const want = levels.filter(([p]) => (bid ? p < limit : p > limit)).slice(0, 10);
        expect(n).toBe(want.length);
        expect([...prices.subarray(2, 2 + n)]).toEqual(want.map(([p]) => p));
        expect([...qtys.subarray(2, 2 + n)]).toEqual(want.map(([, q]) => q));
        expect([prices[0], prices[1]]).toEqual([-1, -1]); // nothing before the index
      }
      expect(side.copyTopBehind(bid ? 200 : 0, 0, new Float64Array(1), new Float64Array(1), 0)).toBe(0);
    }
  });
});

describe('OrderBook', () => {
  it('applies snapshot + diffs and reports the best levels', () => {
    const book = new OrderBook('BTCUSDT');
    const b = new DepthLevels(); const a = new DepthLevels();
    b.push(100, 1); b.push(99, 2); a.push(101, 3); a.push(102, 4);
    book.loadSnapshot(b, a, 10);
    expect([book.updateId, book.bestBidPrice(), book.bestAskPrice(), book.isCrossed()]).toEqual([10, 100, 101, false]);
    const db = new DepthLevels(); const da = new DepthLevels();
    db.push(100, 0); da.push(100.5, 1);
    book.applyLevels(db, da, 12);
    expect([book.updateId, book.bestBidPrice(), book.bestBidQty(), book.bestAskPrice()]).toEqual([12, 99, 2, 100.5]);
  });

  it('top first: after applyTop the best `depth` levels equal the whole diff applied; after applyRest the whole book does', () => {
    let seed = 42;
    const rnd = (n: number): number => (seed = (seed * 16807) % 2147483647) % n;
    const levelsOf = (side: OrderBookSide, n: number): number[] => {
      const p = new Float64Array(n), q = new Float64Array(n);
      const k = side.copyTop(n, p, q);
      return [...p.subarray(0, k), ...q.subarray(0, k)];
    };
    let deferredSomewhere = 0;
    for (let round = 0; round < 400; round++) {
      const depth = 1 + rnd(20);
      const size = rnd(3) === 0 ? rnd(depth + 3) : 50 + rnd(400); // sometimes a side shallower than depth
      const snapB = new DepthLevels(), snapA = new DepthLevels();
      for (let i = 0; i < size; i++) { snapB.push(10_000 - i * 2, 1 + rnd(9)); snapA.push(10_002 + i * 2, 1 + rnd(9)); }
      const whole = new OrderBook('X'), top = new OrderBook('X');
      whole.loadSnapshot(snapB, snapA, 1);
      top.loadSnapshot(snapB, snapA, 1);
      const db = new DepthLevels(), da = new DepthLevels();
      // Changes, removals (some of absent levels), inserts between levels, repeats of a price, anywhere in the book.
      const changes = rnd(4) === 0 ? rnd(400) : rnd(40);
      for (let i = 0; i < changes; i++) {
        const off = rnd(3) === 0 ? rnd(2 * depth + 4) : rnd(2 * size + 10);
        const qty = rnd(3) === 0 ? 0 : 1 + rnd(9);
        if (rnd(2) === 0) db.push(10_000 - off, qty); else da.push(10_002 + off, qty);
      }
      whole.applyLevels(db, da, 2);
      top.applyTop(db, da, 2, depth);
      expect(top.updateId).toBe(2);
      expect(levelsOf(top.bids, depth)).toEqual(levelsOf(whole.bids, depth));
      expect(levelsOf(top.asks, depth)).toEqual(levelsOf(whole.asks, depth));
      if (levelsOf(top.bids, 10_000).length !== levelsOf(whole.bids, 10_000).length) deferredSomewhere++;
      top.applyRest(db, da);
      expect(levelsOf(top.bids, 10_000)).toEqual(levelsOf(whole.bids, 10_000));
      expect(levelsOf(top.asks, 10_000)).toEqual(levelsOf(whole.asks, 10_000));
    }
    // The test means something only if the rest was often really deferred.
    expect(deferredSomewhere).toBeGreaterThan(100);
  });
});
