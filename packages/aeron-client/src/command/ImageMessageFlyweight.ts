/**
 * ON_UNAVAILABLE_IMAGE (0x0F05).
 *
 *   0  int64 image correlation id (= publication registration id)
 *   8  int64 subscription registration id
 *   16 int32 stream id
 *   20 int32 channel length
 *   24 channel
 */
import { Flyweight } from './Flyweight.js';

export const IMAGE_MSG_CORRELATION_ID_OFFSET = 0;
export const IMAGE_MSG_SUBSCRIPTION_REGISTRATION_ID_OFFSET = 8;
export const IMAGE_MSG_STREAM_ID_OFFSET = 16;
export const IMAGE_MSG_CHANNEL_OFFSET = 20;

export class ImageMessageFlyweight extends Flyweight {
  correlationId(): number { return this.buffer.getInt64(this.offset + IMAGE_MSG_CORRELATION_ID_OFFSET); }
  setCorrelationId(v: number): this { this.buffer.putInt64(this.offset + IMAGE_MSG_CORRELATION_ID_OFFSET, v); return this; }
  subscriptionRegistrationId(): number { return this.buffer.getInt64(this.offset + IMAGE_MSG_SUBSCRIPTION_REGISTRATION_ID_OFFSET); }
  setSubscriptionRegistrationId(v: number): this { this.buffer.putInt64(this.offset + IMAGE_MSG_SUBSCRIPTION_REGISTRATION_ID_OFFSET, v); return this; }
  streamId(): number { return this.buffer.getInt32(this.offset + IMAGE_MSG_STREAM_ID_OFFSET); }
  setStreamId(v: number): this { this.buffer.putInt32(this.offset + IMAGE_MSG_STREAM_ID_OFFSET, v); return this; }
  channel(): string { return this.getString(IMAGE_MSG_CHANNEL_OFFSET); }
  setChannel(v: string): this { this.putString(IMAGE_MSG_CHANNEL_OFFSET, v); return this; }
  length(): number { return IMAGE_MSG_CHANNEL_OFFSET + 4 + this.stringLength(IMAGE_MSG_CHANNEL_OFFSET); }
}
