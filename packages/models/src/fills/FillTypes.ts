/**
 * Shared fill-side vocabulary. Numeric codes follow @mm/protocol's enums (Side BUY=1 SELL=2, Liquidity MAKER=1
 * TAKER=2, Venue SIMULATOR=1) so values pass to the codecs unchanged; models stays free of a protocol dependency.
 */
export const OrderSide = { BUY: 1, SELL: 2 } as const;
export type OrderSide = (typeof OrderSide)[keyof typeof OrderSide];

export const FillLiquidity = { MAKER: 1, TAKER: 2 } as const;
export type FillLiquidity = (typeof FillLiquidity)[keyof typeof FillLiquidity];

/** Venue id of the simulator (stream 15/16/17 venue field). */
export const VENUE_SIMULATOR = 1;

/** One execution. Delivered in a reused object: a sink that keeps it must copy the fields. */
export interface FillEvent {
  fillId: number;
  venueId: number;
  symbolId: number;
  /** Engine-local order id (unique per engine). */
  orderId: number;
  /** Quote id the order came from. */
  quoteId: number;
  side: OrderSide;
  priceE8: number;
  qtyE8: number;
  /** Fee in 1e-8 quote-asset units, negative for a rebate. */
  feeE8: number;
  liquidity: FillLiquidity;
  /** Monotonic time of the fill, ns. */
  fillTimeNs: number;
  /** Monotonic receive time of the event that caused the fill, ns. */
  recvTimeNs: number;
}

export function newFillEvent(): FillEvent {
  return {
    fillId: 0,
    venueId: 0,
    symbolId: 0,
    orderId: 0,
    quoteId: 0,
    side: OrderSide.BUY,
    priceE8: 0,
    qtyE8: 0,
    feeE8: 0,
    liquidity: FillLiquidity.MAKER,
    fillTimeNs: 0,
    recvTimeNs: 0,
  };
}

export interface FillSink {
  onFill(fill: Readonly<FillEvent>): void;
}

/** Source of unique, increasing fill ids; injected so a service can continue its journaled sequence. */
export interface FillIdSource {
  next(): number;
}

export class FillIdCounter implements FillIdSource {
  private value: number;

  /** @param last the last id already used (0 for none): the first id issued is last + 1 */
  constructor(last = 0) {
    if (!Number.isSafeInteger(last) || last < 0) throw new RangeError(`last fill id must be a safe integer >= 0, got ${last}`);
    this.value = last;
  }

  next(): number {
    return ++this.value;
  }

  get last(): number {
    return this.value;
  }
}

/**
 * Read-only view of a book snapshot, price-sorted best first, prices and quantities in 1e-8 units. Matches the
 * accessors of @mm/protocol's BookSnapshot decoder so a decoder can be passed directly.
 */
export interface BookView {
  bidCount(): number;
  askCount(): number;
  bidPrice(index: number): number;
  bidQty(index: number): number;
  askPrice(index: number): number;
  askQty(index: number): number;
}

/** A BookView over preallocated arrays, for tests, replays and the model market. */
export class ArrayBook implements BookView {
  readonly bidPrices: Float64Array;
  readonly bidQtys: Float64Array;
  readonly askPrices: Float64Array;
  readonly askQtys: Float64Array;
  private nBids = 0;
  private nAsks = 0;

  constructor(capacity = 64) {
    this.bidPrices = new Float64Array(capacity);
    this.bidQtys = new Float64Array(capacity);
    this.askPrices = new Float64Array(capacity);
    this.askQtys = new Float64Array(capacity);
  }

  /** Sets the book from [price, qty] pairs, best first (allocation-free alternatives: setBid/setAsk + counts). */
  set(bids: ReadonlyArray<readonly [number, number]>, asks: ReadonlyArray<readonly [number, number]>): this {
    this.counts(bids.length, asks.length);
    bids.forEach(([p, q], i) => this.setBid(i, p, q));
    asks.forEach(([p, q], i) => this.setAsk(i, p, q));
    return this;
  }

  counts(bids: number, asks: number): this {
    if (bids > this.bidPrices.length || asks > this.askPrices.length) {
      throw new RangeError(`book capacity ${this.bidPrices.length} exceeded (${bids} bids, ${asks} asks)`);
    }
    this.nBids = bids;
    this.nAsks = asks;
    return this;
  }

  setBid(i: number, price: number, qty: number): this {
    this.bidPrices[i] = price;
    this.bidQtys[i] = qty;
    return this;
  }

  setAsk(i: number, price: number, qty: number): this {
    this.askPrices[i] = price;
    this.askQtys[i] = qty;
    return this;
  }

  /** Copies another view (up to capacity levels per side). */
  copyFrom(book: BookView): this {
    const nb = Math.min(book.bidCount(), this.bidPrices.length);
    const na = Math.min(book.askCount(), this.askPrices.length);
    for (let i = 0; i < nb; i++) {
      this.bidPrices[i] = book.bidPrice(i);
      this.bidQtys[i] = book.bidQty(i);
    }
    for (let i = 0; i < na; i++) {
      this.askPrices[i] = book.askPrice(i);
      this.askQtys[i] = book.askQty(i);
    }
    this.nBids = nb;
    this.nAsks = na;
    return this;
  }

  bidCount(): number {
    return this.nBids;
  }
  askCount(): number {
    return this.nAsks;
  }
  bidPrice(i: number): number {
    return this.bidPrices[i] as number;
  }
  bidQty(i: number): number {
    return this.bidQtys[i] as number;
  }
  askPrice(i: number): number {
    return this.askPrices[i] as number;
  }
  askQty(i: number): number {
    return this.askQtys[i] as number;
  }

  /**
   * Displayed quantity at `priceE8` on the given side: the level's qty, 0 if the price lies inside the displayed
   * range (or better than the best) but has no level, −1 if it lies beyond the displayed depth (unknown).
   */
  levelQty(side: OrderSide, priceE8: number): number {
    if (side === OrderSide.BUY) {
      const n = this.nBids;
      for (let i = 0; i < n; i++) {
        const p = this.bidPrices[i] as number;
        if (p === priceE8) return this.bidQtys[i] as number;
        if (p < priceE8) return 0;
      }
      return -1;
    }
    const n = this.nAsks;
    for (let i = 0; i < n; i++) {
      const p = this.askPrices[i] as number;
      if (p === priceE8) return this.askQtys[i] as number;
      if (p > priceE8) return 0;
    }
    return -1;
  }
}
