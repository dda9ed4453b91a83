/**
 * ON_PUBLICATION_READY (0x0F03) and ON_EXCLUSIVE_PUBLICATION_READY (0x0F06).
 *
 *   0  int64 correlation id (of the add command)
 *   8  int64 registration id (of the publication; the first adder's for a shared IPC publication)
 *   16 int32 session id
 *   20 int32 stream id
 *   24 int32 publication limit counter id
 *   28 int32 channel status indicator id (-1 for IPC)
 *   32 int32 log file name length
 *   36 log file name (absolute path)
 */
import { Flyweight } from './Flyweight.js';

export const PUB_READY_CORRELATION_ID_OFFSET = 0;
export const PUB_READY_REGISTRATION_ID_OFFSET = 8;
export const PUB_READY_SESSION_ID_OFFSET = 16;
export const PUB_READY_STREAM_ID_OFFSET = 20;
export const PUB_READY_PUBLICATION_LIMIT_COUNTER_ID_OFFSET = 24;
export const PUB_READY_CHANNEL_STATUS_INDICATOR_ID_OFFSET = 28;
export const PUB_READY_LOG_FILE_NAME_OFFSET = 32;

export class PublicationBuffersReadyFlyweight extends Flyweight {
  correlationId(): number { return this.buffer.getInt64(this.offset + PUB_READY_CORRELATION_ID_OFFSET); }
  setCorrelationId(v: number): this { this.buffer.putInt64(this.offset + PUB_READY_CORRELATION_ID_OFFSET, v); return this; }
  registrationId(): number { return this.buffer.getInt64(this.offset + PUB_READY_REGISTRATION_ID_OFFSET); }
  setRegistrationId(v: number): this { this.buffer.putInt64(this.offset + PUB_READY_REGISTRATION_ID_OFFSET, v); return this; }
  sessionId(): number { return this.buffer.getInt32(this.offset + PUB_READY_SESSION_ID_OFFSET); }
  setSessionId(v: number): this { this.buffer.putInt32(this.offset + PUB_READY_SESSION_ID_OFFSET, v); return this; }
  streamId(): number { return this.buffer.getInt32(this.offset + PUB_READY_STREAM_ID_OFFSET); }
  setStreamId(v: number): this { this.buffer.putInt32(this.offset + PUB_READY_STREAM_ID_OFFSET, v); return this; }
  publicationLimitCounterId(): number { return this.buffer.getInt32(this.offset + PUB_READY_PUBLICATION_LIMIT_COUNTER_ID_OFFSET); }
  setPublicationLimitCounterId(v: number): this { this.buffer.putInt32(this.offset + PUB_READY_PUBLICATION_LIMIT_COUNTER_ID_OFFSET, v); return this; }
  channelStatusIndicatorId(): number { return this.buffer.getInt32(this.offset + PUB_READY_CHANNEL_STATUS_INDICATOR_ID_OFFSET); }
  setChannelStatusIndicatorId(v: number): this { this.buffer.putInt32(this.offset + PUB_READY_CHANNEL_STATUS_INDICATOR_ID_OFFSET, v); return this; }
  logFileName(): string { return this.getString(PUB_READY_LOG_FILE_NAME_OFFSET); }
  setLogFileName(v: string): this { this.putString(PUB_READY_LOG_FILE_NAME_OFFSET, v); return this; }
  length(): number { return PUB_READY_LOG_FILE_NAME_OFFSET + 4 + this.stringLength(PUB_READY_LOG_FILE_NAME_OFFSET); }
}
