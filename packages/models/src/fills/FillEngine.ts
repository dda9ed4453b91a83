import type { FeeModel } from './FeeModel.js';
import {
  ArrayBook,
  type BookView,
  type FillEvent,
  type FillIdSource,
  FillLiquidity,
  type FillSink,
  OrderSide,
  VENUE_SIMULATOR,
  newFillEvent,
} from './FillTypes.js';
import type { LatencyModel } from './LatencyModel.js';
import type { QueueModel, QueuePosition } from './QueueModel.js';

/**
 * Simulated execution of our quotes against a real market's book and trades, for one symbol.
 *
 * Life cycle: quote() turns each side into a resting order that becomes live `entry latency` later (a side whose
 * price and size are unchanged keeps its order and queue position); replacing or pulling schedules a cancel that
 * takes effect `cancel latency` later, and until then the old order can still fill. A live order joins the back
 * of the displayed quantity at its price and is advanced by the queue model.
 *
 * Fills (partial allowed, each a multiple of the lot):
 * - a trade by an aggressor of the opposite side at the order's price, for the part that gets past the queue
 *   ahead; a trade through the order's price fills the whole remainder (the level was swept);
 * - the book moving through the price (best ask ≤ our bid, best bid ≥ our ask) fills the whole remainder at our
 *   price as maker;
 * - an order that is already crossing when it goes live takes liquidity as taker from the last book, level by
 *   level up to its limit; the rest rests. (Limit: the book copy is not depleted by our own taker fills.)
 *
 * Invariants: for every order filled + remaining = size and remaining ≥ 0, so no quantity is filled twice or
 * lost; fill ids come from the injected source (unique, increasing); every fill is delivered to the sink once,
 * synchronously, in a reused FillEvent (the sink must copy what it keeps and must not call back into the engine).
 * Time only moves forward: events with an earlier time than the last are
 * processed at the last time. Nothing is allocated per event (a fixed order pool; quote() returns −1 when full).
 */
export interface FillEngineConfig {
  readonly symbolId: number;
  /** Venue id stamped on fills; defaults to the simulator (1). */
  readonly venueId?: number;
  /** Fill quantities are rounded down to this lot (1e-8 units); defaults to 1. */
  readonly lotE8?: number;
  /** Order pool size; defaults to 64. */
  readonly maxOrders?: number;
  /** Book levels kept per side; defaults to 64. */
  readonly bookDepth?: number;
}

class SimOrder implements QueuePosition {
  inUse = false;
  orderId = 0;
  quoteId = 0;
  side: OrderSide = OrderSide.BUY;
  priceE8 = 0;
  qtyE8 = 0;
  remainingE8 = 0;
  filledE8 = 0;
  liveAtNs = 0;
  cancelAtNs = Number.POSITIVE_INFINITY;
  live = false;
  front = 0;
  prevLevelQty = 0;
  cumTradeQty = 0;
}

export class FillEngine {
  readonly symbolId: number;
  readonly venueId: number;
  readonly lotE8: number;
  private readonly orders: SimOrder[];
  private readonly book: ArrayBook;
  private hasBook = false;
  private readonly fill: FillEvent = newFillEvent();
  private workingBid: SimOrder | null = null;
  private workingAsk: SimOrder | null = null;
  private nextOrderId = 1;
  private timeNs = Number.NEGATIVE_INFINITY;
  private openCount = 0;

  constructor(
    config: FillEngineConfig,
    private readonly queue: QueueModel,
    private readonly latency: LatencyModel,
    private readonly fees: FeeModel,
    private readonly fillIds: FillIdSource,
    private readonly sink: FillSink,
  ) {
    this.symbolId = config.symbolId;
    this.venueId = config.venueId ?? VENUE_SIMULATOR;
    const lot = config.lotE8 ?? 1;
    if (!Number.isSafeInteger(lot) || lot <= 0) throw new RangeError(`lotE8 must be a safe integer > 0, got ${lot}`);
    this.lotE8 = lot;
    const n = config.maxOrders ?? 64;
    if (!Number.isInteger(n) || n < 2) throw new RangeError(`maxOrders must be an integer >= 2, got ${n}`);
    this.orders = [];
    for (let i = 0; i < n; i++) this.orders.push(new SimOrder());
    this.book = new ArrayBook(config.bookDepth ?? 64);
  }

  /** Orders in the pool (pending, live or cancelling). */
  get openOrders(): number {
    return this.openCount;
  }

