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

  bestBidPrice(): number { return this.bids.priceAt(0); }
  bestBidQty(): number { return this.bids.qtyAt(0); }
  bestAskPrice(): number { return this.asks.priceAt(0); }
  bestAskQty(): number { return this.asks.qtyAt(0); }

  /** True when both sides are non-empty and best bid ≥ best ask (never the case on a correct book). */
  isCrossed(): boolean {
    return this.bids.count > 0 && this.asks.count > 0 && this.bids.priceAt(0) >= this.asks.priceAt(0);
  }
}
