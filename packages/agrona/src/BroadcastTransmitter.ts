import type { AtomicBuffer } from './AtomicBuffer.js';

/**
 * Single-writer side of Aeron's to-clients broadcast buffer (agrona broadcast layout, CnC 0.2.0).
 *
 * Layout: `[capacity bytes of records][128-byte trailer]`, capacity a power of two.
 * Trailer (from `capacity`): +0 int64 tail intent, +8 int64 tail, +16 int64 latest (start of the newest record).
 *
 * Record, 8-byte aligned:
 * ```
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                     Length (header + payload)                 |
 * +---------------------------------------------------------------+
 * |                     Message type id (-1 = padding)            |
 * +---------------------------------------------------------------+
 * |                     Payload ...                              ...
 * ```
 *
 * Invariants: exactly one transmitter per buffer (the driver); receivers never write, so the transmitter never waits
 * and a slow receiver is lapped. Tail intent is published before any byte of a record is overwritten, so a receiver
 * that re-checks the intent after copying can detect a torn copy. Allocates nothing per message.
 */
export const BROADCAST_TRAILER_LENGTH = 128;
export const BROADCAST_TAIL_INTENT_COUNTER_OFFSET = 0;
export const BROADCAST_TAIL_COUNTER_OFFSET = 8;
export const BROADCAST_LATEST_COUNTER_OFFSET = 16;
const RECORD_HEADER_LENGTH = 8;
const RECORD_ALIGNMENT = 8;
const PADDING_MSG_TYPE_ID = -1;

export class BroadcastTransmitter {
  readonly capacity: number;
  readonly maxMsgLength: number;
  private readonly buffer: AtomicBuffer;
  private readonly mask: number;
  private readonly tailIntentIndex: number;
  private readonly tailIndex: number;
  private readonly latestIndex: number;

  constructor(buffer: AtomicBuffer) {
    const capacity = buffer.capacity - BROADCAST_TRAILER_LENGTH;
    if (capacity <= 0 || (capacity & (capacity - 1)) !== 0) {
      throw new RangeError(`broadcast buffer capacity ${capacity} (length ${buffer.capacity} - trailer 128) is not a power of two`);
    }
    this.buffer = buffer;
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.maxMsgLength = capacity / 8;
    this.tailIntentIndex = capacity + BROADCAST_TAIL_INTENT_COUNTER_OFFSET;
    this.tailIndex = capacity + BROADCAST_TAIL_COUNTER_OFFSET;
    this.latestIndex = capacity + BROADCAST_LATEST_COUNTER_OFFSET;
  }

  /** Broadcasts `length` bytes of `src` from `srcOffset` as one record of type `msgTypeId` (>= 1). */
  transmit(msgTypeId: number, src: AtomicBuffer, srcOffset: number, length: number): void {
    if (msgTypeId < 1) throw new RangeError(`broadcast message type id must be >= 1, got ${msgTypeId}`);
    if (length < 0 || length > this.maxMsgLength) {
      throw new RangeError(`broadcast message length ${length} outside [0, ${this.maxMsgLength}]`);
    }
    const buffer = this.buffer;
    // Positions stay far below 2^53 (a 1 MiB buffer would need years of continuous traffic), so Numbers are exact.
    let currentTail = buffer.getInt64(this.tailIndex);
    let recordOffset = currentTail % this.capacity;
    const recordLength = RECORD_HEADER_LENGTH + length;
    const alignedRecordLength = (recordLength + RECORD_ALIGNMENT - 1) & ~(RECORD_ALIGNMENT - 1);
    const newTail = currentTail + alignedRecordLength;
    const toEndOfBuffer = this.capacity - recordOffset;

    if (toEndOfBuffer < alignedRecordLength) {
      buffer.putInt64Ordered(this.tailIntentIndex, newTail + toEndOfBuffer);
      buffer.putInt32(recordOffset, toEndOfBuffer);
      buffer.putInt32(recordOffset + 4, PADDING_MSG_TYPE_ID);
      currentTail += toEndOfBuffer;
      recordOffset = 0;
    } else {
      buffer.putInt64Ordered(this.tailIntentIndex, newTail);
    }

    buffer.putInt32(recordOffset, recordLength);
    buffer.putInt32(recordOffset + 4, msgTypeId);
    buffer.putBuffer(recordOffset + RECORD_HEADER_LENGTH, src, srcOffset, length);

    buffer.putInt64Ordered(this.latestIndex, currentTail);
    buffer.putInt64Ordered(this.tailIndex, currentTail + alignedRecordLength);
  }

  /** Bytes ever transmitted (the tail counter). */
  tail(): number {
    return this.buffer.getInt64Volatile(this.tailIndex);
  }

  /** Offset of the record at position `position` inside the buffer (for tests and tools). */
  offsetOf(position: number): number {
    return position & this.mask;
  }
}
