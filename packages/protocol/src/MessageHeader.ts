/**
 * The 8-byte header that opens every message (little-endian):
 *
 * ```
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------------------------------+-------------------------------+
 * |          templateId           |         schemaVersion         |
 * +-------------------------------+-------------------------------+
 * |          blockLength          |           reserved            |
 * +-------------------------------+-------------------------------+
 * ```
 *
 * - `blockLength` is the length of the fixed block that follows the header; a repeating group (the book levels)
 *   starts at `HEADER_LENGTH + blockLength`, so a block that grows in a later version does not move the group.
 * - A reader rejects a version above `SCHEMA_VERSION` (NEWER_VERSION) and a block shorter than it knows
 *   (BAD_VALUE): fields are never read past what the sender declared.
 * - `reserved` is written as 0 and ignored on read.
 */
import type { AtomicBuffer } from '@mm/agrona';

export const HEADER_LENGTH = 8;
export const TEMPLATE_ID_OFFSET = 0;
export const SCHEMA_VERSION_OFFSET = 2;
export const BLOCK_LENGTH_OFFSET = 4;
export const RESERVED_OFFSET = 6;

/** The schema version this build writes and the newest it reads. */
export const SCHEMA_VERSION = 1;

export class MessageHeader {
  private buffer!: AtomicBuffer;
  private offset = 0;

  wrap(buffer: AtomicBuffer, offset: number): this {
    this.buffer = buffer;
    this.offset = offset;
    return this;
  }

  templateId(): number { return this.buffer.getUint16(this.offset + TEMPLATE_ID_OFFSET); }
  schemaVersion(): number { return this.buffer.getUint16(this.offset + SCHEMA_VERSION_OFFSET); }
  blockLength(): number { return this.buffer.getUint16(this.offset + BLOCK_LENGTH_OFFSET); }

  /** Writes a complete header (reserved = 0). */
  write(templateId: number, blockLength: number, schemaVersion: number = SCHEMA_VERSION): this {
    MessageHeader.write(this.buffer, this.offset, templateId, blockLength, schemaVersion);
    return this;
  }

  static templateId(buffer: AtomicBuffer, offset: number): number {
    return buffer.getUint16(offset + TEMPLATE_ID_OFFSET);
  }
  static schemaVersion(buffer: AtomicBuffer, offset: number): number {
    return buffer.getUint16(offset + SCHEMA_VERSION_OFFSET);
  }
  static blockLength(buffer: AtomicBuffer, offset: number): number {
    return buffer.getUint16(offset + BLOCK_LENGTH_OFFSET);
  }
  static write(buffer: AtomicBuffer, offset: number, templateId: number, blockLength: number,
    schemaVersion: number = SCHEMA_VERSION): void {
    buffer.putUint16(offset + TEMPLATE_ID_OFFSET, templateId);
    buffer.putUint16(offset + SCHEMA_VERSION_OFFSET, schemaVersion);
    buffer.putUint16(offset + BLOCK_LENGTH_OFFSET, blockLength);
    buffer.putUint16(offset + RESERVED_OFFSET, 0);
  }
}
