/**
 * ON_AVAILABLE_IMAGE (0x0F02).
 *
 *   0  int64 correlation id (= the publication's registration id: the image's key)
 *   8  int32 session id
 *   12 int32 stream id
 *   16 int64 subscription registration id
 *   24 int32 subscriber position counter id
 *   28 int32 log file name length
 *   32 log file name
 *   32 + align(nameLength, 4): int32 source identity length, then source identity ("aeron:ipc" for IPC)
 */
import { Flyweight, align4 } from './Flyweight.js';

export const IMAGE_CORRELATION_ID_OFFSET = 0;
export const IMAGE_SESSION_ID_OFFSET = 8;
export const IMAGE_STREAM_ID_OFFSET = 12;
export const IMAGE_SUBSCRIPTION_REGISTRATION_ID_OFFSET = 16;
export const IMAGE_SUBSCRIBER_POSITION_ID_OFFSET = 24;
export const IMAGE_LOG_FILE_NAME_OFFSET = 28;

export class ImageBuffersReadyFlyweight extends Flyweight {
  correlationId(): number { return this.buffer.getInt64(this.offset + IMAGE_CORRELATION_ID_OFFSET); }
  setCorrelationId(v: number): this { this.buffer.putInt64(this.offset + IMAGE_CORRELATION_ID_OFFSET, v); return this; }
  sessionId(): number { return this.buffer.getInt32(this.offset + IMAGE_SESSION_ID_OFFSET); }
  setSessionId(v: number): this { this.buffer.putInt32(this.offset + IMAGE_SESSION_ID_OFFSET, v); return this; }
  streamId(): number { return this.buffer.getInt32(this.offset + IMAGE_STREAM_ID_OFFSET); }
  setStreamId(v: number): this { this.buffer.putInt32(this.offset + IMAGE_STREAM_ID_OFFSET, v); return this; }
  subscriptionRegistrationId(): number { return this.buffer.getInt64(this.offset + IMAGE_SUBSCRIPTION_REGISTRATION_ID_OFFSET); }
  setSubscriptionRegistrationId(v: number): this { this.buffer.putInt64(this.offset + IMAGE_SUBSCRIPTION_REGISTRATION_ID_OFFSET, v); return this; }
  subscriberPositionId(): number { return this.buffer.getInt32(this.offset + IMAGE_SUBSCRIBER_POSITION_ID_OFFSET); }
  setSubscriberPositionId(v: number): this { this.buffer.putInt32(this.offset + IMAGE_SUBSCRIBER_POSITION_ID_OFFSET, v); return this; }
  logFileName(): string { return this.getString(IMAGE_LOG_FILE_NAME_OFFSET); }
  setLogFileName(v: string): this { this.putString(IMAGE_LOG_FILE_NAME_OFFSET, v); return this; }
  private sourceIdentityOffset(): number {
    return IMAGE_LOG_FILE_NAME_OFFSET + 4 + align4(this.stringLength(IMAGE_LOG_FILE_NAME_OFFSET));
  }
  /** Set the log file name first: the source identity follows it. */
  sourceIdentity(): string { return this.getString(this.sourceIdentityOffset()); }
  setSourceIdentity(v: string): this { this.putString(this.sourceIdentityOffset(), v); return this; }
  length(): number { return this.sourceIdentityOffset() + 4 + this.stringLength(this.sourceIdentityOffset()); }
}
