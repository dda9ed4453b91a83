/**
 * Many-producer, one-consumer ring buffer over shared memory, byte-compatible with Agrona's `ManyToOneRingBuffer`
 * and Aeron C's `aeron_mpsc_rb` (the CnC to-driver buffer). Producers are clients in any process; the consumer is
 * the media driver.
 *
 * Invariants:
 * - Capacity is a power of two; records are 8-aligned; max payload = capacity / 8.
 * - Producers claim space by CAS on the tail, write `-length` (claimed), type and payload, then release-store
 *   `+length` (commit). A record that would wrap is preceded by a padding record to the end of the buffer.
 * - The consumer zeroes every byte it consumed BEFORE release-storing the new head: producers rely on a zero
 *   length meaning "free".
 * - Positions are byte counts held as Numbers (exact below 2^53 bytes, i.e. centuries of traffic); the 64-bit
 *   fields themselves are always accessed atomically.
 */
import type { AtomicBuffer } from './AtomicBuffer.js';
import { RingBufferDescriptor as D, RingBufferRecord as R, align } from './RingBufferDescriptor.js';

/** `(msgTypeId, buffer, index, length)`: the payload is `buffer[index, index + length)`, valid during the call. */
export type MessageHandler = (msgTypeId: number, buffer: AtomicBuffer, index: number, length: number) => void;

export const INSUFFICIENT_CAPACITY = -2;

export class ManyToOneRingBuffer {
  readonly buffer: AtomicBuffer;
  readonly capacity: number;
  readonly maxMsgLength: number;
  private readonly tailPositionIndex: number;
  private readonly headCachePositionIndex: number;
  private readonly headPositionIndex: number;
  private readonly correlationIdCounterIndex: number;
  private readonly consumerHeartbeatIndex: number;

  constructor(buffer: AtomicBuffer) {
    const capacity = buffer.capacity - D.TRAILER_LENGTH;
    D.checkCapacity(capacity);
    this.buffer = buffer;
    this.capacity = capacity;
    this.maxMsgLength = capacity >> 3;
    this.tailPositionIndex = capacity + D.TAIL_POSITION_OFFSET;
    this.headCachePositionIndex = capacity + D.HEAD_CACHE_POSITION_OFFSET;
    this.headPositionIndex = capacity + D.HEAD_POSITION_OFFSET;
    this.correlationIdCounterIndex = capacity + D.CORRELATION_COUNTER_OFFSET;
    this.consumerHeartbeatIndex = capacity + D.CONSUMER_HEARTBEAT_OFFSET;
  }

  /** Copies `src[srcIndex, srcIndex + length)` in as one record; false when the buffer is full. */
  write(msgTypeId: number, src: AtomicBuffer, srcIndex: number, length: number): boolean {
    const recordIndex = this.tryClaim(msgTypeId, length);
    if (recordIndex < 0) return false;
    this.buffer.putBuffer(R.encodedMsgOffset(recordIndex), src, srcIndex, length);
    this.commit(recordIndex);
    return true;
  }

  /**
   * Claims a record of `length` payload bytes. Returns the record's index (payload at index + 8) or
   * INSUFFICIENT_CAPACITY. Must be followed by `commit` or `abort`.
   */
  tryClaim(msgTypeId: number, length: number): number {
    if (!Number.isInteger(msgTypeId) || msgTypeId < 1) throw new RangeError(`message type id ${msgTypeId} must be >= 1`);
    if (!Number.isInteger(length) || length < 0 || length > this.maxMsgLength) {
      throw new RangeError(`encoded message length ${length} exceeds maxMsgLength ${this.maxMsgLength} (or is negative)`);
    }
    const recordLength = length + R.HEADER_LENGTH;
    const recordIndex = this.claimCapacity(align(recordLength, R.ALIGNMENT));
    if (recordIndex < 0) return recordIndex;
    this.buffer.putInt32Ordered(R.lengthOffset(recordIndex), -recordLength);
    this.buffer.putInt32(R.typeOffset(recordIndex), msgTypeId);
    return recordIndex;
  }

  commit(recordIndex: number): void {
    const length = this.buffer.getInt32(R.lengthOffset(recordIndex));
    if (length >= 0) throw new Error(`ring buffer record at ${recordIndex} is not claimed (length ${length})`);
    this.buffer.putInt32Ordered(R.lengthOffset(recordIndex), -length);
  }

  abort(recordIndex: number): void {
    const length = this.buffer.getInt32(R.lengthOffset(recordIndex));
    if (length >= 0) throw new Error(`ring buffer record at ${recordIndex} is not claimed (length ${length})`);
    this.buffer.putInt32(R.typeOffset(recordIndex), R.PADDING_MSG_TYPE_ID);
    this.buffer.putInt32Ordered(R.lengthOffset(recordIndex), -length);
  }

