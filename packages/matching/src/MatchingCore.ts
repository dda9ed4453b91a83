/**
 * The matching core: per-symbol price-time books, no I/O, no clock.
 *
 * Layout (all typed arrays, sized once from CoreLimits):
 * - order pool: uid, oid, remaining qty, client, user slot, level, book*2+side, prev/next within its level (FIFO);
 *   a free stack of slots. Orders are found by (uid, oid) through a PairIndex.
 * - level pool: price, total qty, head/tail order; a free stack. One book side is an Int32Array of level indices
 *   sorted so the best level is LAST (bids ascending, asks descending): taking or adding at the top is O(1),
 *   other levels are found by binary search and inserted with copyWithin.
 * - books: symbol words, creation sequence, order count, last published top of book per side, and a "non-empty
 *   since the last flush" flag per side.
 *
 * Rules (see the engine protocol reference): every fill trades at the resting order's price; a partially filled
 * resting order keeps its place; price 0 is a market order whose remainder is dropped; after each message at most
 * one top-of-book per side (bid first) and only when (price, qty at best) changed since last published.
 * Capacity checks for a limit order happen before matching (conservative: an order that would fully match is still
 * refused when the pool or the book is full), so a rejected order has no side effects.
 *
 * Each trade reports the aggressor side (the incoming order's); the wire's trade message has no such field.
 *
 * Known limits: prices and quantities are u32; a level's total is a double (exact up to 2^53). No self-trade
 * prevention.
 */
import type { CoreLimits } from './CoreLimits.js';
import { CapacityVeto, validateCoreLimits } from './CoreLimits.js';
import type { MatchListener } from './MatchListener.js';
import { PairIndex } from './PairIndex.js';
import { RejectReason, Side } from './RejectReason.js';

const BID = 0;
const ASK = 1;

export class MatchingCore {
  /** Sequence number of the next public call; threaded mode sets it to the I/O thread's message number. */
  nextMessageSeq = 0;

  private readonly limits: CoreLimits;
  private listener: MatchListener;

  private readonly oUid: Uint32Array;
  private readonly oOid: Uint32Array;
  private readonly oQty: Uint32Array;
  private readonly oClient: Int32Array;
  private readonly oUser: Int32Array;
  private readonly oLevel: Int32Array;
  private readonly oBookSide: Int32Array;
  private readonly oPrev: Int32Array;
  private readonly oNext: Int32Array;
  private readonly orderFree: Int32Array;
  private orderFreeTop: number;

  private readonly lPrice: Float64Array;
  private readonly lQty: Float64Array;
  private readonly lHead: Int32Array;
  private readonly lTail: Int32Array;
  private readonly levelFree: Int32Array;
  private levelFreeTop: number;

  private readonly bSymHi: Uint32Array;
  private readonly bSymLo: Uint32Array;
  private readonly bCreationSeq: Float64Array;
  private readonly bOrders: Int32Array;
  private readonly sideLevels: Int32Array[] = [];
  private readonly sideCount: Int32Array;
  private readonly lastTopPrice: Float64Array;
  private readonly lastTopQty: Float64Array;
  private readonly touched: Uint8Array;
  private books = 0;

  private readonly symbols: PairIndex;
  private readonly orderIndex: PairIndex;
  private readonly users: PairIndex | null;
  private readonly userOpen: Int32Array;
  private userCount = 0;

