/**
 * Receives everything the core decides, as primitive arguments (no event objects, so nothing is allocated per
 * message). Client ids are opaque integers chosen by the caller (a TCP connection, a UDP address, an in-process
 * user); the core stores them with each resting order so the caller can route fills and cancel acks.
 *
 * Symbols travel as two big-endian u32 words (see Symbol8.ts); the empty symbol is (0, 0).
 * Top of book: price = qty = 0 means that side is empty. Quantities at a level are sums and may exceed 2^32.
 * Sides are wire bytes: 'B' (0x42) or 'S' (0x53).
 */
export interface MatchListener {
  onAck(clientId: number, symHi: number, symLo: number, userId: number, userOrderId: number): void;
  /** `clientId` asked for the cancel (or the flush); `ownerClientId` entered the order. */
  onCancelAck(clientId: number, ownerClientId: number, symHi: number, symLo: number, userId: number, userOrderId: number): void;
  /**
   * One fill, buyer first. `aggressorSide` is the side of the incoming order (the taker); the other order was
   * resting (the maker). The engine's wire trade has no such field: in-process consumers (fees, stream 18) use it.
   */
  onTrade(
    symHi: number,
    symLo: number,
    buyClientId: number,
    buyUserId: number,
    buyOrderId: number,
    sellClientId: number,
    sellUserId: number,
    sellOrderId: number,
    price: number,
    qty: number,
    aggressorSide: number,
  ): void;
  onTopOfBook(clientId: number, symHi: number, symLo: number, side: number, price: number, qty: number): void;
  onReject(clientId: number, symHi: number, symLo: number, userId: number, userOrderId: number, reason: number): void;
  /**
   * A flush or a client sweep is about to emit the output of one book; `creationSeq` is the message sequence
   * number that created the book. Threaded mode merges processors' sweeps on it; others may ignore it.
   */
  onSweepBook(creationSeq: number): void;
  /**
   * A new order is finished with as far as its id goes: every `newOrder` call whose own fields are valid (symbol
   * present, non-zero ids and quantity, side B/S) produces exactly one release, at once (rejected 5/6/9, filled on
   * entry, market remainder dropped) or later (filled, cancelled, flushed). Threaded mode keeps its order map with
   * it; others may ignore it.
   */
  onRelease(clientId: number, userId: number, userOrderId: number): void;
}

/** A listener that ignores everything (benchmarks, tests that only look at state). */
export class NullMatchListener implements MatchListener {
  onAck(): void {}
  onCancelAck(): void {}
  onTrade(): void {}
  onTopOfBook(): void {}
  onReject(): void {}
  onSweepBook(): void {}
  onRelease(): void {}
}