  private claimCapacity(required: number): number {
    const b = this.buffer;
    const capacity = this.capacity;
    const mask = capacity - 1;
    let head = b.getInt64VolatileNumber(this.headCachePositionIndex);
    for (;;) {
      const tailBig = b.getInt64VolatileBigInt(this.tailPositionIndex);
      const tail = Number(tailBig);
      const availableCapacity = capacity - (tail - head);
      if (required > availableCapacity) {
        head = b.getInt64VolatileNumber(this.headPositionIndex);
        if (required > capacity - (tail - head)) return INSUFFICIENT_CAPACITY;
        b.putInt64Ordered(this.headCachePositionIndex, head);
      }
      let padding = 0;
      const tailIndex = tail % capacity;
      const toBufferEndLength = capacity - tailIndex;
      if (required > toBufferEndLength) {
        let headIndex = head % capacity;
        if (required > headIndex) {
          head = b.getInt64VolatileNumber(this.headPositionIndex);
          headIndex = head % capacity;
          if (required > headIndex) return INSUFFICIENT_CAPACITY;
          b.putInt64Ordered(this.headCachePositionIndex, head);
        }
        padding = toBufferEndLength;
      }
      if (b.compareAndSetInt64BigInt(this.tailPositionIndex, tailBig, BigInt(tail + required + padding))) {
        if (padding !== 0) {
          b.putInt32Ordered(R.lengthOffset(tailIndex), -padding);
          b.putInt32(R.typeOffset(tailIndex), R.PADDING_MSG_TYPE_ID);
          b.putInt32Ordered(R.lengthOffset(tailIndex), padding);
          return 0;
        }
        return tailIndex & mask;
      }
    }
  }

  /**
   * Consumer side: reads up to `messageCountLimit` records from the head to the end of the buffer (never
   * wrapping within one call), zeroes them and releases the head. Returns the number of messages handled.
   */
  read(handler: MessageHandler, messageCountLimit = Number.MAX_SAFE_INTEGER): number {
    const b = this.buffer;
    const head = b.getInt64(this.headPositionIndex);
    const headIndex = head % this.capacity;
    const contiguousBlockLength = this.capacity - headIndex;
    let messagesRead = 0;
    let bytesRead = 0;
    try {
      while (bytesRead < contiguousBlockLength && messagesRead < messageCountLimit) {
        const recordIndex = headIndex + bytesRead;
        const recordLength = b.getInt32Volatile(R.lengthOffset(recordIndex));
        if (recordLength <= 0) break;
        bytesRead += align(recordLength, R.ALIGNMENT);
        const msgTypeId = b.getInt32(R.typeOffset(recordIndex));
        if (msgTypeId === R.PADDING_MSG_TYPE_ID) continue;
        messagesRead++;
        handler(msgTypeId, b, R.encodedMsgOffset(recordIndex), recordLength - R.HEADER_LENGTH);
      }
    } finally {
      if (bytesRead !== 0) {
        b.setMemory(headIndex, bytesRead, 0);
        b.putInt64Ordered(this.headPositionIndex, head + bytesRead);
      }
    }
    return messagesRead;
  }

  /** Next id from the shared correlation counter (getAndAdd 1), the source of client ids and correlation ids. */
  nextCorrelationId(): number {
    return Number(this.buffer.getAndAddInt64BigInt(this.correlationIdCounterIndex, 1n));
  }

  consumerHeartbeatTime(): number { return this.buffer.getInt64VolatileNumber(this.consumerHeartbeatIndex); }
  setConsumerHeartbeatTime(epochMs: number): void { this.buffer.putInt64Ordered(this.consumerHeartbeatIndex, epochMs); }
  producerPosition(): number { return this.buffer.getInt64VolatileNumber(this.tailPositionIndex); }
  consumerPosition(): number { return this.buffer.getInt64VolatileNumber(this.headPositionIndex); }

  /** Bytes currently claimed and not yet consumed. */
  size(): number {
    let headBefore: number;
    let tail: number;
    let headAfter = this.consumerPosition();
    do {
      headBefore = headAfter;
      tail = this.producerPosition();
      headAfter = this.consumerPosition();
    } while (headAfter !== headBefore);
    return tail - headAfter;
  }

  /**
   * Consumer side: when a producer died between claim and commit, the head stalls on a negative length forever.
   * Turns the stalled region into padding so reading can continue (the driver calls this after the client
   * liveness timeout with no progress). Returns true when something was unblocked.
   */
  unblock(): boolean {
    const b = this.buffer;
    const headPosition = this.consumerPosition();
    const tailPosition = this.producerPosition();
    if (headPosition === tailPosition) return false;
    const consumerIndex = headPosition % this.capacity;
    const producerIndex = tailPosition % this.capacity;
    const limit = producerIndex > consumerIndex ? producerIndex : this.capacity;
    const length = b.getInt32Volatile(consumerIndex);
    if (length < 0) {
      b.putInt32(R.typeOffset(consumerIndex), R.PADDING_MSG_TYPE_ID);
      b.putInt32Ordered(R.lengthOffset(consumerIndex), -length);
      return true;
    }
    if (length === 0) {
      // Claimed but not even the -length written yet: pad up to the next non-zero record if all between is zero.
      for (let i = consumerIndex + R.ALIGNMENT; i < limit; i += R.ALIGNMENT) {
        if (b.getInt32Volatile(i) !== 0) {
          for (let j = consumerIndex + R.ALIGNMENT; j < i; j += R.ALIGNMENT) if (b.getInt32(j) !== 0) return false;
          b.putInt32(R.typeOffset(consumerIndex), R.PADDING_MSG_TYPE_ID);
          b.putInt32Ordered(R.lengthOffset(consumerIndex), i - consumerIndex);
          return true;
        }
      }
    }
    return false;
  }
}