  constructor(limits: CoreLimits, listener: MatchListener) {
    this.limits = validateCoreLimits({ ...limits });
    this.listener = listener;
    const n = this.limits.maxOrders;
    this.oUid = new Uint32Array(n);
    this.oOid = new Uint32Array(n);
    this.oQty = new Uint32Array(n);
    this.oClient = new Int32Array(n);
    this.oUser = new Int32Array(n);
    this.oLevel = new Int32Array(n);
    this.oBookSide = new Int32Array(n);
    this.oPrev = new Int32Array(n);
    this.oNext = new Int32Array(n);
    this.orderFree = new Int32Array(n);
    for (let i = 0; i < n; i++) this.orderFree[i] = n - 1 - i;
    this.orderFreeTop = n;
    // A level holds at least one order, so the level pool never needs more slots than the order pool.
    this.lPrice = new Float64Array(n);
    this.lQty = new Float64Array(n);
    this.lHead = new Int32Array(n);
    this.lTail = new Int32Array(n);
    this.levelFree = new Int32Array(n);
    for (let i = 0; i < n; i++) this.levelFree[i] = n - 1 - i;
    this.levelFreeTop = n;
    const b = this.limits.maxBooks;
    this.bSymHi = new Uint32Array(b);
    this.bSymLo = new Uint32Array(b);
    this.bCreationSeq = new Float64Array(b);
    this.bOrders = new Int32Array(b);
    this.sideCount = new Int32Array(b * 2);
    this.lastTopPrice = new Float64Array(b * 2);
    this.lastTopQty = new Float64Array(b * 2);
    this.touched = new Uint8Array(b * 2);
    this.symbols = new PairIndex(b);
    this.orderIndex = new PairIndex(n);
    this.users = this.limits.maxOpenOrdersPerUser > 0 ? new PairIndex(this.limits.maxUsers) : null;
    this.userOpen = new Int32Array(this.users ? this.limits.maxUsers : 0);
  }

  setListener(listener: MatchListener): void {
    this.listener = listener;
  }

  /** Resting orders across all books. */
  get restingOrders(): number {
    return this.limits.maxOrders - this.orderFreeTop;
  }

  get bookCount(): number {
    return this.books;
  }

  /** Book index for a symbol, or -1. */
  bookOf(symHi: number, symLo: number): number {
    return this.symbols.get(symHi, symLo);
  }

  /** Best price on a side ('B' or 'S' byte) of a book, or 0 when empty. */
  bestPrice(book: number, side: number): number {
    const bs = book * 2 + (side === Side.BUY ? BID : ASK);
    const c = this.sideCount[bs];
    return c === 0 ? 0 : this.lPrice[this.sideLevels[bs][c - 1]];
  }

  /** Total quantity at the best price of a side, or 0. */
  bestQty(book: number, side: number): number {
    const bs = book * 2 + (side === Side.BUY ? BID : ASK);
    const c = this.sideCount[bs];
    return c === 0 ? 0 : this.lQty[this.sideLevels[bs][c - 1]];
  }

  /** Number of price levels on a side of a book. */
  levelCount(book: number, side: number): number {
    return this.sideCount[book * 2 + (side === Side.BUY ? BID : ASK)];
  }

  /** Remaining quantity of a resting order, or -1. */
  remainingQty(userId: number, userOrderId: number): number {
    const o = this.orderIndex.get(userId, userOrderId);
    return o < 0 ? -1 : this.oQty[o];
  }

