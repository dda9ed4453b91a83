import { formatFixed8 } from '@mm/binance';
import { Random } from './Random.js';

/**
 * A simulated spot market for one symbol: a latent fair price doing a seeded random walk, and a price-level book
 * driven by order flow around it (limit adds and cancels, market orders against the best level, biased towards the
 * fair price so the mid follows the walk), with Binance's update-id scheme.
 *
 * Invariants:
 * - Every book change takes exactly one update id; `updateId` is the id of the last change. A depth event covers
 *   the ids since the previous event (`U` = previous `u` + 1) and carries each changed level's final quantity.
 * - The book is never crossed; prices are whole ticks and quantities whole lots (in 1e-8 units).
 * - `history` keeps every emitted event, so the true book at any event boundary can be rebuilt (`bookAt`).
 *   Memory grows with run length: meant for tests and demos, not for days.
 */

export interface SymbolSpec {
  symbol: string;
  /** 1e-8 units. */
  tickSize: number;
  lotSize: number;
  initialMid: number;
  /** Target levels per side (the book stays between a quarter of this and twice it). */
  levels?: number;
  /**
   * Ticks the latent fair price moves per step (about 1 step in 10 order-flow operations): sets the volatility. With
   * the server's defaults (200 operations/s) σ ≈ fairStepTicks × tick × √20 per √s.
   */
  fairStepTicks?: number;
  /** NOTIONAL filter minNotional served by exchangeInfo, 1e-8 quote units (default 5 USDT, Binance's for BTCUSDT). */
  minNotional?: number;
}

export interface DepthEventRecord {
  U: number;
  u: number;
  eventTimeMs: number;
  bids: [number, number][];
  asks: [number, number][];
}

export interface TradeRecord {
  tradeId: number;
  price: number;
  qty: number;
  buyerIsMaker: boolean;
  timeMs: number;
}

export interface BookLevels {
  updateId: number;
  /** Best first. */
  bids: [number, number][];
  asks: [number, number][];
}

export class SimMarket {
  readonly symbol: string;
  updateId: number;
  tradeId: number;
  readonly history: DepthEventRecord[] = [];
  private readonly bids = new Map<number, number>();
  private readonly asks = new Map<number, number>();
  private readonly dirtyBids = new Map<number, number>();
  private readonly dirtyAsks = new Map<number, number>();
  private readonly initial: BookLevels;
  private readonly rnd: Random;
  private readonly target: number;
  /** The latent "fair" price in ticks: a seeded random walk that order flow follows. */
  private fairTicks: number;
  private readonly fairStep: number;
  private cursor: { book: { bids: Map<number, number>; asks: Map<number, number> }; index: number } | null = null;

  constructor(readonly spec: SymbolSpec, seed: number, firstUpdateId = 1_000_000, firstTradeId = 500_000) {
    this.symbol = spec.symbol.toUpperCase();
    this.rnd = new Random(seed);
    this.target = spec.levels ?? 60;
    this.updateId = firstUpdateId;
    this.tradeId = firstTradeId;
    const midTicks = Math.round(spec.initialMid / spec.tickSize);
    this.fairTicks = midTicks;
    this.fairStep = spec.fairStepTicks ?? 1;
    for (let i = 1; i <= this.target; i++) {
      this.bids.set((midTicks - i) * spec.tickSize, this.randomQty());
      this.asks.set((midTicks + i) * spec.tickSize, this.randomQty());
    }
    this.initial = this.levels(Infinity);
  }

  bestBid(): number {
    let best = -Infinity;
    for (const p of this.bids.keys()) if (p > best) best = p;
    return best;
  }

  bestAsk(): number {
    let best = Infinity;
    for (const p of this.asks.keys()) if (p < best) best = p;
    return best;
  }

  /** Current book (including changes not yet sent in a depth event), best first, up to `limit` levels per side. */
  levels(limit: number): BookLevels {
    return {
      updateId: this.updateId,
      bids: [...this.bids.entries()].sort((a, b) => b[0] - a[0]).slice(0, limit),
      asks: [...this.asks.entries()].sort((a, b) => a[0] - b[0]).slice(0, limit),
    };
  }

  /** Runs `ops` random order-flow operations; trades are reported through `onTrade` as they happen. */
  step(ops: number, timeMs: number, onTrade: (t: TradeRecord) => void): void {
    for (let i = 0; i < ops; i++) {
      const w = this.rnd.next();
      if (w < 0.05) this.fairTicks -= this.fairStep;
      else if (w > 0.95) this.fairTicks += this.fairStep;
      const r = this.rnd.next();
      if (r < 0.55) this.addLimit();
      else if (r < 0.85) this.cancel();
      else this.marketOrder(timeMs, onTrade);
    }
  }

  /**
   * Scripted flow: sets the given levels (absolute quantities in 1e-8 units, 0 removes), one update id per level,
   * exactly as listed. Crossing the book is the script's responsibility (allowed, to test consumers).
   */
  applyLevels(bids: readonly (readonly [number, number])[], asks: readonly (readonly [number, number])[]): void {
    for (const [p, q] of bids) this.change(true, p, q);
    for (const [p, q] of asks) this.change(false, p, q);
  }

  /** Closes the current event: returns it (and records it), or null when nothing changed since the last one. */
  flushDepth(eventTimeMs: number): DepthEventRecord | null {
    if (this.dirtyBids.size === 0 && this.dirtyAsks.size === 0) return null;
    const prevU = this.history.length > 0 ? this.history[this.history.length - 1]!.u : this.initial.updateId;
    const ev: DepthEventRecord = {
      U: prevU + 1,
      u: this.updateId,
      eventTimeMs,
      bids: [...this.dirtyBids.entries()],
      asks: [...this.dirtyAsks.entries()],
    };
    this.dirtyBids.clear();
    this.dirtyAsks.clear();
    this.history.push(ev);
    return ev;
  }

