/**
 * Threaded mode: two matching worker threads (symbols A–M and N–Z by first letter, case-insensitive; others go to
 * the first), fed and drained by this, the I/O thread, over SpscRings.
 *
 * Exactness: every submitted message gets a sequence number and an entry in an in-flight queue; `poll()` delivers
 * outputs strictly in submission order (a message's records up to its END), so every client sees the byte
 * sequence a single core would produce. Flush and client sweeps go to both processors, which tag each book's
 * output with the book's creation sequence; `poll()` merges those blocks by it (book creation order).
 *
 * Cancels without a symbol are routed with the I/O thread's order map ((uid, oid) → processor and count of
 * not-yet-released new orders), kept from submissions (+1) and the cores' RELEASE records (−1), so exactly one
 * processor answers. A new order whose id is still live on the other processor would be a cross-processor
 * duplicate: the I/O thread drains both processors first and, if the id is still live, answers reject 5 itself.
 *
 * The per-user open-order limit spans both processors: the I/O thread counts, per user, new orders submitted and
 * not yet released (an upper bound of the user's resting orders); at the limit it drains both processors (the
 * count is then exact) and, if still at the limit, tells the processor to refuse the order at the point of the
 * checks where a single core would (so reject 5 or a new book still come first).
 *
 * The order pool (max-orders) and the book limit (max-books) are global, as in one core, the same way: the I/O
 * thread counts valid new orders submitted and not yet released (an upper bound of the resting orders, exact when
 * nothing is in flight) and keeps the set of symbols whose book exists (a book is created by the first valid,
 * non-duplicate order of its symbol and never removed). A limit order at the order limit drains both processors
 * and, if still at it, is refused by its processor where one core would refuse it (CapacityVeto.ORDERS); a new
 * symbol beyond max-books is refused at book creation (CapacityVeto.NEW_BOOK) unless it is a duplicate (5 first).
 * Each processor is sized for all of max-orders and max-books (either may hold them all). Cost: at the order limit
 * every new limit order waits for the processors to drain.
 *
 * Known difference from one core: when the user table (max-users) is full, which users got a slot can differ.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CapacityVeto, PairIndex, RejectReason, type CoreLimits, type Encoding } from '@mm/matching';
import type { Matcher } from './Matcher.js';
import type { OutputRouter } from './OutputRouter.js';
import { SpscRing } from './SpscRing.js';
import { In, Out, RING_CAPACITY, SEQ_F64, type WorkerInit } from './WorkerProtocol.js';

const BOTH = 2;

/** Processor of a symbol: first byte A–M/a–m and anything not a letter → 0; N–Z/n–z → 1. */
export function processorOf(symHi: number): number {
  const c = (symHi >>> 24) & 0xdf;
  return c >= 0x4e && c <= 0x5a ? 1 : 0;
}

function workerUrl(): URL {
  const sibling = new URL('./matchingWorker.js', import.meta.url);
  if (existsSync(fileURLToPath(sibling))) return sibling;
  // Running from sources (unit tests): use the compiled worker.
  return new URL('../dist/matchingWorker.js', import.meta.url);
}

export class ThreadedMatcher implements Matcher {
  private readonly inputs: SpscRing[] = [];
  private readonly outputs: SpscRing[] = [];
  private readonly workers: Worker[] = [];
  private readonly qMask: number;
  private readonly qProc: Int8Array;
  private readonly qClient: Int32Array;
  private readonly qEnc: Int8Array;
  private readonly qStarted: Uint8Array;
  private qHead = 0;
  private qTail = 0;
  private seq = 0;
  private readonly orders: PairIndex;
  private readonly userCap: number;
  private readonly users: PairIndex | null;
  private readonly userLive: Int32Array;
  private userCount = 0;
  private readonly maxOrders: number;
  /** Valid new orders submitted and not yet released (resting orders plus those in flight). */
  private ordersLive = 0;
  private readonly maxBooks: number;
  /** Symbols whose book exists on a processor (value unused). */
  private readonly books: PairIndex;
  // Merge state of a two-processor message.
  private sweepFrom = -1;
  private readonly ended = [false, false];
  private failure: Error | null = null;

