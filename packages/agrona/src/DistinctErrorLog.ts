import type { AtomicBuffer } from './AtomicBuffer.js';

/**
 * Aeron's distinct error log (the CnC error log region, read by `ErrorStat` and the client's ErrorLogReader).
 *
 * Record, 8-byte aligned, one per distinct error:
 *   +0 int32 length (header + text; release-stored last, 0 ends the log), +4 int32 observation count (atomic add),
 *   +8 int64 last observation timestamp (epoch ms, release store), +16 int64 first observation timestamp,
 *   +24 UTF-8 description of (length - 24) bytes.
 *
 * Invariants: one writer (the driver conductor); an error is "the same" when its description text is identical, in
 * which case only its count and last timestamp change. When the buffer is full a new distinct error is dropped and
 * `record` returns false (as Aeron does); repeats of already-logged errors are still counted.
 */
export const ERROR_LOG_LENGTH_OFFSET = 0;
export const ERROR_LOG_OBSERVATION_COUNT_OFFSET = 4;
export const ERROR_LOG_LAST_OBSERVATION_TIMESTAMP_OFFSET = 8;
export const ERROR_LOG_FIRST_OBSERVATION_TIMESTAMP_OFFSET = 16;
export const ERROR_LOG_ENCODED_ERROR_OFFSET = 24;
export const ERROR_LOG_RECORD_ALIGNMENT = 8;

const encoder = new TextEncoder();

export class DistinctErrorLog {
  private readonly buffer: AtomicBuffer;
  private readonly epochClockMs: () => number;
  private readonly offsetsByDescription = new Map<string, number>();
  private nextOffset = 0;

  constructor(buffer: AtomicBuffer, epochClockMs: () => number = Date.now) {
    this.buffer = buffer;
    this.epochClockMs = epochClockMs;
  }

  /** Records an observation of an error; returns false if a new distinct error did not fit. */
  record(error: unknown): boolean {
    return this.recordDescription(DistinctErrorLog.describe(error));
  }

  recordDescription(description: string): boolean {
    const timestampMs = this.epochClockMs();
    const existing = this.offsetsByDescription.get(description);
    if (existing !== undefined) {
      this.observe(existing, timestampMs);
      return true;
    }
    const encoded = encoder.encode(description);
    const length = ERROR_LOG_ENCODED_ERROR_OFFSET + encoded.length;
    const offset = this.nextOffset;
    if (offset + length > this.buffer.capacity) return false;
    const buffer = this.buffer;
    buffer.putBytes(offset + ERROR_LOG_ENCODED_ERROR_OFFSET, encoded, 0, encoded.length);
    buffer.putInt64(offset + ERROR_LOG_FIRST_OBSERVATION_TIMESTAMP_OFFSET, timestampMs);
    this.observe(offset, timestampMs);
    buffer.putInt32Ordered(offset + ERROR_LOG_LENGTH_OFFSET, length);
    this.nextOffset = offset + ((length + ERROR_LOG_RECORD_ALIGNMENT - 1) & ~(ERROR_LOG_RECORD_ALIGNMENT - 1));
    this.offsetsByDescription.set(description, offset);
    return true;
  }

  /** Number of distinct errors recorded. */
  distinctCount(): number {
    return this.offsetsByDescription.size;
  }

  /** `Name: message` plus the stack frames, the way Aeron's Java driver writes a throwable. */
  static describe(error: unknown): string {
    if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
    return `Error: ${String(error)}`;
  }

  private observe(offset: number, timestampMs: number): void {
    this.buffer.putInt64Ordered(offset + ERROR_LOG_LAST_OBSERVATION_TIMESTAMP_OFFSET, timestampMs);
    this.buffer.getAndAddInt32(offset + ERROR_LOG_OBSERVATION_COUNT_OFFSET, 1);
  }
}
