import { OrderBook } from './OrderBook.js';
import { DepthUpdate, type DepthSnapshot } from './MarketEvents.js';

/**
 * Binance SPOT local order book synchronisation for one symbol, as a pure state machine (no I/O, no clock): the
 * documented spot algorithm ("How to manage a local order book correctly", web-socket-streams.md), NOT the futures
 * `pu` rule.
 *
 *   SYNCING: buffer every diff; on the first buffered event ask for a REST snapshot (`onSnapshotNeeded`).
 *   snapshot: if lastUpdateId < U of the first buffered event → ask again (step 4); else drop buffered events with
 *             u ≤ lastUpdateId, load the snapshot (book id = lastUpdateId), apply the rest with the update rule → LIVE.
 *   LIVE, per event: u < id+1 (u ≤ id) → ignore (stale/duplicate, also de-duplicates overlapping connections);
 *             U > id + 1 → gap: discard the book, go back to SYNCING with this event as the first buffered one;
 *             else set every level (absolute qty, 0 removes) and id = u.
 *
 * Invariants: in LIVE, `book.updateId` is the `u` of the last applied event (or the snapshot id) and every applied
 * event satisfied U ≤ id+1 < u+1; nothing is reported as applied while SYNCING. The buffer keeps at most
 * `maxBuffered` events (oldest dropped: the sync then simply needs a newer snapshot). Buffered events are copies in
 * pooled holders, so steady state allocates nothing.
 */

export const SyncState = { SYNCING: 1, LIVE: 2 } as const;
export type SyncState = (typeof SyncState)[keyof typeof SyncState];

/** What `onDepth` did with an event. */
export const DepthResult = {
  BUFFERED: 1,
  APPLIED: 2,
  /** u ≤ book id: already reflected (duplicate or older than the snapshot). */
  STALE: 3,
  /** U > id + 1: events were missed; the book is discarded and the event buffered for the next sync. */
  GAP: 4,
} as const;
export type DepthResult = (typeof DepthResult)[keyof typeof DepthResult];

export const SnapshotResult = {
  /** Loaded; buffered events applied; LIVE (unless a buffered event revealed a gap: see `GAP`). */
  APPLIED: 1,
  /** lastUpdateId < U of the first buffered event: another snapshot was requested. */
  TOO_OLD: 2,
  /** Not waiting for a snapshot (already LIVE, or nothing buffered yet). */
  IGNORED: 3,
  /** Loaded, but a buffered event did not follow on: back to SYNCING, a new snapshot was requested. */
  GAP: 4,
} as const;
export type SnapshotResult = (typeof SnapshotResult)[keyof typeof SnapshotResult];

export interface DepthSyncListener {
  /** A REST snapshot is needed (first buffered event, snapshot too old, or after a gap). Coalesce requests. */
  onSnapshotNeeded(sync: DepthSync): void;
  /** The book now reflects `event` (its final id is `sync.book.updateId`); called for buffered events too. */
  onApplied(sync: DepthSync, event: DepthUpdate): void;
  /** The book was set to a snapshot (id `lastUpdateId`) and the sync went LIVE. */
  onLive(sync: DepthSync): void;
  /** A gap: the book is discarded and the symbol is SYNCING; `expectedFirstId` = old id + 1. */
  onGap(sync: DepthSync, expectedFirstId: number, receivedFirstId: number): void;
}

export class DepthSync {
  readonly book: OrderBook;
  state: SyncState = SyncState.SYNCING;
  /** Counters for health/diagnostics. */
  applied = 0;
  stale = 0;
  gaps = 0;
  snapshotsTooOld = 0;
  bufferDrops = 0;

  /**
   * How many best levels per side `onApplied` reads (Infinity: any). When finite, an event is applied top first:
   * the levels that can change those are applied before `onApplied`, the rest right after it returns.
   */
  topDepth = Infinity;

  private pool: DepthUpdate[] = [];
  private head = 0;
  private count = 0;

  constructor(readonly symbol: string, private readonly listener: DepthSyncListener, readonly maxBuffered = 10_000) {
    if (!(maxBuffered >= 1)) throw new RangeError(`DepthSync maxBuffered must be ≥ 1, got ${maxBuffered}`);
    this.book = new OrderBook(symbol);
  }

