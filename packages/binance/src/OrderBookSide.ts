/**
 * One side of a price-level book: integer prices (1e-8 units) → quantities, in two parallel Float64Arrays kept
 * sorted from the WORST price to the BEST one, so the best level is the last element.
 *
 * Why that order: almost every update lands near the top of the book, and inserting or removing near the end of a
 * sorted array moves only the few levels above it. A 5000-level side costs a binary search (13 steps) plus a short
 * `copyWithin` per update; no per-level objects, no Map, no strings.
 *
 * Invariants: prices strictly monotonic (ascending for bids, descending for asks); every stored quantity > 0;
 * `count` ≤ capacity, which grows by doubling and never shrinks.
 */
export class OrderBookSide {
  prices: Float64Array;
  qtys: Float64Array;
  count = 0;

  /** `isBid`: bids are stored ascending (best = highest = last), asks descending (best = lowest = last). */
  constructor(readonly isBid: boolean, capacity = 1024) {
    this.prices = new Float64Array(capacity);
    this.qtys = new Float64Array(capacity);
  }

  clear(): void {
    this.count = 0;
  }

  /**
   * Index of `price` if present, else `-(insertionPoint + 1)`. Searches in "storage order": ascending for bids,
   * descending for asks (implemented by negating the comparison).
   */
  indexOf(price: number): number {
    const prices = this.prices;
    let lo = 0;
    let hi = this.count - 1;
    if (this.isBid) {
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const p = prices[mid]!;
        if (p < price) lo = mid + 1;
        else if (p > price) hi = mid - 1;
        else return mid;
      }
    } else {
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const p = prices[mid]!;
        if (p > price) lo = mid + 1;
        else if (p < price) hi = mid - 1;
        else return mid;
      }
    }
    return -(lo + 1);
  }

  /** Sets the absolute quantity at `price`; 0 removes the level (removing an absent level is a no-op, as Binance allows). */
  set(price: number, qty: number): void {
    const i = this.indexOf(price);
    if (i >= 0) {
      if (qty > 0) {
        this.qtys[i] = qty;
      } else {
        const n = this.count;
        if (i < n - 1) {
          this.prices.copyWithin(i, i + 1, n);
          this.qtys.copyWithin(i, i + 1, n);
        }
        this.count = n - 1;
      }
      return;
    }
    if (qty <= 0) return;
    const at = -i - 1;
    const n = this.count;
    if (n === this.prices.length) this.grow(n * 2);
    if (at < n) {
      this.prices.copyWithin(at + 1, at, n);
      this.qtys.copyWithin(at + 1, at, n);
    }
    this.prices[at] = price;
    this.qtys[at] = qty;
    this.count = n + 1;
  }

  /** Replaces the side with levels given in any order (used for snapshots, which arrive best first). */
  load(prices: Float64Array, qtys: Float64Array, n: number): void {
    this.count = 0;
    if (this.prices.length < n) this.grow(n);
    // Snapshots list best first: storing them reversed keeps this O(n) with no search.
    let sorted = true;
    for (let k = 0; k < n; k++) {
      const src = n - 1 - k;
      if (qtys[src]! <= 0) continue;
      const p = prices[src]!;
      if (this.count > 0) {
        const last = this.prices[this.count - 1]!;
        if (this.isBid ? p <= last : p >= last) { sorted = false; break; }
      }
      this.prices[this.count] = p;
      this.qtys[this.count] = qtys[src]!;
      this.count++;
    }
    if (!sorted) {
      this.count = 0;
      for (let k = 0; k < n; k++) this.set(prices[k]!, qtys[k]!);
    }
  }

  /** Price of the k-th best level (k = 0 is the best); NaN past the end. */
  priceAt(k: number): number {
    return k < this.count ? this.prices[this.count - 1 - k]! : NaN;
  }

  qtyAt(k: number): number {
    return k < this.count ? this.qtys[this.count - 1 - k]! : NaN;
  }

  qtyOf(price: number): number {
    const i = this.indexOf(price);
    return i >= 0 ? this.qtys[i]! : 0;
  }

  /** Copies up to `n` best levels, best first, into the caller's arrays; returns how many were copied. */
  copyTop(n: number, pricesOut: Float64Array | number[], qtysOut: Float64Array | number[]): number {
    const m = n < this.count ? n : this.count;
    const top = this.count - 1;
    for (let k = 0; k < m; k++) {
      pricesOut[k] = this.prices[top - k]!;
      qtysOut[k] = this.qtys[top - k]!;
    }
    return m;
  }

  private grow(capacity: number): void {
    const p = new Float64Array(Math.max(capacity, 16));
    const q = new Float64Array(Math.max(capacity, 16));
    p.set(this.prices.subarray(0, this.count));
    q.set(this.qtys.subarray(0, this.count));
    this.prices = p;
    this.qtys = q;
  }
}
