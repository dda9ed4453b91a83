/**
 * ADD_COUNTER (0x09).
 *
 *   0  int64 client id | 8 int64 correlation id
 *   16 int32 counter type id
 *   20 int32 key length
 *   24 key bytes
 *   24 + align(keyLength, 4): int32 label length, then label (ASCII)
 */
import type { AtomicBuffer } from '@mm/agrona';
import { CorrelatedMessageFlyweight } from './CorrelatedMessageFlyweight.js';
import { Flyweight, align4 } from './Flyweight.js';

export const COUNTER_TYPE_ID_OFFSET = 16;
export const COUNTER_KEY_LENGTH_OFFSET = 20;
export const COUNTER_KEY_BUFFER_OFFSET = 24;

export class CounterMessageFlyweight extends CorrelatedMessageFlyweight {
  typeId(): number { return this.buffer.getInt32(this.offset + COUNTER_TYPE_ID_OFFSET); }
  setTypeId(v: number): this { this.buffer.putInt32(this.offset + COUNTER_TYPE_ID_OFFSET, v); return this; }
  keyLength(): number { return this.buffer.getInt32(this.offset + COUNTER_KEY_LENGTH_OFFSET); }
  /** Offset of the key bytes in `buffer`. */
  keyBufferOffset(): number { return this.offset + COUNTER_KEY_BUFFER_OFFSET; }
  setKey(key: AtomicBuffer, keyOffset: number, keyLength: number): this {
    this.buffer.putInt32(this.offset + COUNTER_KEY_LENGTH_OFFSET, keyLength);
    if (keyLength > 0) this.buffer.putBuffer(this.offset + COUNTER_KEY_BUFFER_OFFSET, key, keyOffset, keyLength);
    return this;
  }
  private labelFieldOffset(): number { return COUNTER_KEY_BUFFER_OFFSET + align4(this.keyLength()); }
  label(): string { return this.getString(this.labelFieldOffset()); }
  setLabel(v: string): this { this.putString(this.labelFieldOffset(), v); return this; }
  length(): number { return this.labelFieldOffset() + 4 + this.stringLength(this.labelFieldOffset()); }
  validateLength(length: number): void {
    Flyweight.checkLength('ADD_COUNTER', length, COUNTER_KEY_BUFFER_OFFSET);
    const keyLength = this.keyLength();
    if (keyLength < 0) throw new RangeError(`ADD_COUNTER: negative key length ${keyLength}`);
    Flyweight.checkLength('ADD_COUNTER', length, this.labelFieldOffset() + 4);
    Flyweight.checkLength('ADD_COUNTER', length, this.length());
  }
}