  get bufferedCount(): number {
    return this.count;
  }

  /** `U` of the first buffered event, or NaN when nothing is buffered. */
  firstBufferedId(): number {
    return this.count > 0 ? this.at(0).firstUpdateId : NaN;
  }

  /** Forgets the book and the buffer (e.g. the symbol was removed); the next event starts a new sync. */
  reset(): void {
    this.state = SyncState.SYNCING;
    this.book.clear();
    this.head = this.count = 0;
  }

  onDepth(ev: DepthUpdate): DepthResult {
    if (this.state === SyncState.SYNCING) {
      this.bufferCopy(ev);
      if (this.count === 1) this.listener.onSnapshotNeeded(this);
      return DepthResult.BUFFERED;
    }
    const r = this.applyOne(ev);
    if (r === DepthResult.GAP) {
      this.bufferCopy(ev);
      this.listener.onSnapshotNeeded(this);
    }
    return r;
  }

  onSnapshot(snap: DepthSnapshot): SnapshotResult {
    if (this.state !== SyncState.SYNCING || this.count === 0) return SnapshotResult.IGNORED;
    if (snap.lastUpdateId < this.at(0).firstUpdateId) {
      this.snapshotsTooOld++;
      this.listener.onSnapshotNeeded(this);
      return SnapshotResult.TOO_OLD;
    }
    const id = snap.lastUpdateId;
    while (this.count > 0 && this.at(0).finalUpdateId <= id) this.dropFirst();
    this.book.loadSnapshot(snap.bids, snap.asks, id);
    this.state = SyncState.LIVE;
    this.listener.onLive(this);
    while (this.count > 0) {
      const ev = this.at(0);
      const r = this.applyOne(ev);
      if (r === DepthResult.GAP) {
        // The gap event and everything after it stay buffered as the start of the next sync.
        this.listener.onSnapshotNeeded(this);
        return SnapshotResult.GAP;
      }
      this.dropFirst();
    }
    return SnapshotResult.APPLIED;
  }

  private applyOne(ev: DepthUpdate): DepthResult {
    const id = this.book.updateId;
    if (ev.finalUpdateId <= id) {
      this.stale++;
      return DepthResult.STALE;
    }
    if (ev.firstUpdateId > id + 1) {
      this.gaps++;
      this.state = SyncState.SYNCING;
      this.book.clear();
      this.listener.onGap(this, id + 1, ev.firstUpdateId);
      return DepthResult.GAP;
    }
    this.applied++;
    if (this.topDepth === Infinity) {
      this.book.applyLevels(ev.bids, ev.asks, ev.finalUpdateId);
      this.listener.onApplied(this, ev);
      return DepthResult.APPLIED;
    }
    // Top first (see OrderBook.applyTop): the listener reads the best `topDepth` levels before the rest is applied,
    // which is applied even when the listener throws, so the book is never left behind its update id.
    this.book.applyTop(ev.bids, ev.asks, ev.finalUpdateId, this.topDepth);
    try {
      this.listener.onApplied(this, ev);
    } finally {
      this.book.applyRest(ev.bids, ev.asks);
    }
    return DepthResult.APPLIED;
  }

  private at(i: number): DepthUpdate {
    return this.pool[(this.head + i) % this.pool.length]!;
  }

  private dropFirst(): void {
    this.head = (this.head + 1) % this.pool.length;
    this.count--;
    if (this.count === 0) this.head = 0;
  }

  private bufferCopy(ev: DepthUpdate): void {
    if (this.count === this.maxBuffered) {
      this.bufferDrops++;
      this.dropFirst();
    }
    if (this.count === this.pool.length) {
      // Grow the ring: unroll it into a larger array, then add fresh holders.
      const unrolled: DepthUpdate[] = [];
      for (let i = 0; i < this.count; i++) unrolled.push(this.at(i));
      const extra = Math.min(Math.max(this.pool.length, 8), this.maxBuffered - this.pool.length);
      for (let i = 0; i < extra; i++) unrolled.push(new DepthUpdate());
      this.pool = unrolled;
      this.head = 0;
    }
    this.at(this.count).copyFrom(ev);
    this.count++;
  }
}