  /** Sum over open orders of the given side of remaining quantity (diagnostics and tests). */
  openQty(side: OrderSide): number {
    let s = 0;
    const orders = this.orders;
    for (let i = 0; i < orders.length; i++) {
      const o = orders[i] as SimOrder;
      if (o.inUse && o.side === side) s += o.remainingE8;
    }
    return s;
  }

  /**
   * Applies a quote (0 size = no order on that side). Returns 0, or −1 if the order pool is full (the side is then
   * left without a new order).
   */
  quote(nowNs: number, quoteId: number, bidPriceE8: number, bidQtyE8: number, askPriceE8: number, askQtyE8: number): number {
    this.advance(nowNs);
    const t = this.timeNs;
    let rc = 0;
    const wb = this.workingBid;
    if (!(wb !== null && bidQtyE8 > 0 && wb.priceE8 === bidPriceE8 && wb.qtyE8 === bidQtyE8)) {
      if (wb !== null) this.cancel(wb, t);
      this.workingBid = null;
      if (bidQtyE8 > 0) {
        this.workingBid = this.place(t, quoteId, OrderSide.BUY, bidPriceE8, bidQtyE8);
        if (this.workingBid === null) rc = -1;
      }
    }
    const wa = this.workingAsk;
    if (!(wa !== null && askQtyE8 > 0 && wa.priceE8 === askPriceE8 && wa.qtyE8 === askQtyE8)) {
      if (wa !== null) this.cancel(wa, t);
      this.workingAsk = null;
      if (askQtyE8 > 0) {
        this.workingAsk = this.place(t, quoteId, OrderSide.SELL, askPriceE8, askQtyE8);
        if (this.workingAsk === null) rc = -1;
      }
    }
    // An order scheduled to go live immediately (zero latency) must see the current book now.
    this.advance(t);
    return rc;
  }

  /** Cancels every order (pull-quotes); each stays fillable for the cancel latency. */
  pullAll(nowNs: number): void {
    this.advance(nowNs);
    const orders = this.orders;
    for (let i = 0; i < orders.length; i++) {
      const o = orders[i] as SimOrder;
      if (o.inUse) this.cancel(o, this.timeNs);
    }
    this.workingBid = null;
    this.workingAsk = null;
    this.advance(this.timeNs);
  }

  /** A book snapshot received at nowNs. */
  onBook(nowNs: number, book: BookView): void {
    this.advance(nowNs);
    this.book.copyFrom(book);
    this.hasBook = true;
    const t = this.timeNs;
    const bb = this.book;
    const bestBid = bb.bidCount() > 0 ? bb.bidPrice(0) : Number.NEGATIVE_INFINITY;
    const bestAsk = bb.askCount() > 0 ? bb.askPrice(0) : Number.POSITIVE_INFINITY;
    const orders = this.orders;
    for (let i = 0; i < orders.length; i++) {
      const o = orders[i] as SimOrder;
      if (!o.inUse || !o.live) continue;
      if (o.side === OrderSide.BUY ? bestAsk <= o.priceE8 : bestBid >= o.priceE8) {
        this.execute(o, o.priceE8, o.remainingE8, FillLiquidity.MAKER, t, nowNs);
        continue;
      }
      this.queue.onDepth(o, bb.levelQty(o.side, o.priceE8));
    }
  }

  /** A market trade received at nowNs; aggressor is the taker's side. */
  onTrade(nowNs: number, priceE8: number, qtyE8: number, aggressor: OrderSide): void {
    this.advance(nowNs);
    const t = this.timeNs;
    const hitSide = aggressor === OrderSide.SELL ? OrderSide.BUY : OrderSide.SELL;
    const orders = this.orders;
    for (let i = 0; i < orders.length; i++) {
      const o = orders[i] as SimOrder;
      if (!o.inUse || !o.live || o.side !== hitSide) continue;
      const through = hitSide === OrderSide.BUY ? priceE8 < o.priceE8 : priceE8 > o.priceE8;
      if (through) {
        this.execute(o, o.priceE8, o.remainingE8, FillLiquidity.MAKER, t, nowNs);
      } else if (priceE8 === o.priceE8) {
        this.queue.onTrade(o, qtyE8);
        if (o.front < 0) {
          const reach = -o.front;
          o.front = 0;
          const exec = Math.min(o.remainingE8, Math.floor(reach / this.lotE8) * this.lotE8);
          if (exec > 0) this.execute(o, o.priceE8, exec, FillLiquidity.MAKER, t, nowNs);
        }
      }
    }
  }

