/**
 * What the I/O side calls to match: either the core on this thread (DirectMatcher) or the two worker threads
 * (ThreadedMatcher). `encoding` is the encoding of the message being submitted; it becomes the client's reply
 * encoding at the point in the output stream where that message's answers begin, so that threaded output is
 * byte-identical to single-threaded output.
 */
import type { Encoding } from '@mm/matching';

export interface Matcher {
  newOrder(clientId: number, encoding: Encoding, userId: number, userOrderId: number, symHi: number, symLo: number, price: number, qty: number, side: number): void;
  cancel(clientId: number, encoding: Encoding, userId: number, userOrderId: number, symHi: number, symLo: number, hasSymbol: boolean, userVerified: boolean): void;
  flush(clientId: number, encoding: Encoding): void;
  reject(clientId: number, encoding: Encoding, symHi: number, symLo: number, userId: number, userOrderId: number, reason: number): void;
  /** Cancels the client's resting orders (cancel on disconnect). */
  cancelClientOrders(clientId: number): void;
  /** Messages submitted whose output has not been delivered yet (always 0 for DirectMatcher). */
  readonly inFlight: number;
  /** Messages submitted so far (a count that only grows; with `completed`, what the TCP gateway paces reading by). */
  readonly submitted: number;
  /** Messages whose output has been delivered to the router so far, in submission order. */
  readonly completed: number;
  /** Delivers available output to the router; returns the number of messages completed. */
  poll(): number;
  /**
   * While messages are in flight and poll() made no progress: a promise that settles when more output may be
   * available (without blocking the event loop), or null to poll again from setImmediate.
   */
  outputReady(): Promise<unknown> | null;
  close(): Promise<void>;
}
