/**
 * One symbol's position at our venue, as the strategy sees it: the last position snapshot (17) plus the fills (16)
 * published after it, so inventory reacts to a fill at once instead of at the next snapshot.
 *
 * Invariants:
 * - a snapshot replaces everything: it includes every fill up to its lastFillId, so pending fills with ids at or
 *   below it are dropped; fills with ids at or below the snapshot's lastFillId (or repeated) are ignored; a snapshot
 *   whose lastFillId went back (the venue's journal was replaced) drops every pending fill;
 * - fill ids increase per venue, so pending fills are kept in arrival order in a preallocated ring; when the ring is
 *   full the oldest is folded into a running sum that the next snapshot clears (it includes that fill by then,
 *   because the venue publishes a fill before the snapshot that contains it);
 * - daily PnL (quote currency) = dailyRealizedPnl − dailyFees/1e8 + unrealizedPnl of the snapshot, minus the fees of
 *   the pending fills. Realized PnL of pending fills waits for the next snapshot (at most the venue's interval).
 * Nothing is allocated per message.
 */
export class VenuePosition {
  hasSnapshot = false;
  lastFillId = 0;
  private snapshotQtyE8 = 0;
  private dailyRealized = 0;
  private dailyFeesE8 = 0;
  private unrealized = 0;
  private readonly ids: Float64Array;
  private readonly qtys: Float64Array;
  private readonly fees: Float64Array;
  private head = 0;
  private count = 0;
  private pendingQtyE8 = 0;
  private pendingFeesE8 = 0;
  private lastPendingId = 0;
  /** Fills pushed out of a full ring (diagnostics). */
  folded = 0;

  constructor(private readonly capacity = 256) {
    this.ids = new Float64Array(capacity);
    this.qtys = new Float64Array(capacity);
    this.fees = new Float64Array(capacity);
  }

  /** Signed position, 1e-8 units. */
  get qtyE8(): number {
    return this.snapshotQtyE8 + this.pendingQtyE8;
  }

  get pendingFills(): number {
    return this.count;
  }

  dailyPnl(): number {
    return this.dailyRealized - (this.dailyFeesE8 + this.pendingFeesE8) / 1e8 + this.unrealized;
  }

  onSnapshot(lastFillId: number, qtyE8: number, dailyRealizedPnl: number, dailyFeesE8: number, unrealizedPnl: number): void {
    // Ids going back means the venue started a new journal: nothing pending belongs to it.
    if (lastFillId < this.lastFillId) this.count = 0;
    this.hasSnapshot = true;
    this.lastFillId = lastFillId;
    this.snapshotQtyE8 = qtyE8;
    this.dailyRealized = dailyRealizedPnl;
    this.dailyFeesE8 = dailyFeesE8;
    this.unrealized = unrealizedPnl;
    while (this.count > 0 && (this.ids[this.head] as number) <= lastFillId) {
      this.head = (this.head + 1) % this.capacity;
      this.count--;
    }
    let qty = 0;
    let fees = 0;
    let lastId = lastFillId;
    for (let i = 0, j = this.head; i < this.count; i++, j = (j + 1) % this.capacity) {
      qty += this.qtys[j] as number;
      fees += this.fees[j] as number;
      lastId = this.ids[j] as number;
    }
    // A venue whose fill ids went back (a new journal) must not have its next fills taken for repeats.
    this.lastPendingId = lastId;
    this.pendingQtyE8 = qty;
    this.pendingFeesE8 = fees;
  }

  /**
   * Applies a fill: signedQtyE8 > 0 for a buy. Returns false if it is already included (id ≤ the snapshot's
   * lastFillId) or a repeat.
   */
  onFill(fillId: number, signedQtyE8: number, feeE8: number): boolean {
    if (fillId <= this.lastFillId || fillId <= this.lastPendingId) return false;
    this.lastPendingId = fillId;
    if (this.count === this.capacity) {
      // Folding keeps the oldest fill's effect in the sums but forgets its id: the next snapshot resets the sums.
      this.head = (this.head + 1) % this.capacity;
      this.count--;
      this.folded++;
    }
    const at = (this.head + this.count) % this.capacity;
    this.ids[at] = fillId;
    this.qtys[at] = signedQtyE8;
    this.fees[at] = feeE8;
    this.count++;
    this.pendingQtyE8 += signedQtyE8;
    this.pendingFeesE8 += feeE8;
    return true;
  }
}
