/**
 * Layout of Agrona's/Aeron's ring buffers (the CnC to-driver buffer): `[capacity bytes of records][trailer]`.
 *
 * Trailer (offsets from `capacity`; each field has its own 128-byte slot against false sharing):
 *
 *   +128 int64 tail position            producers, CAS
 *   +256 int64 head cache position      producers, ordered store
 *   +384 int64 head position            consumer, ordered store after zeroing what it consumed
 *   +512 int64 correlation counter      anyone, getAndAdd(1)
 *   +640 int64 consumer heartbeat (ms)  consumer, ordered store
 *
 * Record (aligned to 8):
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |R|                 Length (header + payload)                     |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                   Message Type Id (>= 1; -1 = padding)          |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                   Payload ...                                   |
 *
 * A negative length marks a claimed, uncommitted record; 0 means free.
 */
export const RingBufferDescriptor = {
  TAIL_POSITION_OFFSET: 128,
  HEAD_CACHE_POSITION_OFFSET: 256,
  HEAD_POSITION_OFFSET: 384,
  CORRELATION_COUNTER_OFFSET: 512,
  CONSUMER_HEARTBEAT_OFFSET: 640,
  TRAILER_LENGTH: 768,

  /** Throws unless `capacity` (buffer length minus the trailer) is a positive power of two. */
  checkCapacity(capacity: number, what = 'ring buffer'): void {
    if (!(capacity > 0) || (capacity & (capacity - 1)) !== 0 || capacity > 0x40000000) {
      throw new RangeError(`${what} capacity ${capacity} (length minus the ${768}-byte trailer) must be a power of two`);
    }
  },
} as const;

export const RingBufferRecord = {
  HEADER_LENGTH: 8,
  ALIGNMENT: 8,
  PADDING_MSG_TYPE_ID: -1,
  lengthOffset(recordOffset: number): number { return recordOffset; },
  typeOffset(recordOffset: number): number { return recordOffset + 4; },
  encodedMsgOffset(recordOffset: number): number { return recordOffset + 8; },
} as const;

export function align(value: number, alignment: number): number {
  return (value + alignment - 1) & ~(alignment - 1);
}
