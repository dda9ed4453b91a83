/**
 * Aeron data frame header (32 bytes), little-endian.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |R|                       Frame Length                          |  commit flag: release-stored last
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Version      |B|E|S|  Flags  |             Type              |  BEGIN 0x80, END 0x40, EOS 0x20
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                         Term Offset                           |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                         Session ID                            |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                         Stream ID                             |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                         Term ID                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                     Reserved Value (int64)                    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Frames are aligned to 32 bytes in a term; frame length counts header + payload (unaligned). A negative frame
 * length means claimed but not committed; 0 means nothing there (cleaned).
 */
import type { AtomicBuffer } from '@mm/agrona';

export const HEADER_LENGTH = 32;
export const FRAME_ALIGNMENT = 32;
export const FRAME_LENGTH_FIELD_OFFSET = 0;
export const VERSION_FIELD_OFFSET = 4;
export const FLAGS_FIELD_OFFSET = 5;
export const TYPE_FIELD_OFFSET = 6;
export const TERM_OFFSET_FIELD_OFFSET = 8;
export const SESSION_ID_FIELD_OFFSET = 12;
export const STREAM_ID_FIELD_OFFSET = 16;
export const TERM_ID_FIELD_OFFSET = 20;
export const RESERVED_VALUE_OFFSET = 24;
export const CURRENT_VERSION = 0;
export const BEGIN_FLAG = 0x80;
export const END_FLAG = 0x40;
export const BEGIN_AND_END_FLAGS = 0xc0;
export const EOS_FLAG = 0x20;
export const HDR_TYPE_PAD = 0x00;
export const HDR_TYPE_DATA = 0x01;

export class DataHeaderFlyweight {
  buffer!: AtomicBuffer;
  offset = 0;

  constructor(buffer?: AtomicBuffer, offset = 0) {
    if (buffer !== undefined) this.wrap(buffer, offset);
  }

  wrap(buffer: AtomicBuffer, offset = 0): this {
    this.buffer = buffer;
    this.offset = offset;
    return this;
  }

  frameLength(): number { return this.buffer.getInt32(this.offset); }
  setFrameLength(v: number): this { this.buffer.putInt32(this.offset, v); return this; }
  version(): number { return this.buffer.getUint8(this.offset + VERSION_FIELD_OFFSET); }
  setVersion(v: number): this { this.buffer.putUint8(this.offset + VERSION_FIELD_OFFSET, v); return this; }
  flags(): number { return this.buffer.getUint8(this.offset + FLAGS_FIELD_OFFSET); }
  setFlags(v: number): this { this.buffer.putUint8(this.offset + FLAGS_FIELD_OFFSET, v); return this; }
  headerType(): number { return this.buffer.getUint16(this.offset + TYPE_FIELD_OFFSET); }
  setHeaderType(v: number): this { this.buffer.putUint16(this.offset + TYPE_FIELD_OFFSET, v); return this; }
  termOffset(): number { return this.buffer.getInt32(this.offset + TERM_OFFSET_FIELD_OFFSET); }
  setTermOffset(v: number): this { this.buffer.putInt32(this.offset + TERM_OFFSET_FIELD_OFFSET, v); return this; }
  sessionId(): number { return this.buffer.getInt32(this.offset + SESSION_ID_FIELD_OFFSET); }
  setSessionId(v: number): this { this.buffer.putInt32(this.offset + SESSION_ID_FIELD_OFFSET, v); return this; }
  streamId(): number { return this.buffer.getInt32(this.offset + STREAM_ID_FIELD_OFFSET); }
  setStreamId(v: number): this { this.buffer.putInt32(this.offset + STREAM_ID_FIELD_OFFSET, v); return this; }
  termId(): number { return this.buffer.getInt32(this.offset + TERM_ID_FIELD_OFFSET); }
  setTermId(v: number): this { this.buffer.putInt32(this.offset + TERM_ID_FIELD_OFFSET, v); return this; }
  reservedValue(): bigint { return this.buffer.getInt64BigInt(this.offset + RESERVED_VALUE_OFFSET); }
  setReservedValue(v: bigint): this { this.buffer.putInt64BigInt(this.offset + RESERVED_VALUE_OFFSET, v); return this; }
  dataOffset(): number { return this.offset + HEADER_LENGTH; }

  /** Writes a default DATA header (frame length 0, flags 0xC0) as Aeron stores it in the log metadata. */
  static createDefaultHeader(buffer: AtomicBuffer, offset: number, sessionId: number, streamId: number, termId: number): void {
    buffer.setMemory(offset, HEADER_LENGTH, 0);
    buffer.putUint8(offset + VERSION_FIELD_OFFSET, CURRENT_VERSION);
    buffer.putUint8(offset + FLAGS_FIELD_OFFSET, BEGIN_AND_END_FLAGS);
    buffer.putUint16(offset + TYPE_FIELD_OFFSET, HDR_TYPE_DATA);
    buffer.putInt32(offset + SESSION_ID_FIELD_OFFSET, sessionId);
    buffer.putInt32(offset + STREAM_ID_FIELD_OFFSET, streamId);
    buffer.putInt32(offset + TERM_ID_FIELD_OFFSET, termId);
  }
}