  /** Applies every scheduled activation and cancellation due at or before nowNs, in time order. */
  advance(nowNs: number): void {
    if (nowNs > this.timeNs) this.timeNs = nowNs;
    const t = this.timeNs;
    for (;;) {
      // Earliest due transition first, so an order's activation precedes a later cancellation of another.
      let next: SimOrder | null = null;
      let nextAt = Number.POSITIVE_INFINITY;
      const orders = this.orders;
      for (let i = 0; i < orders.length; i++) {
        const o = orders[i] as SimOrder;
        if (!o.inUse) continue;
        const at = o.live ? o.cancelAtNs : Math.min(o.liveAtNs, o.cancelAtNs);
        if (at <= t && at < nextAt) {
          nextAt = at;
          next = o;
        }
      }
      if (next === null) return;
      if (!next.live && next.liveAtNs <= next.cancelAtNs) this.activate(next, next.liveAtNs);
      else this.release(next);
    }
  }

  private place(t: number, quoteId: number, side: OrderSide, priceE8: number, qtyE8: number): SimOrder | null {
    if (!(priceE8 > 0) || !Number.isSafeInteger(priceE8) || !Number.isSafeInteger(qtyE8)) return null;
    let o: SimOrder | null = null;
    const orders = this.orders;
    for (let i = 0; i < orders.length; i++) {
      const c = orders[i] as SimOrder;
      if (!c.inUse) {
        o = c;
        break;
      }
    }
    if (o === null) return null;
    o.inUse = true;
    o.orderId = this.nextOrderId++;
    o.quoteId = quoteId;
    o.side = side;
    o.priceE8 = priceE8;
    o.qtyE8 = qtyE8;
    o.remainingE8 = qtyE8;
    o.filledE8 = 0;
    o.liveAtNs = t + this.latency.entryLatencyNs(t);
    o.cancelAtNs = Number.POSITIVE_INFINITY;
    o.live = false;
    o.front = 0;
    o.prevLevelQty = 0;
    o.cumTradeQty = 0;
    this.openCount++;
    return o;
  }

  private cancel(o: SimOrder, t: number): void {
    if (o.cancelAtNs !== Number.POSITIVE_INFINITY) return;
    o.cancelAtNs = t + this.latency.cancelLatencyNs(t);
  }

  private activate(o: SimOrder, atNs: number): void {
    o.live = true;
    if (!this.hasBook) {
      this.queue.onJoin(o, -1);
      return;
    }
    const bb = this.book;
    if (o.side === OrderSide.BUY) {
      for (let i = 0; i < bb.askCount() && o.remainingE8 > 0 && bb.askPrice(i) <= o.priceE8; i++) {
        const q = Math.min(o.remainingE8, Math.floor(bb.askQty(i) / this.lotE8) * this.lotE8);
        if (q > 0) this.execute(o, bb.askPrice(i), q, FillLiquidity.TAKER, atNs, atNs);
      }
    } else {
      for (let i = 0; i < bb.bidCount() && o.remainingE8 > 0 && bb.bidPrice(i) >= o.priceE8; i++) {
        const q = Math.min(o.remainingE8, Math.floor(bb.bidQty(i) / this.lotE8) * this.lotE8);
        if (q > 0) this.execute(o, bb.bidPrice(i), q, FillLiquidity.TAKER, atNs, atNs);
      }
    }
    if (o.inUse) this.queue.onJoin(o, bb.levelQty(o.side, o.priceE8));
  }

  private execute(o: SimOrder, priceE8: number, qtyE8: number, liquidity: FillLiquidity, timeNs: number, recvNs: number): void {
    if (qtyE8 <= 0) return;
    if (qtyE8 > o.remainingE8) throw new Error(`fill engine bug: fill ${qtyE8} exceeds remaining ${o.remainingE8} of order ${o.orderId}`);
    o.remainingE8 -= qtyE8;
    o.filledE8 += qtyE8;
    const f = this.fill;
    f.fillId = this.fillIds.next();
    f.venueId = this.venueId;
    f.symbolId = this.symbolId;
    f.orderId = o.orderId;
    f.quoteId = o.quoteId;
    f.side = o.side;
    f.priceE8 = priceE8;
    f.qtyE8 = qtyE8;
    f.feeE8 = this.fees.feeE8(priceE8, qtyE8, liquidity);
    f.liquidity = liquidity;
    f.fillTimeNs = timeNs;
    f.recvTimeNs = recvNs;
    if (o.remainingE8 === 0) this.release(o);
    this.sink.onFill(f);
  }

  private release(o: SimOrder): void {
    if (!o.inUse) return;
    o.inUse = false;
    o.live = false;
    this.openCount--;
    if (this.workingBid === o) this.workingBid = null;
    if (this.workingAsk === o) this.workingAsk = null;
  }
}
