/**
 * Reads a distinct error log (Agrona `DistinctErrorLog`, Aeron C `aeron_distinct_error_log`): a sequence of
 * 8-aligned records, ended by a record whose length is 0.
 *
 *   +0  int32 length (header + text; release-stored last by the writer)
 *   +4  int32 observation count
 *   +8  int64 last observation timestamp (epoch ms)
 *   +16 int64 first observation timestamp (epoch ms)
 *   +24 UTF-8 text of (length - 24) bytes
 */
import type { AtomicBuffer } from './AtomicBuffer.js';
import { align } from './RingBufferDescriptor.js';

export const ErrorLogLayout = {
  LENGTH_OFFSET: 0,
  OBSERVATION_COUNT_OFFSET: 4,
  LAST_OBSERVATION_TIMESTAMP_OFFSET: 8,
  FIRST_OBSERVATION_TIMESTAMP_OFFSET: 16,
  ENCODED_ERROR_OFFSET: 24,
  RECORD_ALIGNMENT: 8,
} as const;

export type ErrorConsumer = (observationCount: number, firstTimestampMs: number, lastTimestampMs: number, encodedError: string) => void;

const decoder = new TextDecoder('utf-8');

export const ErrorLogReader = {
  /** True when at least one error has been recorded. */
  hasErrors(buffer: AtomicBuffer): boolean {
    return buffer.capacity >= ErrorLogLayout.ENCODED_ERROR_OFFSET && buffer.getInt32Volatile(0) > 0;
  },

  /** Calls `consumer` for each error last observed at or after `sinceTimestampMs`; returns how many. */
  read(buffer: AtomicBuffer, consumer: ErrorConsumer, sinceTimestampMs = 0): number {
    let entries = 0;
    let offset = 0;
    const capacity = buffer.capacity;
    while (offset + ErrorLogLayout.ENCODED_ERROR_OFFSET <= capacity) {
      const length = buffer.getInt32Volatile(offset + ErrorLogLayout.LENGTH_OFFSET);
      if (length <= 0) break;
      if (length < ErrorLogLayout.ENCODED_ERROR_OFFSET || offset + length > capacity) {
        throw new RangeError(`corrupt error log record at ${offset}: length ${length}`);
      }
      const last = buffer.getInt64VolatileNumber(offset + ErrorLogLayout.LAST_OBSERVATION_TIMESTAMP_OFFSET);
      if (last >= sinceTimestampMs) {
        entries++;
        const text = decoder.decode(buffer.bytes.subarray(offset + ErrorLogLayout.ENCODED_ERROR_OFFSET, offset + length));
        consumer(
          buffer.getInt32Volatile(offset + ErrorLogLayout.OBSERVATION_COUNT_OFFSET),
          buffer.getInt64(offset + ErrorLogLayout.FIRST_OBSERVATION_TIMESTAMP_OFFSET),
          last,
          text,
        );
      }
      offset += align(length, ErrorLogLayout.RECORD_ALIGNMENT);
    }
    return entries;
  },
} as const;
