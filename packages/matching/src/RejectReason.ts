/**
 * Reject reasons of the engine protocol (one byte on the binary wire, an integer in CSV).
 * 1–5 and 10 come from the original protocol; 6–9 are the operator controls.
 */
export const RejectReason = {
  UNKNOWN_SYMBOL: 1,
  INVALID_QUANTITY: 2,
  INVALID_PRICE: 3,
  ORDER_NOT_FOUND: 4,
  DUPLICATE_ORDER_ID: 5,
  CAPACITY_EXHAUSTED: 6,
  UNAUTHORIZED: 7,
  THROTTLED: 8,
  BOOK_FULL: 9,
  INVALID_ORDER_ID: 10,
} as const;
export type RejectReason = (typeof RejectReason)[keyof typeof RejectReason];

/** Order sides as stored and emitted by the core (the wire bytes 'B' and 'S'). */
export const Side = { BUY: 0x42, SELL: 0x53 } as const;
export type Side = (typeof Side)[keyof typeof Side];