  /**
   * A new order. price 0 = market. side is the wire byte ('B' 0x42 or 'S' 0x53). All numbers are u32.
   * Emits A, then T per fill, then top of book; or one R.
   * `vetoes` (CapacityVeto bits): capacity decisions of a caller that spans several cores (threaded mode's I/O
   * thread keeps the global order count, the book count and the per-user counts across processors). Each is
   * applied at the point of the checks where this core's own limit would refuse, so the answer is the one a single
   * core would give: NEW_BOOK where a new symbol finds no free book (6), ORDERS where a limit order finds the order
   * pool or its user's allowance exhausted (6, before the book checks of 9).
   */
  newOrder(clientId: number, userId: number, userOrderId: number, symHi: number, symLo: number, price: number, qty: number, side: number, vetoes = 0): void {
    this.nextMessageSeq++;
    const l = this.listener;
    let reason = 0;
    let book = -1;
    if (symHi >>> 24 === 0) reason = RejectReason.UNKNOWN_SYMBOL;
    else if (userId === 0 || userOrderId === 0) reason = RejectReason.INVALID_ORDER_ID;
    else if (qty === 0) reason = RejectReason.INVALID_QUANTITY;
    else if (side !== Side.BUY && side !== Side.SELL) reason = RejectReason.INVALID_PRICE;
    else if (this.orderIndex.get(userId, userOrderId) >= 0) reason = RejectReason.DUPLICATE_ORDER_ID;
    else {
      book = this.symbols.get(symHi, symLo);
      if (book < 0) {
        book = (vetoes & CapacityVeto.NEW_BOOK) !== 0 ? -1 : this.createBook(symHi, symLo);
        if (book < 0) reason = RejectReason.CAPACITY_EXHAUSTED;
      }
    }
    const isBuy = side === Side.BUY;
    const own = book * 2 + (isBuy ? BID : ASK);
    let userSlot = -1;
    if (reason === 0 && price !== 0) {
      if ((vetoes & CapacityVeto.ORDERS) !== 0) reason = RejectReason.CAPACITY_EXHAUSTED;
      else if (this.users !== null) {
        userSlot = this.userSlotOf(userId);
        if (userSlot < 0 || this.userOpen[userSlot] >= this.limits.maxOpenOrdersPerUser) reason = RejectReason.CAPACITY_EXHAUSTED;
      }
      if (reason === 0) {
        if (this.orderFreeTop === 0) reason = RejectReason.CAPACITY_EXHAUSTED;
        else if (this.bOrders[book] >= this.limits.maxOrdersPerBook) reason = RejectReason.BOOK_FULL;
        else if (this.sideCount[own] >= this.limits.maxLevelsPerBook && this.findLevel(own, price, isBuy) < 0) reason = RejectReason.BOOK_FULL;
      }
    }
    if (reason !== 0) {
      l.onReject(clientId, symHi, symLo, userId, userOrderId, reason);
      // Orders refused on their own fields (1, 10, 2, bad side) were never candidates for the id; see onRelease.
      if (reason === RejectReason.DUPLICATE_ORDER_ID || reason === RejectReason.CAPACITY_EXHAUSTED || reason === RejectReason.BOOK_FULL) {
        l.onRelease(clientId, userId, userOrderId);
      }
      return;
    }
    l.onAck(clientId, symHi, symLo, userId, userOrderId);
    const left = this.match(book, isBuy, price, qty, clientId, userId, userOrderId);
    if (left > 0 && price !== 0) this.rest(book, own, isBuy, price, left, clientId, userId, userOrderId, userSlot);
    else l.onRelease(clientId, userId, userOrderId);
    this.publishTop(book, clientId);
  }

  /** A reject decided outside the core (codec field errors, throttling, authorization): counts as a message. */
  reject(clientId: number, symHi: number, symLo: number, userId: number, userOrderId: number, reason: number): void {
    this.nextMessageSeq++;
    this.listener.onReject(clientId, symHi, symLo, userId, userOrderId, reason);
  }

