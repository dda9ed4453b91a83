/**
 * The I/O thread's message handling, shared by TCP and UDP: decode one message (its encoding detected on its
 * own), apply the operator controls in a fixed order (rate limit → 8, flush authorization → 7, user binding → 7),
 * then submit to the matcher. Malformed input is reported to the caller, which disconnects (TCP) or drops (UDP).
 */
import { DecodeStatus, InboundMessage, MessageType, RejectReason, decodeMessage } from '@mm/matching';
import type { ClientChannel } from './ClientChannel.js';
import type { EngineCounters } from './EngineCounters.js';
import type { Matcher } from './Matcher.js';
import type { TokenBucket } from './TokenBucket.js';

export interface SessionControls {
  userBinding: boolean;
  /** Addresses allowed to flush; null = anyone. */
  flushAllowedFrom: ReadonlySet<string> | null;
}

export class EngineSession {
  private readonly msg = new InboundMessage();
  /** Error text of the last MALFORMED message (for the log line of the disconnect). */
  lastError = '';

  constructor(
    private readonly matcher: Matcher,
    private readonly counters: EngineCounters,
    private readonly controls: SessionControls,
  ) {}

  /** Handles one message; returns false when it was malformed. */
  handle(ch: ClientChannel, bucket: TokenBucket | null, nowMs: number, b: Uint8Array, off: number, len: number, isTcp: boolean): boolean {
    const m = this.msg;
    const st = decodeMessage(b, off, len, m);
    if (st === DecodeStatus.IGNORED) return true;
    if (st === DecodeStatus.MALFORMED) {
      this.counters.malformed++;
      this.lastError = m.error;
      return false;
    }
    this.counters.messagesIn++;
    const mt = this.matcher;
    if (bucket !== null && !bucket.take(nowMs)) {
      this.counters.throttled++;
      mt.reject(ch.id, m.encoding, m.symHi, m.symLo, m.userId, m.userOrderId, RejectReason.THROTTLED);
      return true;
    }
    if (st === DecodeStatus.REJECT) {
      mt.reject(ch.id, m.encoding, m.symHi, m.symLo, m.userId, m.userOrderId, m.rejectReason);
      return true;
    }
    if (m.type === MessageType.FLUSH) {
      const allowed = this.controls.flushAllowedFrom;
      if (allowed !== null && !allowed.has(ch.address)) {
        this.counters.unauthorized++;
        mt.reject(ch.id, m.encoding, 0, 0, 0, 0, RejectReason.UNAUTHORIZED);
        return true;
      }
      mt.flush(ch.id, m.encoding);
      return true;
    }
    const verified = isTcp && this.controls.userBinding;
    if (verified) {
      if (ch.boundUserId < 0) ch.boundUserId = m.userId;
      else if (ch.boundUserId !== m.userId) {
        this.counters.unauthorized++;
        mt.reject(ch.id, m.encoding, m.symHi, m.symLo, m.userId, m.userOrderId, RejectReason.UNAUTHORIZED);
        return true;
      }
    }
    if (m.type === MessageType.NEW) mt.newOrder(ch.id, m.encoding, m.userId, m.userOrderId, m.symHi, m.symLo, m.price, m.qty, m.side);
    else mt.cancel(ch.id, m.encoding, m.userId, m.userOrderId, m.symHi, m.symLo, m.hasSymbol, verified);
    return true;
  }
}