  /**
   * The true book right after the event whose final id is `updateId` (or the initial book at its id); undefined
   * when no event ended at that id. Sequential queries are O(event size) thanks to a cursor.
   */
  bookAt(updateId: number): BookLevels | undefined {
    let index = -1;
    if (updateId !== this.initial.updateId) {
      let lo = 0, hi = this.history.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const u = this.history[mid]!.u;
        if (u < updateId) lo = mid + 1; else if (u > updateId) hi = mid - 1; else { index = mid; break; }
      }
      if (index < 0) return undefined;
    }
    if (this.cursor === null || this.cursor.index > index) {
      this.cursor = { book: { bids: new Map(this.initial.bids), asks: new Map(this.initial.asks) }, index: -1 };
    }
    const c = this.cursor;
    while (c.index < index) {
      const ev = this.history[++c.index]!;
      for (const [p, q] of ev.bids) if (q === 0) c.book.bids.delete(p); else c.book.bids.set(p, q);
      for (const [p, q] of ev.asks) if (q === 0) c.book.asks.delete(p); else c.book.asks.set(p, q);
    }
    return {
      updateId,
      bids: [...c.book.bids.entries()].sort((a, b) => b[0] - a[0]),
      asks: [...c.book.asks.entries()].sort((a, b) => a[0] - b[0]),
    };
  }

  /** Binance JSON for a depth event. */
  static depthJson(symbol: string, ev: DepthEventRecord): string {
    return `{"e":"depthUpdate","E":${ev.eventTimeMs},"s":"${symbol}","U":${ev.U},"u":${ev.u},"b":${levelsJson(ev.bids)},"a":${levelsJson(ev.asks)}}`;
  }

  static tradeJson(symbol: string, t: TradeRecord): string {
    return `{"e":"trade","E":${t.timeMs},"s":"${symbol}","t":${t.tradeId},"p":"${formatFixed8(t.price)}","q":"${formatFixed8(t.qty)}","T":${t.timeMs},"m":${t.buyerIsMaker},"M":true}`;
  }

  static snapshotJson(book: BookLevels): string {
    return `{"lastUpdateId":${book.updateId},"bids":${levelsJson(book.bids)},"asks":${levelsJson(book.asks)}}`;
  }

  bookTickerJson(): string {
    const bb = this.bestBid(), ba = this.bestAsk();
    return `{"u":${this.updateId},"s":"${this.symbol}","b":"${formatFixed8(bb)}","B":"${formatFixed8(this.bids.get(bb) ?? 0)}","a":"${formatFixed8(ba)}","A":"${formatFixed8(this.asks.get(ba) ?? 0)}"}`;
  }

  private randomQty(): number {
    return this.rnd.int(1, 200) * this.spec.lotSize;
  }

  private change(bid: boolean, price: number, qty: number): void {
    const side = bid ? this.bids : this.asks;
    if (qty > 0) side.set(price, qty); else side.delete(price);
    (bid ? this.dirtyBids : this.dirtyAsks).set(price, qty);
    this.updateId++;
  }

  /** A limit order around the fair price (exponentially distributed distance), never crossing the other side. */
  private addLimit(): void {
    const bid = this.rnd.next() < 0.5;
    const tick = this.spec.tickSize;
    const side = bid ? this.bids : this.asks;
    const off = Math.floor(-Math.log(1 - this.rnd.next()) * this.target * 0.3);
    const price = (bid ? this.fairTicks - 1 - off : this.fairTicks + 1 + off) * tick;
    if (price <= 0) return;
    if (bid ? price >= this.bestAsk() : price <= this.bestBid()) return;
    this.change(bid, price, (side.get(price) ?? 0) + this.randomQty());
    if (side.size > this.target * 2) {
      let worst = bid ? Infinity : -Infinity;
      for (const p of side.keys()) if (bid ? p < worst : p > worst) worst = p;
      this.change(bid, worst, 0);
    }
  }

  private cancel(): void {
    const bid = this.rnd.next() < 0.5;
    const side = bid ? this.bids : this.asks;
    if (side.size <= this.target / 4) return;
    const k = this.rnd.int(0, side.size - 1);
    let i = 0;
    for (const [p, q] of side) {
      if (i++ === k) {
        const cut = this.rnd.next() < 0.5 ? q : Math.min(q, this.randomQty());
        this.change(bid, p, q - cut);
        return;
      }
    }
  }

  /** Takes liquidity at the best level; biased towards the fair price (buys when quotes are below it). */
  private marketOrder(timeMs: number, onTrade: (t: TradeRecord) => void): void {
    const fair = this.fairTicks * this.spec.tickSize;
    const pBuy = fair >= this.bestAsk() ? 0.85 : fair <= this.bestBid() ? 0.15 : 0.5;
    const buy = this.rnd.next() < pBuy;
    const side = buy ? this.asks : this.bids;
    if (side.size <= this.target / 4) return;
    const price = buy ? this.bestAsk() : this.bestBid();
    const q = side.get(price)!;
    const qty = Math.min(q, this.randomQty());
    this.change(!buy, price, q - qty);
    onTrade({ tradeId: ++this.tradeId, price, qty, buyerIsMaker: !buy, timeMs });
  }
}

function levelsJson(levels: [number, number][]): string {
  let s = '[';
  for (let i = 0; i < levels.length; i++) {
    if (i > 0) s += ',';
    s += `["${formatFixed8(levels[i]![0])}","${formatFixed8(levels[i]![1])}"]`;
  }
  return s + ']';
}