  /**
   * A cancel. With a symbol (hasSymbol) the order must be in that book. Emits C then top of book; or one R
   * (4 not resting, 7 another client's order, 10 zero ids). `userVerified`: the caller has established that the
   * client speaks for userId (user binding), so it may cancel that user's orders entered by other clients.
   */
  cancel(clientId: number, userId: number, userOrderId: number, symHi: number, symLo: number, hasSymbol: boolean, userVerified = false): void {
    this.nextMessageSeq++;
    const l = this.listener;
    const rHi = hasSymbol ? symHi : 0;
    const rLo = hasSymbol ? symLo : 0;
    if (userId === 0 || userOrderId === 0) {
      l.onReject(clientId, rHi, rLo, userId, userOrderId, RejectReason.INVALID_ORDER_ID);
      return;
    }
    const o = this.orderIndex.get(userId, userOrderId);
    if (o < 0) {
      l.onReject(clientId, rHi, rLo, userId, userOrderId, RejectReason.ORDER_NOT_FOUND);
      return;
    }
    const book = this.oBookSide[o] >> 1;
    if (hasSymbol && (this.bSymHi[book] !== symHi >>> 0 || this.bSymLo[book] !== symLo >>> 0)) {
      l.onReject(clientId, rHi, rLo, userId, userOrderId, RejectReason.ORDER_NOT_FOUND);
      return;
    }
    const owner = this.oClient[o];
    if (owner !== clientId && !this.limits.cancelByAnyClient && !userVerified) {
      l.onReject(clientId, this.bSymHi[book], this.bSymLo[book], userId, userOrderId, RejectReason.UNAUTHORIZED);
      return;
    }
    this.removeOrder(o);
    l.onCancelAck(clientId, owner, this.bSymHi[book], this.bSymLo[book], userId, userOrderId);
    l.onRelease(owner, userId, userOrderId);
    this.publishTop(book, clientId);
  }

  /**
   * Flush: for every book in creation order, a cancel ack per resting order (bids best to worst, then asks, oldest
   * first within a level), then an empty top of book for each side that was non-empty since the previous flush.
   */
  flush(clientId: number): void {
    this.nextMessageSeq++;
    for (let b = 0; b < this.books; b++) {
      if (this.touched[b * 2] === 0 && this.touched[b * 2 + 1] === 0 && this.bOrders[b] === 0) continue;
      this.listener.onSweepBook(this.bCreationSeq[b]);
      this.sweepSide(b * 2 + BID, clientId, -1);
      this.sweepSide(b * 2 + ASK, clientId, -1);
      for (let s = 0; s < 2; s++) {
        const bs = b * 2 + s;
        if (this.touched[bs] !== 0) {
          this.listener.onTopOfBook(clientId, this.bSymHi[b], this.bSymLo[b], s === BID ? Side.BUY : Side.SELL, 0, 0);
        }
        this.touched[bs] = 0;
        this.lastTopPrice[bs] = 0;
        this.lastTopQty[bs] = 0;
      }
    }
  }

  /**
   * Cancels every resting order entered by a client (cancel on disconnect): per book in creation order, the same
   * order as a flush, then the changed tops of book. Outputs are addressed to that client.
   */
  cancelClientOrders(clientId: number): void {
    this.nextMessageSeq++;
    for (let b = 0; b < this.books; b++) {
      if (this.bOrders[b] === 0 || !this.bookHasClient(b, clientId)) continue;
      this.listener.onSweepBook(this.bCreationSeq[b]);
      this.sweepSide(b * 2 + BID, clientId, clientId);
      this.sweepSide(b * 2 + ASK, clientId, clientId);
      this.publishTop(b, clientId);
    }
  }

  private bookHasClient(b: number, clientId: number): boolean {
    for (let s = 0; s < 2; s++) {
      const bs = b * 2 + s;
      const levels = this.sideLevels[bs];
      for (let i = this.sideCount[bs] - 1; i >= 0; i--) {
        for (let o = this.lHead[levels[i]]; o >= 0; o = this.oNext[o]) if (this.oClient[o] === clientId) return true;
      }
    }
    return false;
  }

  /** Cancels (with acks) the orders of one side, best level first; onlyClient -1 = all. */
  private sweepSide(bs: number, clientId: number, onlyClient: number): void {
    const l = this.listener;
    const b = bs >> 1;
    const levels = this.sideLevels[bs];
    for (let i = this.sideCount[bs] - 1; i >= 0; i--) {
      const lvl = levels[i];
      let o = this.lHead[lvl];
      while (o >= 0) {
        const next = this.oNext[o];
        const owner = this.oClient[o];
        if (onlyClient < 0 || owner === onlyClient) {
          const uid = this.oUid[o];
          const oid = this.oOid[o];
          this.removeOrder(o);
          l.onCancelAck(clientId, owner, this.bSymHi[b], this.bSymLo[b], uid, oid);
          l.onRelease(owner, uid, oid);
        }
        o = next;
      }
    }
  }

