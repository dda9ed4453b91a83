/**
 * ADD_PUBLICATION (0x01) and ADD_EXCLUSIVE_PUBLICATION (0x03).
 *
 *   0  int64 client id | 8 int64 correlation id
 *   16 int32 stream id
 *   20 int32 channel length
 *   24 channel (ASCII)
 */
import { CORRELATED_MESSAGE_LENGTH, CorrelatedMessageFlyweight } from './CorrelatedMessageFlyweight.js';
import { Flyweight } from './Flyweight.js';

export const PUBLICATION_STREAM_ID_OFFSET = 16;
export const PUBLICATION_CHANNEL_OFFSET = 20;

export class PublicationMessageFlyweight extends CorrelatedMessageFlyweight {
  streamId(): number { return this.buffer.getInt32(this.offset + PUBLICATION_STREAM_ID_OFFSET); }
  setStreamId(v: number): this { this.buffer.putInt32(this.offset + PUBLICATION_STREAM_ID_OFFSET, v); return this; }
  channel(): string { return this.getString(PUBLICATION_CHANNEL_OFFSET); }
  setChannel(v: string): this { this.putString(PUBLICATION_CHANNEL_OFFSET, v); return this; }
  length(): number { return PUBLICATION_CHANNEL_OFFSET + 4 + this.stringLength(PUBLICATION_CHANNEL_OFFSET); }

  /** Driver side: validates a received command of `length` bytes. */
  validateLength(msgTypeId: number, length: number): void {
    Flyweight.checkLength(`publication command 0x${msgTypeId.toString(16)}`, length, PUBLICATION_CHANNEL_OFFSET + 4);
    Flyweight.checkLength(`publication command 0x${msgTypeId.toString(16)}`, length, this.length());
  }
}

export { CORRELATED_MESSAGE_LENGTH };
