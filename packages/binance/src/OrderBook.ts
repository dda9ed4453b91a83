import { OrderBookSide } from './OrderBookSide.js';
import type { DepthLevels } from './MarketEvents.js';

/**
 * A price-level order book for one symbol with the exchange update id it reflects. Pure data: no I/O, no clock.
 * See `OrderBookSide` for the layout and costs. `updateId` is the `u` of the last applied event (or the snapshot's
 * `lastUpdateId`); 0 means empty/unsynchronised.
 */
export class OrderBook {
  readonly bids = new OrderBookSide(true);
  readonly asks = new OrderBookSide(false);
  updateId = 0;
  /** `applyTop`'s per-side limits (see there), kept for `applyRest`. */
  private bidLimit = NaN;
  private askLimit = NaN;

  constructor(readonly symbol: string) {}

  clear(): void {
    this.bids.clear();
    this.asks.clear();
    this.updateId = 0;
  }

  loadSnapshot(bids: DepthLevels, asks: DepthLevels, lastUpdateId: number): void {
    this.bids.load(bids.prices, bids.qtys, bids.count);
    this.asks.load(asks.prices, asks.qtys, asks.count);
    this.updateId = lastUpdateId;
  }

  /** Sets every level of a diff (absolute quantities, 0 removes) and moves the book to `finalUpdateId`. */
  applyLevels(bids: DepthLevels, asks: DepthLevels, finalUpdateId: number): void {
    const bp = bids.prices, bq = bids.qtys;
    for (let i = 0; i < bids.count; i++) this.bids.set(bp[i]!, bq[i]!);
    const ap = asks.prices, aq = asks.qtys;
    for (let i = 0; i < asks.count; i++) this.asks.set(ap[i]!, aq[i]!);
    this.updateId = finalUpdateId;
  }

  /**
   * Top first, step 1: applies the levels of a diff that can change the best `depth` levels of either side, and
   * moves the book to `finalUpdateId`; `applyRest` must follow with the same diff before anything else changes the
   * book. Between the two, the best `depth` levels per side are exactly those of the whole diff applied (deeper ones
   * may lag), so a reader of the top can run first and the rest of a large diff (Binance's touch hundreds of levels
   * far from the top) waits until it has.
   *
   * Why it is exact: on a side whose part of the diff removes R levels, let T be the price of the current
   * (depth + R)-th best level. At most R of the depth + R levels at or better than T go, so at least `depth` stay; a
   * level the diff sets or removes beyond T therefore never reaches the best `depth`. Levels at or better than T are
   * applied now, the others in `applyRest`. Within a side, a price keeps the order of its changes.
   */
  applyTop(bids: DepthLevels, asks: DepthLevels, finalUpdateId: number, depth: number): void {
    this.bidLimit = this.bids.priceAt(depth - 1 + removals(bids));
    this.askLimit = this.asks.priceAt(depth - 1 + removals(asks));
    const bp = bids.prices, bq = bids.qtys, bl = this.bidLimit;
    // NaN limit (the side has no level that deep): every level is near the top.
    for (let i = 0; i < bids.count; i++) if (!(bp[i]! < bl)) this.bids.set(bp[i]!, bq[i]!);
    const ap = asks.prices, aq = asks.qtys, al = this.askLimit;
    for (let i = 0; i < asks.count; i++) if (!(ap[i]! > al)) this.asks.set(ap[i]!, aq[i]!);
    this.updateId = finalUpdateId;
  }

  /** Top first, step 2: the levels of the same diff that `applyTop` left. */
  applyRest(bids: DepthLevels, asks: DepthLevels): void {
    const bp = bids.prices, bq = bids.qtys, bl = this.bidLimit;
    for (let i = 0; i < bids.count; i++) if (bp[i]! < bl) this.bids.set(bp[i]!, bq[i]!);
    const ap = asks.prices, aq = asks.qtys, al = this.askLimit;
    for (let i = 0; i < asks.count; i++) if (ap[i]! > al) this.asks.set(ap[i]!, aq[i]!);
  }

  bestBidPrice(): number { return this.bids.priceAt(0); }
  bestBidQty(): number { return this.bids.qtyAt(0); }
  bestAskPrice(): number { return this.asks.priceAt(0); }
  bestAskQty(): number { return this.asks.qtyAt(0); }

  /** True when both sides are non-empty and best bid ≥ best ask (never the case on a correct book). */
  isCrossed(): boolean {
    return this.bids.count > 0 && this.asks.count > 0 && this.bids.priceAt(0) >= this.asks.priceAt(0);
  }
}

/** How many levels of a diff side remove a level (quantity 0). */
function removals(levels: DepthLevels): number {
  const q = levels.qtys;
  let n = 0;
  for (let i = 0; i < levels.count; i++) if (q[i] === 0) n++;
  return n;
}
