/**
 * Layout of Agrona's/Aeron's broadcast buffer (the CnC to-clients buffer): `[capacity bytes][128-byte trailer]`.
 *
 * Trailer: +0 int64 tail intent counter, +8 int64 tail counter, +16 int64 latest counter (start of the newest
 * record). Records are `[length int32][msgTypeId int32][payload]`, 8-aligned; length counts the 8-byte header;
 * type -1 is padding. One transmitter, any number of receivers, no back pressure: slow receivers get lapped.
 */
export const BroadcastBufferDescriptor = {
  TAIL_INTENT_COUNTER_OFFSET: 0,
  TAIL_COUNTER_OFFSET: 8,
  LATEST_COUNTER_OFFSET: 16,
  TRAILER_LENGTH: 128,
  checkCapacity(capacity: number): void {
    if (!(capacity > 0) || (capacity & (capacity - 1)) !== 0 || capacity > 0x40000000) {
      throw new RangeError(`broadcast buffer capacity ${capacity} (length minus the 128-byte trailer) must be a power of two`);
    }
  },
} as const;

export const BroadcastRecord = {
  HEADER_LENGTH: 8,
  RECORD_ALIGNMENT: 8,
  PADDING_MSG_TYPE_ID: -1,
  lengthOffset(recordOffset: number): number { return recordOffset; },
  typeOffset(recordOffset: number): number { return recordOffset + 4; },
  msgOffset(recordOffset: number): number { return recordOffset + 8; },
} as const;
