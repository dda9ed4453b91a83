/**
 * Records exchanged between the I/O thread and a matching worker (one SpscRing each way, 16 i32 per record;
 * f64 index 7 of a record = i32 14–15).
 *
 * Input (I/O → worker): i32[0] kind, [1] clientId, [2] userId, [3] userOrderId, [4] symHi, [5] symLo, [6] price,
 *   [7] qty, [8] side, [9] hasSymbol, [10] userVerified (cancel) | CapacityVeto bits (new), [11] reason;
 *   f64[7] message sequence number.
 * Output (worker → I/O): i32[0] kind, then per kind:
 *   ACK/CANCEL_ACK/REJECT: [1] clientId, [2] symHi, [3] symLo, [4] userId, [5] userOrderId, [6] ownerClientId | reason
 *   TRADE: [1] symHi, [2] symLo, [3] buyClient, [4] buyUid, [5] buyOid, [6] sellClient, [7] sellUid, [8] sellOid,
 *          [9] price, [10] qty, [11] aggressor side byte
 *   TOP: [1] clientId, [2] symHi, [3] symLo, [4] side, [5] price, f64[7] qty
 *   RELEASE: [1] clientId, [2] userId, [3] userOrderId
 *   SWEEP_BOOK: f64[7] creation sequence of the book whose sweep output follows
 *   END: f64[7] sequence number of the input message whose output is complete
 */
export const In = { NEW: 1, CANCEL: 2, FLUSH: 3, REJECT: 4, SWEEP_CLIENT: 5, STOP: 6 } as const;
export const Out = { ACK: 1, CANCEL_ACK: 2, TRADE: 3, TOP: 4, REJECT: 5, RELEASE: 6, SWEEP_BOOK: 7, END: 8 } as const;
export const SEQ_F64 = 7;
export const RING_CAPACITY = 1 << 15;

export interface WorkerInit {
  inSab: SharedArrayBuffer;
  outSab: SharedArrayBuffer;
  capacity: number;
  limits: import('@mm/matching').CoreLimits;
}
