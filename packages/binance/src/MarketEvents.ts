/**
 * Parsed Binance spot market-data events. Each is a reusable, mutable holder filled in place by `FrameParser`
 * (one per parser), so parsing allocates nothing per message; copy what you keep (`copyFrom`).
 *
 * Prices and quantities are int64 units of 1e-8 as Numbers; ids and exchange times (ms) are exact Numbers.
 */

/** One side of a depth message: parallel price/quantity arrays with a count; grows by doubling, never shrinks. */
export class DepthLevels {
  prices: Float64Array;
  qtys: Float64Array;
  count = 0;

  constructor(capacity = 64) {
    this.prices = new Float64Array(capacity);
    this.qtys = new Float64Array(capacity);
  }

  push(price: number, qty: number): void {
    if (this.count === this.prices.length) this.grow(this.count * 2);
    this.prices[this.count] = price;
    this.qtys[this.count] = qty;
    this.count++;
  }

  /** Makes room for one more level and returns its index; `count` is left to the caller (a parser that may fail). */
  reserveOne(): number {
    if (this.count === this.prices.length) this.grow(this.count * 2);
    return this.count;
  }

  copyFrom(other: DepthLevels): void {
    if (this.prices.length < other.count) this.grow(other.count);
    this.prices.set(other.prices.subarray(0, other.count));
    this.qtys.set(other.qtys.subarray(0, other.count));
    this.count = other.count;
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

/** `<symbol>@depth` / `@depth@100ms` diff event: levels carry absolute quantities, 0 removes the level. */
export class DepthUpdate {
  symbol = '';
  eventTimeMs = 0;
  /** `U`: first update id in the event. */
  firstUpdateId = 0;
  /** `u`: final update id in the event. */
  finalUpdateId = 0;
  /** Local (monotonic) receive time of the frame, set by whoever feeds the parser. */
  recvNs = 0;
  readonly bids = new DepthLevels();
  readonly asks = new DepthLevels();

  copyFrom(o: DepthUpdate): this {
    this.symbol = o.symbol;
    this.recvNs = o.recvNs;
    this.eventTimeMs = o.eventTimeMs;
    this.firstUpdateId = o.firstUpdateId;
    this.finalUpdateId = o.finalUpdateId;
    this.bids.copyFrom(o.bids);
    this.asks.copyFrom(o.asks);
    return this;
  }
}

/** `<symbol>@trade`. `buyerIsMaker` true means the aggressor sold. */
export class Trade {
  symbol = '';
  eventTimeMs = 0;
  tradeTimeMs = 0;
  tradeId = 0;
  price = 0;
  qty = 0;
  buyerIsMaker = false;

  copyFrom(o: Trade): this {
    this.symbol = o.symbol;
    this.eventTimeMs = o.eventTimeMs;
    this.tradeTimeMs = o.tradeTimeMs;
    this.tradeId = o.tradeId;
    this.price = o.price;
    this.qty = o.qty;
    this.buyerIsMaker = o.buyerIsMaker;
    return this;
  }
}

/** `<symbol>@bookTicker`: Binance's own best bid/ask at order-book update id `updateId`. */
export class BookTicker {
  symbol = '';
  updateId = 0;
  bidPrice = 0;
  bidQty = 0;
  askPrice = 0;
  askQty = 0;
}

/** `GET /api/v3/depth` body. The symbol is not in the body: whoever requested it knows. */
export class DepthSnapshot {
  symbol = '';
  lastUpdateId = 0;
  readonly bids = new DepthLevels(1024);
  readonly asks = new DepthLevels(1024);

  copyFrom(o: DepthSnapshot): this {
    this.symbol = o.symbol;
    this.lastUpdateId = o.lastUpdateId;
    this.bids.copyFrom(o.bids);
    this.asks.copyFrom(o.asks);
    return this;
  }
}
