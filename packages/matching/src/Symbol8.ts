/**
 * A symbol is 1–8 bytes, held as two big-endian u32 words (hi = bytes 0–3, lo = bytes 4–7, NUL-padded), so the
 * hot path never builds strings: codecs read and write the words straight from and to the wire buffers.
 * Invariant: a valid symbol has a non-zero first byte and no NUL before its last byte.
 * The empty symbol (hi = lo = 0) is what rejects carry when no symbol is known.
 */
export const SYMBOL_MAX_BYTES = 8;

/** Packs an ASCII symbol (for tests and APIs that start from strings; allocates nothing on return). */
export function symbolHi(symbol: string): number {
  return packWord(symbol, 0);
}

export function symbolLo(symbol: string): number {
  return packWord(symbol, 4);
}

function packWord(symbol: string, from: number): number {
  if (symbol.length > SYMBOL_MAX_BYTES) throw new RangeError(`symbol '${symbol}' is longer than 8 bytes`);
  let w = 0;
  for (let i = 0; i < 4; i++) {
    const j = from + i;
    const c = j < symbol.length ? symbol.charCodeAt(j) & 0xff : 0;
    w = (w << 8) | c;
  }
  return w >>> 0;
}

/** Unpacks to a string (diagnostics and tests; allocates). */
export function symbolToString(hi: number, lo: number): string {
  let s = '';
  for (let i = 0; i < 8; i++) {
    const w = i < 4 ? hi : lo;
    const c = (w >>> (24 - 8 * (i & 3))) & 0xff;
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}

/** Number of bytes before the NUL padding (0 for the empty symbol). */
export function symbolLength(hi: number, lo: number): number {
  if (lo !== 0) return (lo & 0xff) !== 0 ? 8 : (lo & 0xff00) !== 0 ? 7 : (lo & 0xff0000) !== 0 ? 6 : 5;
  if (hi === 0) return 0;
  return (hi & 0xff) !== 0 ? 4 : (hi & 0xff00) !== 0 ? 3 : (hi & 0xff0000) !== 0 ? 2 : 1;
}

/** First byte of the symbol (routing by first letter in threaded mode). */
export function symbolFirstByte(hi: number): number {
  return hi >>> 24;
}
