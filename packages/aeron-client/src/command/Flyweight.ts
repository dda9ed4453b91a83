/**
 * Base of the control-protocol flyweights: a position in a buffer, no data of its own. Strings on the wire are
 * ASCII with an int32 length in front, not NUL-terminated. Every read of a length checks it against the buffer so
 * a malformed message gives a clear error instead of reading garbage.
 */
import type { AtomicBuffer } from '@mm/agrona';
import { asciiString } from '@mm/agrona';

export abstract class Flyweight {
  buffer!: AtomicBuffer;
  offset = 0;

  wrap(buffer: AtomicBuffer, offset = 0): this {
    this.buffer = buffer;
    this.offset = offset;
    return this;
  }

  /** Reads the length-prefixed string at `fieldOffset` (relative to the flyweight). */
  protected getString(fieldOffset: number): string {
    const at = this.offset + fieldOffset;
    const length = this.buffer.getInt32(at);
    if (length < 0 || at + 4 + length > this.buffer.capacity) {
      throw new RangeError(`${this.constructor.name}: string length ${length} at ${at} exceeds the buffer`);
    }
    return asciiString(this.buffer, at + 4, length);
  }

  protected stringLength(fieldOffset: number): number { return this.buffer.getInt32(this.offset + fieldOffset); }

  /** Writes `value` (ASCII; other characters become '?') with its length; returns the bytes written. */
  protected putString(fieldOffset: number, value: string): number {
    const at = this.offset + fieldOffset;
    if (at + 4 + value.length > this.buffer.capacity) {
      throw new RangeError(`${this.constructor.name}: string of ${value.length} chars does not fit the buffer`);
    }
    this.buffer.putInt32(at, value.length);
    const bytes = this.buffer.bytes;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      bytes[at + 4 + i] = c < 128 ? c : 0x3f;
    }
    return 4 + value.length;
  }

  /** Checks that `length` bytes of message cover `needed`; throws a clear error otherwise. */
  static checkLength(what: string, length: number, needed: number): void {
    if (length < needed) throw new RangeError(`${what}: message of ${length} bytes is shorter than ${needed}`);
  }
}

export function align4(value: number): number { return (value + 3) & ~3; }
