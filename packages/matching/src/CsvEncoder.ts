/**
 * CSV output lines, fields separated by ", ", each line ending in '\n':
 *   `A, symbol, userId, userOrderId` | `C, symbol, userId, userOrderId` |
 *   `T, symbol, buyUserId, buyOrderId, sellUserId, sellOrderId, price, qty` |
 *   `B, symbol, side, price, totalQty` (`B, symbol, side, -, -` when empty) | `R, symbol, userId, userOrderId, reason`
 * Numbers are written digit by digit (no number-to-string conversion, nothing allocated).
 */
import type { OutputEncoder } from './OutputEncoder.js';

function sep(b: Uint8Array, o: number): number {
  b[o] = 0x2c;
  b[o + 1] = 0x20;
  return o + 2;
}

/** Writes a non-negative integer (exact up to 2^53) and returns the next offset. */
export function writeDecimal(b: Uint8Array, o: number, v: number): number {
  if (v < 10) {
    b[o] = 0x30 + v;
    return o + 1;
  }
  let digits = 0;
  for (let t = v; t >= 1; t = Math.floor(t / 10)) digits++;
  let t = v;
  for (let i = digits - 1; i >= 0; i--) {
    const q = Math.floor(t / 10);
    b[o + i] = 0x30 + (t - q * 10);
    t = q;
  }
  return o + digits;
}

function symbol(b: Uint8Array, o: number, hi: number, lo: number): number {
  for (let i = 0; i < 8; i++) {
    const c = i < 4 ? (hi >>> (24 - 8 * i)) & 0xff : (lo >>> (24 - 8 * (i - 4))) & 0xff;
    if (c === 0) break;
    b[o++] = c;
  }
  return o;
}

function start(b: Uint8Array, o: number, type: number, hi: number, lo: number): number {
  b[o] = type;
  return symbol(b, sep(b, o + 1), hi, lo);
}

function ids(b: Uint8Array, o: number, type: number, hi: number, lo: number, uid: number, oid: number): number {
  o = start(b, o, type, hi, lo);
  o = writeDecimal(b, sep(b, o), uid);
  return writeDecimal(b, sep(b, o), oid);
}

export class CsvEncoder implements OutputEncoder {
  ack(b: Uint8Array, off: number, symHi: number, symLo: number, userId: number, userOrderId: number): number {
    const o = ids(b, off, 0x41, symHi, symLo, userId, userOrderId);
    b[o] = 0x0a;
    return o + 1 - off;
  }

  cancelAck(b: Uint8Array, off: number, symHi: number, symLo: number, userId: number, userOrderId: number): number {
    const o = ids(b, off, 0x43, symHi, symLo, userId, userOrderId);
    b[o] = 0x0a;
    return o + 1 - off;
  }

  trade(b: Uint8Array, off: number, symHi: number, symLo: number, bu: number, bo: number, su: number, so: number, price: number, qty: number): number {
    let o = ids(b, off, 0x54, symHi, symLo, bu, bo);
    o = writeDecimal(b, sep(b, o), su);
    o = writeDecimal(b, sep(b, o), so);
    o = writeDecimal(b, sep(b, o), price);
    o = writeDecimal(b, sep(b, o), qty);
    b[o] = 0x0a;
    return o + 1 - off;
  }

  topOfBook(b: Uint8Array, off: number, symHi: number, symLo: number, side: number, price: number, qty: number): number {
    let o = start(b, off, 0x42, symHi, symLo);
    o = sep(b, o);
    b[o++] = side;
    o = sep(b, o);
    if (price === 0 && qty === 0) {
      b[o++] = 0x2d;
      o = sep(b, o);
      b[o++] = 0x2d;
    } else {
      o = writeDecimal(b, o, price);
      o = writeDecimal(b, sep(b, o), qty);
    }
    b[o] = 0x0a;
    return o + 1 - off;
  }

  reject(b: Uint8Array, off: number, symHi: number, symLo: number, userId: number, userOrderId: number, reason: number): number {
    let o = ids(b, off, 0x52, symHi, symLo, userId, userOrderId);
    o = writeDecimal(b, sep(b, o), reason);
    b[o] = 0x0a;
    return o + 1 - off;
  }
}