  private createBook(symHi: number, symLo: number): number {
    if (this.books >= this.limits.maxBooks) return -1;
    const b = this.books++;
    this.bSymHi[b] = symHi;
    this.bSymLo[b] = symLo;
    this.bCreationSeq[b] = this.nextMessageSeq - 1;
    this.sideLevels.push(new Int32Array(Math.min(this.limits.maxLevelsPerBook, this.limits.maxOrders)));
    this.sideLevels.push(new Int32Array(Math.min(this.limits.maxLevelsPerBook, this.limits.maxOrders)));
    this.symbols.put(symHi, symLo, b);
    return b;
  }

  private userSlotOf(userId: number): number {
    const users = this.users as PairIndex;
    let u = users.get(userId, 0);
    if (u < 0) {
      if (this.userCount >= this.limits.maxUsers) return -1;
      u = this.userCount++;
      users.put(userId, 0, u);
    }
    return u;
  }

  /** Walks the opposite side while prices cross; returns the unfilled quantity. */
  private match(book: number, isBuy: boolean, price: number, qty: number, clientId: number, userId: number, userOrderId: number): number {
    const l = this.listener;
    const ob = book * 2 + (isBuy ? ASK : BID);
    const levels = this.sideLevels[ob];
    const symHi = this.bSymHi[book];
    const symLo = this.bSymLo[book];
    const oQty = this.oQty;
    while (qty > 0) {
      const cnt = this.sideCount[ob];
      if (cnt === 0) break;
      const lvl = levels[cnt - 1];
      const lp = this.lPrice[lvl];
      if (price !== 0 && (isBuy ? lp > price : lp < price)) break;
      let o = this.lHead[lvl];
      while (qty > 0 && o >= 0) {
        const oq = oQty[o];
        const t = oq < qty ? oq : qty;
        if (isBuy) l.onTrade(symHi, symLo, clientId, userId, userOrderId, this.oClient[o], this.oUid[o], this.oOid[o], lp, t, Side.BUY);
        else l.onTrade(symHi, symLo, this.oClient[o], this.oUid[o], this.oOid[o], clientId, userId, userOrderId, lp, t, Side.SELL);
        qty -= t;
        this.lQty[lvl] -= t;
        if (oq === t) {
          const next = this.oNext[o];
          const owner = this.oClient[o];
          const uid = this.oUid[o];
          const oid = this.oOid[o];
          this.releaseSlot(o, book);
          l.onRelease(owner, uid, oid);
          o = next;
        } else {
          oQty[o] = oq - t;
        }
      }
      if (o < 0) {
        this.sideCount[ob] = cnt - 1;
        this.levelFree[this.levelFreeTop++] = lvl;
      } else {
        this.lHead[lvl] = o;
        this.oPrev[o] = -1;
      }
    }
    return qty;
  }

  /** Frees an order slot that has already been unlinked from (or is the head being consumed of) its level. */
  private releaseSlot(o: number, book: number): void {
    this.orderIndex.remove(this.oUid[o], this.oOid[o]);
    const u = this.oUser[o];
    if (u >= 0) this.userOpen[u]--;
    this.bOrders[book]--;
    this.orderFree[this.orderFreeTop++] = o;
  }