  constructor(
    limits: CoreLimits,
    private readonly router: OutputRouter,
    capacity = RING_CAPACITY,
    onFailure: (e: Error) => void = () => {},
  ) {
    const qSize = capacity * 4;
    this.qMask = qSize - 1;
    this.qProc = new Int8Array(qSize);
    this.qClient = new Int32Array(qSize);
    this.qEnc = new Int8Array(qSize);
    this.qStarted = new Uint8Array(qSize);
    // Sized for one full processor plus everything in flight; beyond it a new order is refused (6), never lost.
    this.orders = new PairIndex(limits.maxOrders + qSize);
    this.userCap = limits.maxOpenOrdersPerUser;
    this.users = this.userCap > 0 ? new PairIndex(limits.maxUsers) : null;
    this.userLive = new Int32Array(this.userCap > 0 ? limits.maxUsers : 0);
    this.maxOrders = limits.maxOrders;
    this.maxBooks = limits.maxBooks;
    this.books = new PairIndex(limits.maxBooks);
    // The workers leave the per-user limit to this thread and are each sized for the global limits (see above).
    const workerLimits: CoreLimits = { ...limits, maxOpenOrdersPerUser: 0 };
    for (let p = 0; p < 2; p++) {
      const inRing = SpscRing.create(capacity);
      const outRing = SpscRing.create(capacity);
      this.inputs.push(inRing);
      this.outputs.push(outRing);
      const init: WorkerInit = { inSab: inRing.sab, outSab: outRing.sab, capacity, limits: workerLimits };
      // execArgv: [] so a parent's loader flags (test runners) do not leak into the worker, which runs compiled JS.
      const w = new Worker(workerUrl(), { workerData: init, execArgv: [] });
      w.on('error', (e) => {
        // A processor that died cannot be replaced without losing its books: every later poll throws.
        this.failure = new Error(`matching worker ${p} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        onFailure(this.failure);
      });
      this.workers.push(w);
    }
  }

  get inFlight(): number {
    return this.qTail - this.qHead;
  }

  get submitted(): number {
    return this.qTail;
  }

  get completed(): number {
    return this.qHead;
  }

  /** Claims an input record on processor p, delivering output while the ring is full. */
  private claimIn(p: number): number {
    const ring = this.inputs[p];
    let r = ring.claim();
    while (r < 0) {
      this.poll();
      r = ring.claim();
    }
    return r;
  }

  private enqueue(p: number, clientId: number, encoding: Encoding): void {
    while (this.qTail - this.qHead > this.qMask) this.poll();
    const qi = this.qTail & this.qMask;
    this.qProc[qi] = p;
    this.qClient[qi] = clientId;
    this.qEnc[qi] = encoding;
    this.qStarted[qi] = 0;
    this.qTail++;
  }

  private send(p: number, kind: number, clientId: number, userId: number, userOrderId: number, symHi: number, symLo: number, price: number, qty: number, side: number, flag1: number, flag2: number, reason: number, seq: number): void {
    const ring = this.inputs[p];
    const r = this.claimIn(p);
    const a = ring.i32;
    a[r] = kind;
    a[r + 1] = clientId;
    a[r + 2] = userId;
    a[r + 3] = userOrderId;
    a[r + 4] = symHi;
    a[r + 5] = symLo;
    a[r + 6] = price;
    a[r + 7] = qty;
    a[r + 8] = side;
    a[r + 9] = flag1;
    a[r + 10] = flag2;
    a[r + 11] = reason;
    ring.f64[(r >> 1) + SEQ_F64] = seq;
    ring.advance();
    // Published in batches: by poll() (after each input batch, see MatchingEngine.deliver) or every 64 messages.
    if (++this.unpublished >= 64) this.publishInputs();
  }

  private unpublished = 0;

  private publishInputs(): void {
    this.inputs[0].publish();
    this.inputs[1].publish();
    this.unpublished = 0;
  }

  /** Delivers output until nothing is in flight (cross-processor duplicate check). */
  private drain(): void {
    while (this.qTail !== this.qHead) this.poll();
  }

  newOrder(clientId: number, encoding: Encoding, userId: number, userOrderId: number, symHi: number, symLo: number, price: number, qty: number, side: number): void {
    const p = processorOf(symHi);
    let vetoes = 0;
    const valid = symHi >>> 24 !== 0 && userId !== 0 && userOrderId !== 0 && qty !== 0 && (side === 0x42 || side === 0x53);
    if (valid) {
      let v = this.orders.get(userId, userOrderId);
      if (v >= 0 && (v & 1) !== p) {
        this.drain();
        v = this.orders.get(userId, userOrderId);
        if (v >= 0) {
          const ch = this.router.get(clientId);
          if (ch !== undefined && ch.encoding !== encoding) ch.setEncoding(encoding);
          this.router.onReject(clientId, symHi, symLo, userId, userOrderId, RejectReason.DUPLICATE_ORDER_ID);
          return;
        }
      }
      const newBook = this.books.get(symHi, symLo) < 0;
      if (newBook && v >= 0) {
        // A duplicate creates no book: settle whether the live id is still resting before counting the book.
        this.drain();
        v = this.orders.get(userId, userOrderId);
      }
      const count = v < 0 ? 1 : (v >> 1) + 1;
      if (!this.orders.put(userId, userOrderId, (count << 1) | p)) {
        this.enqueue(0, clientId, encoding);
        this.send(0, In.REJECT, clientId, userId, userOrderId, symHi, symLo, 0, 0, 0, 0, 0, RejectReason.CAPACITY_EXHAUSTED, this.seq++);
        return;
      }
      if (newBook && v < 0) {
        if (this.books.size < this.maxBooks) this.books.put(symHi, symLo, 0);
        else vetoes |= CapacityVeto.NEW_BOOK;
      }
      if (price !== 0 && this.ordersLive >= this.maxOrders) {
        // The count includes orders that may already have left the books: settle it exactly before refusing.
        this.drain();
        if (this.ordersLive >= this.maxOrders) vetoes |= CapacityVeto.ORDERS;
      }
      if (this.users !== null && this.userLimitReached(userId, price)) vetoes |= CapacityVeto.ORDERS;
      this.ordersLive++;
    }
    this.enqueue(p, clientId, encoding);
    this.send(p, In.NEW, clientId, userId, userOrderId, symHi, symLo, price, qty, side, 0, vetoes, 0, this.seq++);
  }

  /** Counts the new order for its user and says whether a limit order must be refused (reject 6). */
  private userLimitReached(userId: number, price: number): boolean {
    const users = this.users as PairIndex;
    let u = users.get(userId, 0);
    if (u < 0) {
      if (this.userCount >= this.userLive.length) return price !== 0;
      u = this.userCount++;
      users.put(userId, 0, u);
    }
    let reached = false;
    if (price !== 0 && this.userLive[u] >= this.userCap) {
      // The count includes orders that may already have left the book: settle it exactly before refusing.
      this.drain();
      reached = this.userLive[u] >= this.userCap;
    }
    this.userLive[u]++;
    return reached;
  }

  cancel(clientId: number, encoding: Encoding, userId: number, userOrderId: number, symHi: number, symLo: number, hasSymbol: boolean, userVerified: boolean): void {
    let p: number;
    if (hasSymbol) p = processorOf(symHi);
    else {
      const v = this.orders.get(userId, userOrderId);
      p = v < 0 ? 0 : v & 1;
    }
    this.enqueue(p, clientId, encoding);
    this.send(p, In.CANCEL, clientId, userId, userOrderId, symHi, symLo, 0, 0, 0, hasSymbol ? 1 : 0, userVerified ? 1 : 0, 0, this.seq++);
  }

  flush(clientId: number, encoding: Encoding): void {
    this.enqueue(BOTH, clientId, encoding);
    const s = this.seq++;
    this.send(0, In.FLUSH, clientId, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, s);
    this.send(1, In.FLUSH, clientId, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, s);
  }

  reject(clientId: number, encoding: Encoding, symHi: number, symLo: number, userId: number, userOrderId: number, reason: number): void {
    this.enqueue(0, clientId, encoding);
    this.send(0, In.REJECT, clientId, userId, userOrderId, symHi, symLo, 0, 0, 0, 0, 0, reason, this.seq++);
  }

  cancelClientOrders(clientId: number): void {
    this.enqueue(BOTH, clientId, -1 as Encoding);
    const s = this.seq++;
    this.send(0, In.SWEEP_CLIENT, clientId, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, s);
    this.send(1, In.SWEEP_CLIENT, clientId, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, s);
  }

  /** Processor whose output ring poll() last found empty while it needed a record. */
  private blockedOn = 0;

  outputReady(): Promise<unknown> | null {
    // A bounded wait: a lost race costs at most the timeout, never a hang.
    return this.outputs[this.blockedOn].parkConsumerAsync(20);
  }

  poll(): number {
    if (this.failure !== null) throw this.failure;
    if (this.unpublished > 0) this.publishInputs();
    let done = 0;
    while (this.qHead !== this.qTail) {
      const qi = this.qHead & this.qMask;
      if (this.qStarted[qi] === 0) {
        this.qStarted[qi] = 1;
        const enc = this.qEnc[qi];
        if (enc >= 0) {
          const ch = this.router.get(this.qClient[qi]);
          if (ch !== undefined && ch.encoding !== enc) ch.setEncoding(enc as Encoding);
        }
      }
      const p = this.qProc[qi];
      if (p === BOTH ? !this.drainBoth() : !this.drainOne(p)) return done;
      this.qHead++;
      done++;
    }
    this.outputs[0].commit();
    this.outputs[1].commit();
    return done;
  }

  /** Delivers processor p's records up to and including END; false when its ring ran dry first. */
  private drainOne(p: number): boolean {
    const ring = this.outputs[p];
    for (;;) {
      const r = ring.peek();
      if (r < 0) {
        this.blockedOn = p;
        return false;
      }
      if (ring.i32[r] === Out.END) {
        ring.release();
        return true;
      }
      this.deliver(ring, r);
      ring.release();
    }
  }

  /** Merges both processors' sweep blocks in book creation order; false when a needed ring ran dry. */
  private drainBoth(): boolean {
    for (;;) {
      if (this.sweepFrom >= 0) {
        const ring = this.outputs[this.sweepFrom];
        for (;;) {
          const r = ring.peek();
          if (r < 0) {
            this.blockedOn = this.sweepFrom;
            return false;
          }
          const k = ring.i32[r];
          if (k === Out.END || k === Out.SWEEP_BOOK) break;
          this.deliver(ring, r);
          ring.release();
        }
        this.sweepFrom = -1;
      }
      for (let p = 0; p < 2; p++) {
        if (this.ended[p]) continue;
        const ring = this.outputs[p];
        const r = ring.peek();
        if (r < 0) {
          this.blockedOn = p;
          return false;
        }
        if (ring.i32[r] === Out.END) {
          ring.release();
          this.ended[p] = true;
        }
      }
      if (this.ended[0] && this.ended[1]) {
        this.ended[0] = false;
        this.ended[1] = false;
        return true;
      }
      let pick: number;
      if (this.ended[0]) pick = 1;
      else if (this.ended[1]) pick = 0;
      else {
        const r0 = this.outputs[0].peek();
        const r1 = this.outputs[1].peek();
        pick = this.outputs[0].f64[(r0 >> 1) + SEQ_F64] <= this.outputs[1].f64[(r1 >> 1) + SEQ_F64] ? 0 : 1;
      }
      this.outputs[pick].release(); // the SWEEP_BOOK header
      this.sweepFrom = pick;
    }
  }

  private deliver(ring: SpscRing, r: number): void {
    const a = ring.i32;
    const rt = this.router;
    switch (a[r]) {
      case Out.ACK:
        rt.onAck(a[r + 1], a[r + 2] >>> 0, a[r + 3] >>> 0, a[r + 4] >>> 0, a[r + 5] >>> 0);
        break;
      case Out.CANCEL_ACK:
        rt.onCancelAck(a[r + 1], a[r + 6], a[r + 2] >>> 0, a[r + 3] >>> 0, a[r + 4] >>> 0, a[r + 5] >>> 0);
        break;
      case Out.TRADE:
        rt.onTrade(a[r + 1] >>> 0, a[r + 2] >>> 0, a[r + 3], a[r + 4] >>> 0, a[r + 5] >>> 0, a[r + 6], a[r + 7] >>> 0, a[r + 8] >>> 0, a[r + 9] >>> 0, a[r + 10] >>> 0, a[r + 11]);
        break;
      case Out.TOP:
        rt.onTopOfBook(a[r + 1], a[r + 2] >>> 0, a[r + 3] >>> 0, a[r + 4], a[r + 5] >>> 0, ring.f64[(r >> 1) + SEQ_F64]);
        break;
      case Out.REJECT:
        rt.onReject(a[r + 1], a[r + 2] >>> 0, a[r + 3] >>> 0, a[r + 4] >>> 0, a[r + 5] >>> 0, a[r + 6]);
        break;
      case Out.RELEASE: {
        const u = a[r + 2] >>> 0;
        const o = a[r + 3] >>> 0;
        if (this.users !== null) {
          const us = this.users.get(u, 0);
          if (us >= 0) this.userLive[us]--;
        }
        this.ordersLive--;
        const v = this.orders.get(u, o);
        if (v >= 0) {
          const count = (v >> 1) - 1;
          if (count <= 0) this.orders.remove(u, o);
          else this.orders.put(u, o, (count << 1) | (v & 1));
        }
        break;
      }
      default:
        break;
    }
  }

  async close(): Promise<void> {
    await Promise.all(
      this.workers.map(async (w, p) => {
        this.enqueue(p, -1, -1 as Encoding);
        this.send(p, In.STOP, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, this.seq++);
        this.inputs[p].publish();
        await w.terminate();
      }),
    );
  }
}
