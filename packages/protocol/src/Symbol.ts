/**
 * Symbols travel as a 16-byte NUL-padded ASCII field. Helpers here write one from a string (encoders), copy one
 * between buffers, and map one to a small integer index without making a string (`SymbolTable`, the hot path).
 *
 * Limits: a symbol is 1..16 printable ASCII characters (0x21..0x7e); writing anything else is a programming or
 * configuration error and throws. Reading never throws: bytes after the first NUL are ignored.
 */
import type { AtomicBuffer } from '@mm/agrona';

export const SYMBOL_LENGTH = 16;

/** Writes `text` into a `length`-byte NUL-padded ASCII field; throws a RangeError if it does not fit or is not ASCII. */
export function putAsciiStrict(buffer: AtomicBuffer, offset: number, length: number, text: string, what: string): void {
  if (text.length > length) throw new RangeError(`${what} ${JSON.stringify(text)} is longer than ${length} bytes`);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) throw new RangeError(`${what} ${JSON.stringify(text)} is not printable ASCII`);
    buffer.putUint8(offset + i, c);
  }
  for (let i = text.length; i < length; i++) buffer.putUint8(offset + i, 0);
}

/**
 * Writes free text (a reason) into a NUL-padded ASCII field, truncating to `length` and replacing characters
 * outside printable ASCII with '?', so a message built from an arbitrary error text never fails.
 */
export function putAsciiLenient(buffer: AtomicBuffer, offset: number, length: number, text: string): void {
  const n = Math.min(text.length, length);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    buffer.putUint8(offset + i, c >= 0x20 && c <= 0x7e ? c : 0x3f);
  }
  for (let i = n; i < length; i++) buffer.putUint8(offset + i, 0);
}

/** Reads a NUL-padded ASCII field as a string (allocates). Non-printable bytes read as '?'. */
export function getAscii(buffer: AtomicBuffer, offset: number, length: number): string {
  let end = 0;
  while (end < length && buffer.getUint8(offset + end) !== 0) end++;
  let out = '';
  for (let i = 0; i < end; i++) {
    const c = buffer.getUint8(offset + i);
    out += String.fromCharCode(c >= 0x20 && c <= 0x7e ? c : 0x3f);
  }
  return out;
}

/** Writes a symbol; throws if it is empty, longer than 16 bytes or not ASCII. */
export function putSymbol(buffer: AtomicBuffer, offset: number, symbol: string): void {
  if (symbol.length === 0) throw new RangeError('symbol is empty');
  putAsciiStrict(buffer, offset, SYMBOL_LENGTH, symbol, 'symbol');
}

export function getSymbol(buffer: AtomicBuffer, offset: number): string {
  return getAscii(buffer, offset, SYMBOL_LENGTH);
}

/** Encodes a symbol once into its 16 wire bytes (for encoders that copy it per message). */
export function symbolBytes(symbol: string): Uint8Array {
  if (symbol.length === 0 || symbol.length > SYMBOL_LENGTH) {
    throw new RangeError(`symbol ${JSON.stringify(symbol)} must be 1..${SYMBOL_LENGTH} characters`);
  }
  const out = new Uint8Array(SYMBOL_LENGTH);
  for (let i = 0; i < symbol.length; i++) {
    const c = symbol.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) throw new RangeError(`symbol ${JSON.stringify(symbol)} is not printable ASCII`);
    out[i] = c;
  }
  return out;
}

/** True when the 16-byte field at `offset` equals `bytes` (16 bytes from `symbolBytes`). */
export function symbolEquals(buffer: AtomicBuffer, offset: number, bytes: Uint8Array): boolean {
  for (let i = 0; i < SYMBOL_LENGTH; i++) if (buffer.getUint8(offset + i) !== bytes[i]) return false;
  return true;
}

/**
 * Maps symbol fields to small indexes 0..n-1 without allocating: the 16 bytes are compared as four 32-bit words
 * against a flat table. Lookup is a linear scan, which beats hashing for the handful of symbols a service trades;
 * the capacity is fixed at construction.
 */
export class SymbolTable {
  private readonly words: Int32Array;
  private readonly names: string[] = [];
  private count = 0;

  constructor(readonly capacity = 64) {
    this.words = new Int32Array(capacity * 4);
  }

  /** Adds a symbol (or returns its existing index). Throws when full or when the symbol is invalid. */
  register(symbol: string): number {
    const bytes = symbolBytes(symbol);
    const view = new DataView(bytes.buffer);
    const w0 = view.getInt32(0, true), w1 = view.getInt32(4, true), w2 = view.getInt32(8, true), w3 = view.getInt32(12, true);
    const existing = this.find(w0, w1, w2, w3);
    if (existing >= 0) return existing;
    if (this.count === this.capacity) throw new RangeError(`symbol table full (${this.capacity}) adding ${symbol}`);
    const base = this.count * 4;
    this.words[base] = w0; this.words[base + 1] = w1; this.words[base + 2] = w2; this.words[base + 3] = w3;
    this.names.push(symbol);
    return this.count++;
  }

  /** Index of the symbol field at `offset`, or -1 if it is not registered. */
  indexOf(buffer: AtomicBuffer, offset: number): number {
    return this.find(buffer.getInt32(offset), buffer.getInt32(offset + 4), buffer.getInt32(offset + 8),
      buffer.getInt32(offset + 12));
  }

  /** Index of a symbol given as a string, or -1 (allocates; for set-up code). */
  indexOfName(symbol: string): number {
    return this.names.indexOf(symbol);
  }

  name(index: number): string {
    const n = this.names[index];
    if (n === undefined) throw new RangeError(`no symbol at index ${index}`);
    return n;
  }

  size(): number { return this.count; }

  private find(w0: number, w1: number, w2: number, w3: number): number {
    const words = this.words;
    for (let i = 0, base = 0; i < this.count; i++, base += 4) {
      if (words[base] === w0 && words[base + 1] === w1 && words[base + 2] === w2 && words[base + 3] === w3) return i;
    }
    return -1;
  }
}