  private rest(book: number, bs: number, isBuy: boolean, price: number, qty: number, clientId: number, userId: number, userOrderId: number, userSlot: number): void {
    let pos = this.findLevel(bs, price, isBuy);
    let lvl: number;
    const levels = this.sideLevels[bs];
    if (pos >= 0) {
      lvl = levels[pos];
    } else {
      pos = -pos - 1;
      lvl = this.levelFree[--this.levelFreeTop];
      this.lPrice[lvl] = price;
      this.lQty[lvl] = 0;
      this.lHead[lvl] = -1;
      this.lTail[lvl] = -1;
      const cnt = this.sideCount[bs];
      if (pos < cnt) levels.copyWithin(pos + 1, pos, cnt);
      levels[pos] = lvl;
      this.sideCount[bs] = cnt + 1;
    }
    const o = this.orderFree[--this.orderFreeTop];
    this.oUid[o] = userId;
    this.oOid[o] = userOrderId;
    this.oQty[o] = qty;
    this.oClient[o] = clientId;
    this.oUser[o] = userSlot;
    if (userSlot >= 0) this.userOpen[userSlot]++;
    this.oLevel[o] = lvl;
    this.oBookSide[o] = bs;
    const tail = this.lTail[lvl];
    this.oPrev[o] = tail;
    this.oNext[o] = -1;
    if (tail >= 0) this.oNext[tail] = o;
    else this.lHead[lvl] = o;
    this.lTail[lvl] = o;
    this.lQty[lvl] += qty;
    this.bOrders[book]++;
    this.touched[bs] = 1;
    this.orderIndex.put(userId, userOrderId, o);
  }

  /** Position of the level with this price in the side array, or -(insertion position + 1). */
  private findLevel(bs: number, price: number, isBuy: boolean): number {
    const levels = this.sideLevels[bs];
    const lPrice = this.lPrice;
    const cnt = this.sideCount[bs];
    if (cnt === 0) return -1;
    // Fast path: at or better than the best level (the array's end).
    const best = lPrice[levels[cnt - 1]];
    if (best === price) return cnt - 1;
    if (isBuy ? price > best : price < best) return -(cnt + 1);
    let lo = 0;
    let hi = cnt - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const p = lPrice[levels[mid]];
      if (p === price) return mid;
      // Bids ascend, asks descend along the array.
      if (isBuy ? p < price : p > price) lo = mid + 1;
      else hi = mid;
    }
    return lPrice[levels[lo]] === price ? lo : -(lo + 1);
  }

  /** Unlinks a resting order, dropping its level when empty, and frees its slot. */
  private removeOrder(o: number): void {
    const bs = this.oBookSide[o];
    const lvl = this.oLevel[o];
    const prev = this.oPrev[o];
    const next = this.oNext[o];
    if (prev >= 0) this.oNext[prev] = next;
    else this.lHead[lvl] = next;
    if (next >= 0) this.oPrev[next] = prev;
    else this.lTail[lvl] = prev;
    this.lQty[lvl] -= this.oQty[o];
    if (this.lHead[lvl] < 0) {
      const pos = this.findLevel(bs, this.lPrice[lvl], (bs & 1) === BID);
      const cnt = this.sideCount[bs];
      const levels = this.sideLevels[bs];
      if (pos < cnt - 1) levels.copyWithin(pos, pos + 1, cnt);
      this.sideCount[bs] = cnt - 1;
      this.levelFree[this.levelFreeTop++] = lvl;
    }
    this.releaseSlot(o, bs >> 1);
  }

  private publishTop(book: number, clientId: number): void {
    for (let s = 0; s < 2; s++) {
      const bs = book * 2 + s;
      const cnt = this.sideCount[bs];
      let p = 0;
      let q = 0;
      if (cnt > 0) {
        const lvl = this.sideLevels[bs][cnt - 1];
        p = this.lPrice[lvl];
        q = this.lQty[lvl];
      }
      if (p !== this.lastTopPrice[bs] || q !== this.lastTopQty[bs]) {
        this.lastTopPrice[bs] = p;
        this.lastTopQty[bs] = q;
        this.listener.onTopOfBook(clientId, this.bSymHi[book], this.bSymLo[book], s === BID ? Side.BUY : Side.SELL, p, q);
      }
    }
  }
}
