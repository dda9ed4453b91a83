/**
 * Encodes output messages into a caller's buffer at an offset and returns the bytes written. The caller
 * guarantees MAX_OUTPUT_BYTES of room. Two implementations: CSV (one line ending in '\n') and binary.
 */
export const MAX_OUTPUT_BYTES = 128;

export interface OutputEncoder {
  ack(b: Uint8Array, off: number, symHi: number, symLo: number, userId: number, userOrderId: number): number;
  cancelAck(b: Uint8Array, off: number, symHi: number, symLo: number, userId: number, userOrderId: number): number;
  trade(
    b: Uint8Array,
    off: number,
    symHi: number,
    symLo: number,
    buyUserId: number,
    buyOrderId: number,
    sellUserId: number,
    sellOrderId: number,
    price: number,
    qty: number,
  ): number;
  /** price = qty = 0: that side is empty. side is the byte 'B' or 'S'. */
  topOfBook(b: Uint8Array, off: number, symHi: number, symLo: number, side: number, price: number, qty: number): number;
  reject(b: Uint8Array, off: number, symHi: number, symLo: number, userId: number, userOrderId: number, reason: number): number;
}
