/**
 * Header of every client command.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                         Client ID (int64)                     |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                       Correlation ID (int64)                  |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Used alone by CLIENT_KEEPALIVE (0x06) and CLIENT_CLOSE (0x0B).
 */
import { Flyweight } from './Flyweight.js';

export const CLIENT_ID_FIELD_OFFSET = 0;
export const CORRELATION_ID_FIELD_OFFSET = 8;
export const CORRELATED_MESSAGE_LENGTH = 16;

export class CorrelatedMessageFlyweight extends Flyweight {
  clientId(): number { return this.buffer.getInt64(this.offset + CLIENT_ID_FIELD_OFFSET); }
  setClientId(v: number): this { this.buffer.putInt64(this.offset + CLIENT_ID_FIELD_OFFSET, v); return this; }
  correlationId(): number { return this.buffer.getInt64(this.offset + CORRELATION_ID_FIELD_OFFSET); }
  setCorrelationId(v: number): this { this.buffer.putInt64(this.offset + CORRELATION_ID_FIELD_OFFSET, v); return this; }
}
