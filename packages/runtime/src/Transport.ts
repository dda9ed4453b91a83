import type { AtomicBuffer } from '@mm/agrona';

/**
 * The publish/subscribe surface every service codes against. Aeron's Publication/Subscription (packages/aeron-client)
 * and the in-memory transport both satisfy it structurally, so a service runs unchanged live, in tests without a
 * driver, and in a single-process backtest.
 *
 * Hot-path methods (`offer`, `tryClaim`, `poll`) return codes and allocate nothing per message.
 */

/** Return codes of `offer`/`tryClaim` (Aeron's values). A non-negative result is the new stream position. */
export const NOT_CONNECTED = -1;
export const BACK_PRESSURED = -2;
export const ADMIN_ACTION = -3;
export const CLOSED = -4;
export const MAX_POSITION_EXCEEDED = -5;

/** Per-fragment metadata handed to a handler; valid only for the duration of the callback. */
export interface FragmentHeader {
  readonly sessionId: number;
  readonly streamId: number;
  /** Position of the stream just after this fragment (exact while below 2^53). */
  position(): number;
  /** Aeron frame flags (0xC0 for an unfragmented message). */
  readonly flags: number;
}

/** Called once per (reassembled) message: `buffer[offset, offset + length)` is valid only during the call. */
export type FragmentHandler = (buffer: AtomicBuffer, offset: number, length: number, header: FragmentHeader) => void;

/** A claimed region of a log to encode in place; `commit` publishes it, `abort` turns it into padding. */
export interface BufferClaim {
  readonly buffer: AtomicBuffer;
  readonly offset: number;
  readonly length: number;
  commit(): void;
  abort(): void;
}

export interface Publisher {
  readonly streamId: number;
  readonly channel: string;
  /** Largest message `offer` accepts (fragmented above the MTU); `tryClaim` is limited to one MTU's payload. */
  readonly maxMessageLength: number;
  readonly maxPayloadLength: number;
  offer(buffer: AtomicBuffer, offset: number, length: number): number;
  tryClaim(length: number, claim: BufferClaim): number;
  isConnected(): boolean;
  readonly isClosed: boolean;
  close(): void;
}

export interface Subscriber {
  readonly streamId: number;
  readonly channel: string;
  /** Delivers up to `fragmentLimit` fragments; returns how many were read. */
  poll(handler: FragmentHandler, fragmentLimit: number): number;
  isConnected(): boolean;
  imageCount(): number;
  readonly isClosed: boolean;
  close(): void;
}

export interface SubscriptionOptions {
  /** Observability readers are untethered: the publisher never waits for them (they may miss data when slow). */
  readonly untethered?: boolean;
  readonly onAvailableImage?: (sessionId: number, sourceIdentity: string) => void;
  readonly onUnavailableImage?: (sessionId: number) => void;
}

/** What a service needs from a messaging system: Aeron (via a media driver) or the in-memory transport. */
export interface Transport {
  /** Every product publisher is exclusive (one image per publishing service, sequence per publisher). */
  addExclusivePublication(channel: string, streamId: number): Promise<Publisher>;
  addSubscription(channel: string, streamId: number, options?: SubscriptionOptions): Promise<Subscriber>;
  /** Conductor duties (keepalive, driver events); called from every duty cycle of the service's agent runner. */
  doWork(): number;
  close(): Promise<void> | void;
}
