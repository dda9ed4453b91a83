/**
 * Base classes of the codec flyweights. A flyweight owns no data: `wrap` points it at a message in a buffer
 * (typically an Aeron claim or a received fragment) and its accessors read or write fields in place.
 *
 * - Encoders: `wrap` writes the header and zeroes the fixed block (so padding is deterministic); setters return
 *   `this`. Writing past the buffer is a programming error and throws a RangeError.
 * - Decoders: `wrapChecked(buffer, offset, length)` validates first and returns a DecodeResult; only after OK are
 *   the getters safe. `wrap` alone trusts the caller (use it after the dispatcher has checked the message).
 */
import type { AtomicBuffer } from '@mm/agrona';
import { DecodeResult } from './DecodeResult.js';
import { checkMessage } from './MessageCheck.js';
import { HEADER_LENGTH, MessageHeader } from './MessageHeader.js';
import { SEQUENCE_OFFSET, type MessageSpec } from './MessageSpec.js';
import { epochNsHi, epochNsLo, epochNsNanosOfMs, epochNsToMs } from './Int64.js';
import { getSymbol, putSymbol, SYMBOL_LENGTH, symbolEquals, type SymbolTable } from './Symbol.js';

export abstract class EncoderFlyweight {
  protected buffer!: AtomicBuffer;
  protected offset = 0;

  constructor(readonly spec: MessageSpec) {}

  /** Points at `offset`, writes the header and zeroes the fixed block. */
  wrap(buffer: AtomicBuffer, offset: number): this {
    const end = offset + HEADER_LENGTH + this.spec.blockLength;
    if (offset < 0 || end > buffer.capacity) {
      throw new RangeError(`${this.spec.name} needs ${HEADER_LENGTH + this.spec.blockLength} bytes at ${offset}, buffer has ${buffer.capacity}`);
    }
    this.buffer = buffer;
    this.offset = offset;
    MessageHeader.write(buffer, offset, this.spec.templateId, this.spec.blockLength);
    buffer.setMemory(offset + HEADER_LENGTH, this.spec.blockLength, 0);
    return this;
  }

  /** Bytes written: header + fixed block (+ levels for the book). */
  encodedLength(): number { return HEADER_LENGTH + this.spec.blockLength; }

  sequence(value: number): this { this.buffer.putInt64(this.offset + SEQUENCE_OFFSET, value); return this; }

  protected putU8(at: number, v: number): this { this.buffer.putUint8(this.offset + at, v); return this; }
  protected putU32(at: number, v: number): this { this.buffer.putUint32(this.offset + at, v); return this; }
  protected putI64(at: number, v: number): this { this.buffer.putInt64(this.offset + at, v); return this; }
  protected putF64(at: number, v: number): this { this.buffer.putFloat64(this.offset + at, v); return this; }
  protected putEpoch(at: number, ms: number, nanosOfMs: number): this {
    this.buffer.putInt64HiLo(this.offset + at, epochNsHi(ms, nanosOfMs), epochNsLo(ms, nanosOfMs));
    return this;
  }
  protected putHiLo(at: number, hi: number, lo: number): this {
    this.buffer.putInt64HiLo(this.offset + at, hi, lo);
    return this;
  }
  protected putSym(at: number, symbol: string): this { putSymbol(this.buffer, this.offset + at, symbol); return this; }
  /** Copies 16 symbol bytes from another buffer (e.g. the decoded message this one answers) without a string. */
  // Byte loops instead of subarray copies: a subarray is a new object per message.
  protected copySym(at: number, src: AtomicBuffer, srcOffset: number): this {
    const dst = this.buffer.bytes;
    const from = src.bytes;
    const to = this.offset + at;
    for (let i = 0; i < SYMBOL_LENGTH; i++) dst[to + i] = from[srcOffset + i]!;
    return this;
  }
  protected putSymBytes(at: number, bytes: Uint8Array): this {
    const dst = this.buffer.bytes;
    const to = this.offset + at;
    for (let i = 0; i < SYMBOL_LENGTH; i++) dst[to + i] = bytes[i] ?? 0;
    return this;
  }
}

export abstract class DecoderFlyweight {
  protected buffer!: AtomicBuffer;
  protected offset = 0;

  constructor(readonly spec: MessageSpec) {}

  /** Points at a message already checked (e.g. by the dispatcher). */
  wrap(buffer: AtomicBuffer, offset: number): this {
    this.buffer = buffer;
    this.offset = offset;
    return this;
  }

  /** Checks the message in `[offset, offset + length)` and wraps it; read fields only when this returns OK. */
  wrapChecked(buffer: AtomicBuffer, offset: number, length: number): DecodeResult {
    const result = checkMessage(this.spec, buffer, offset, length);
    if (result === DecodeResult.OK) this.wrap(buffer, offset);
    return result;
  }

  /** The buffer and offset of the wrapped message, e.g. to copy its symbol. */
  wrappedBuffer(): AtomicBuffer { return this.buffer; }
  wrappedOffset(): number { return this.offset; }

  sequence(): number { return this.buffer.getInt64(this.offset + SEQUENCE_OFFSET); }

  protected u8(at: number): number { return this.buffer.getUint8(this.offset + at); }
  protected u32(at: number): number { return this.buffer.getUint32(this.offset + at); }
  protected i64(at: number): number { return this.buffer.getInt64(this.offset + at); }
  protected f64(at: number): number { return this.buffer.getFloat64(this.offset + at); }
  protected hi(at: number): number { return this.buffer.getInt64Hi(this.offset + at); }
  protected lo(at: number): number { return this.buffer.getInt64Lo(this.offset + at); }
  protected epochMs(at: number): number { return epochNsToMs(this.hi(at), this.lo(at)); }
  protected epochNanosOfMs(at: number): number { return epochNsNanosOfMs(this.hi(at), this.lo(at)); }
  protected sym(at: number): string { return getSymbol(this.buffer, this.offset + at); }
  protected symIndex(at: number, table: SymbolTable): number { return table.indexOf(this.buffer, this.offset + at); }
  protected symEquals(at: number, bytes: Uint8Array): boolean { return symbolEquals(this.buffer, this.offset + at, bytes); }
}
