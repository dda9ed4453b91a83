/**
 * One TCP frame or UDP datagram: a binary message (first byte 0x4D) is the whole payload; otherwise the payload is
 * CSV text and may hold several lines (LF or CRLF). Returns false at the first malformed message.
 */
import { BINARY_MAGIC } from '@mm/matching';
import type { ClientChannel } from './ClientChannel.js';
import type { EngineSession } from './EngineSession.js';
import type { TokenBucket } from './TokenBucket.js';

export function handlePayload(session: EngineSession, ch: ClientChannel, bucket: TokenBucket | null, nowMs: number, b: Uint8Array, off: number, len: number, isTcp: boolean): boolean {
  if (len > 0 && b[off] === BINARY_MAGIC) return session.handle(ch, bucket, nowMs, b, off, len, isTcp);
  const end = off + len;
  let s = off;
  for (let i = off; i < end; i++) {
    if (b[i] === 0x0a) {
      if (!session.handle(ch, bucket, nowMs, b, s, i - s, isTcp)) return false;
      s = i + 1;
    }
  }
  return s < end ? session.handle(ch, bucket, nowMs, b, s, end - s, isTcp) : true;
}
