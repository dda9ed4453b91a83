/**
 * Receiver side of a broadcast buffer (Agrona `BroadcastReceiver`, Aeron C `aeron_broadcast_receiver`).
 *
 * Invariants and limits:
 * - Starts at the latest record: older messages are never seen.
 * - Each receiver keeps its own cursor; nothing flows back to the transmitter. A receiver that falls a whole
 *   capacity behind is lapped: `lappedCount` goes up and it jumps to the latest record (messages are lost).
 * - A record read in place may be overwritten while it is read: call `validate()` after using it (or use
 *   `CopyBroadcastReceiver`, which copies and validates).
 */
import type { AtomicBuffer } from './AtomicBuffer.js';
import { BroadcastBufferDescriptor as D, BroadcastRecord as R } from './BroadcastBufferDescriptor.js';
import { align } from './RingBufferDescriptor.js';

export class BroadcastReceiver {
  readonly buffer: AtomicBuffer;
  readonly capacity: number;
  private readonly mask: number;
  private readonly tailIntentCounterIndex: number;
  private readonly tailCounterIndex: number;
  private readonly latestCounterIndex: number;
  private recordOffset = 0;
  private cursor: number;
  private nextRecord: number;
  /** Times this receiver was lapped by the transmitter (each time messages were lost). */
  lappedCount = 0;

  constructor(buffer: AtomicBuffer) {
    const capacity = buffer.capacity - D.TRAILER_LENGTH;
    D.checkCapacity(capacity);
    this.buffer = buffer;
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.tailIntentCounterIndex = capacity + D.TAIL_INTENT_COUNTER_OFFSET;
    this.tailCounterIndex = capacity + D.TAIL_COUNTER_OFFSET;
    this.latestCounterIndex = capacity + D.LATEST_COUNTER_OFFSET;
    this.cursor = buffer.getInt64VolatileNumber(this.latestCounterIndex);
    this.nextRecord = this.cursor;
    this.recordOffset = this.cursor % capacity;
  }

  typeId(): number { return this.buffer.getInt32(R.typeOffset(this.recordOffset)); }
  /** Offset of the current message's payload in `buffer`. */
  offset(): number { return R.msgOffset(this.recordOffset); }
  length(): number { return this.buffer.getInt32(R.lengthOffset(this.recordOffset)) - R.HEADER_LENGTH; }

  /** Moves to the next record if there is one. */
  receiveNext(): boolean {
    const b = this.buffer;
    const tail = b.getInt64VolatileNumber(this.tailCounterIndex);
    let cursor = this.nextRecord;
    if (tail <= cursor) return false;
    let recordOffset = cursor % this.capacity;
    if (!this.validateAt(cursor)) {
      this.lappedCount++;
      cursor = b.getInt64VolatileNumber(this.latestCounterIndex);
      recordOffset = cursor % this.capacity;
    }
    this.cursor = cursor;
    this.nextRecord = cursor + align(b.getInt32(R.lengthOffset(recordOffset)), R.RECORD_ALIGNMENT);
    if (b.getInt32(R.typeOffset(recordOffset)) === R.PADDING_MSG_TYPE_ID) {
      recordOffset = 0;
      this.cursor = this.nextRecord;
      this.nextRecord += align(b.getInt32(R.lengthOffset(recordOffset)), R.RECORD_ALIGNMENT);
    }
    this.recordOffset = recordOffset & this.mask;
    return true;
  }

  /** True while the current record cannot yet have been overwritten. */
  validate(): boolean { return this.validateAt(this.cursor); }

  private validateAt(cursor: number): boolean {
    return cursor + this.capacity > this.buffer.getInt64VolatileNumber(this.tailIntentCounterIndex);
  }
}
