/**
 * ADD_SUBSCRIPTION (0x04).
 *
 *   0  int64 client id | 8 int64 correlation id
 *   16 int64 registration correlation id (Java sends -1, C leaves 0; the driver ignores it)
 *   24 int32 stream id
 *   28 int32 channel length
 *   32 channel (ASCII)
 */
import { CorrelatedMessageFlyweight } from './CorrelatedMessageFlyweight.js';
import { Flyweight } from './Flyweight.js';

export const SUBSCRIPTION_REGISTRATION_CORRELATION_ID_OFFSET = 16;
export const SUBSCRIPTION_STREAM_ID_OFFSET = 24;
export const SUBSCRIPTION_CHANNEL_OFFSET = 28;

export class SubscriptionMessageFlyweight extends CorrelatedMessageFlyweight {
  registrationCorrelationId(): number { return this.buffer.getInt64(this.offset + SUBSCRIPTION_REGISTRATION_CORRELATION_ID_OFFSET); }
  setRegistrationCorrelationId(v: number): this {
    this.buffer.putInt64(this.offset + SUBSCRIPTION_REGISTRATION_CORRELATION_ID_OFFSET, v);
    return this;
  }
  streamId(): number { return this.buffer.getInt32(this.offset + SUBSCRIPTION_STREAM_ID_OFFSET); }
  setStreamId(v: number): this { this.buffer.putInt32(this.offset + SUBSCRIPTION_STREAM_ID_OFFSET, v); return this; }
  channel(): string { return this.getString(SUBSCRIPTION_CHANNEL_OFFSET); }
  setChannel(v: string): this { this.putString(SUBSCRIPTION_CHANNEL_OFFSET, v); return this; }
  length(): number { return SUBSCRIPTION_CHANNEL_OFFSET + 4 + this.stringLength(SUBSCRIPTION_CHANNEL_OFFSET); }
  validateLength(length: number): void {
    Flyweight.checkLength('ADD_SUBSCRIPTION', length, SUBSCRIPTION_CHANNEL_OFFSET + 4);
    Flyweight.checkLength('ADD_SUBSCRIPTION', length, this.length());
  }
}
