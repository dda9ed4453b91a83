/**
 * A claimed, uncommitted DATA frame in a log: the caller encodes `length` bytes at `buffer[offset]`, then
 * `commit()` (release-stores the frame length) or `abort()` (turns the frame into padding). Reused across claims;
 * implements the runtime `BufferClaim` interface.
 */
import type { AtomicBuffer } from '@mm/agrona';
import { HDR_TYPE_PAD, HEADER_LENGTH, RESERVED_VALUE_OFFSET, TYPE_FIELD_OFFSET } from '../protocol/DataHeaderFlyweight.js';

export class BufferClaim {
  buffer!: AtomicBuffer;
  private frameOffset = 0;
  private frameLength = 0;

  /** Called by the publication after a successful claim. */
  wrap(termBuffer: AtomicBuffer, frameOffset: number, frameLength: number): void {
    this.buffer = termBuffer;
    this.frameOffset = frameOffset;
    this.frameLength = frameLength;
  }

  get offset(): number { return this.frameOffset + HEADER_LENGTH; }
  get length(): number { return this.frameLength - HEADER_LENGTH; }

  /** Sets the frame's reserved value (int64) before commit. */
  reservedValue(value: bigint): this {
    this.buffer.putInt64BigInt(this.frameOffset + RESERVED_VALUE_OFFSET, value);
    return this;
  }

  commit(): void {
    this.buffer.putInt32Ordered(this.frameOffset, this.frameLength);
  }

  abort(): void {
    this.buffer.putUint16(this.frameOffset + TYPE_FIELD_OFFSET, HDR_TYPE_PAD);
    this.buffer.putInt32Ordered(this.frameOffset, this.frameLength);
  }
}
