// Replays the OB-1M op stream (../shared/bench/ob-1m/workload.mjs) through MatchingCore and counts what the
// reference model counts. Shared by the unit test (small op counts) and the benchmark (1M ops).
// Plain JS over the compiled package or the sources: the caller passes the MatchingCore class in.

export const LIMIT = 0, CANCEL = 1, MARKET = 2;
const SYM_HI = 0x4f42314d; // "OB1M"
const UID = 1;

/** A listener that counts fills the way the reference model does. */
export class CountingListener {
  constructor() { this.reset(); }
  reset() { this.trades = 0; this.tradedQty = 0; this.tradedNotional = 0; this.rejects = 0; this.acks = 0; this.cancelAcks = 0; this.takerFills = 0; }
  onAck() { this.acks++; }
  onCancelAck() { this.cancelAcks++; }
  onTrade(hi, lo, bc, bu, bo, sc, su, so, price, qty) { this.trades++; this.tradedQty += qty; this.tradedNotional += price * qty; this.takerFills++; }
  onTopOfBook() {}
  onReject() { this.rejects++; }
  onSweepBook() {}
  onRelease() {}
}

/**
 * Runs ops [type, side, price, size, id] × n; returns per-op-kind statistics comparable with the reference.
 * A no-op cancel (id -1) is sent as order id 0xFFFFFFFF, which is never used, so the core answers "not found".
 */
export function replay(core, listener, ops) {
  const n = ops.length / 5;
  let limitsCrossing = 0, limitsFullyFilled = 0, marketsWithFill = 0, cancelsHit = 0, cancelsNoop = 0;
  for (let i = 0, o = 0; i < n; i++, o += 5) {
    const type = ops[o];
    if (type === LIMIT) {
      const before = listener.takerFills;
      const id = ops[o + 4];
      core.newOrder(1, UID, id, SYM_HI, 0, ops[o + 2], ops[o + 3], ops[o + 1] === 0 ? 0x42 : 0x53);
      if (listener.takerFills !== before) {
        limitsCrossing++;
        if (core.remainingQty(UID, id) < 0) limitsFullyFilled++;
      }
    } else if (type === CANCEL) {
      const before = listener.cancelAcks;
      const id = ops[o + 4];
      core.cancel(1, UID, id < 0 ? 0xffffffff : id, SYM_HI, 0, false);
      if (listener.cancelAcks !== before) cancelsHit++; else cancelsNoop++;
    } else {
      const before = listener.takerFills;
      core.newOrder(1, UID, 0xfffffffe, SYM_HI, 0, 0, ops[o + 3], ops[o + 1] === 0 ? 0x42 : 0x53);
      if (listener.takerFills !== before) marketsWithFill++;
    }
  }
  return { limitsCrossing, limitsFullyFilled, marketsWithFill, cancelsHit, cancelsNoop };
}

export const OB1M_SYMBOL = { hi: SYM_HI, lo: 0 };
