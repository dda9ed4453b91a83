/**
 * Binary output messages (big-endian, packed, magic 0x4D):
 *
 * | message | length | layout (byte offsets) |
 * |---|---|---|
 * | ack 'A' | 18 | 0 magic, 1 'A', 2 symbol[8], 10 userId u32, 14 userOrderId u32 |
 * | cancel ack 'X' | 18 | 0 magic, 1 'X', 2 symbol[8], 10 userId u32, 14 userOrderId u32 |
 * | trade 'T' | 34 | 0 magic, 1 'T', 2 symbol[8], 10 buyUid, 14 buyOid, 18 sellUid, 22 sellOid, 26 price, 30 qty |
 * | top of book 'B' | 20 | 0 magic, 1 'B', 2 symbol[8], 10 side u8, 11 price u32, 15 qty u32, 19 pad 0 |
 * | reject 'R' | 19 | 0 magic, 1 'R', 2 symbol[8], 10 userId u32, 14 userOrderId u32, 18 reason u8 |
 *
 * A level total above 2^32-1 is written as 2^32-1 (the field is u32; CSV carries the exact value).
 */
import { BINARY_MAGIC } from './BinaryDecoder.js';
import type { OutputEncoder } from './OutputEncoder.js';

export const ACK_LENGTH = 18;
export const TRADE_LENGTH = 34;
export const TOP_OF_BOOK_LENGTH = 20;
export const REJECT_LENGTH = 19;

export function writeU32BE(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 24;
  b[o + 1] = v >>> 16;
  b[o + 2] = v >>> 8;
  b[o + 3] = v;
}

function head(b: Uint8Array, o: number, type: number, symHi: number, symLo: number): void {
  b[o] = BINARY_MAGIC;
  b[o + 1] = type;
  writeU32BE(b, o + 2, symHi);
  writeU32BE(b, o + 6, symLo);
}

export class BinaryEncoder implements OutputEncoder {
  ack(b: Uint8Array, off: number, symHi: number, symLo: number, userId: number, userOrderId: number): number {
    head(b, off, 0x41, symHi, symLo);
    writeU32BE(b, off + 10, userId);
    writeU32BE(b, off + 14, userOrderId);
    return ACK_LENGTH;
  }

  cancelAck(b: Uint8Array, off: number, symHi: number, symLo: number, userId: number, userOrderId: number): number {
    head(b, off, 0x58, symHi, symLo);
    writeU32BE(b, off + 10, userId);
    writeU32BE(b, off + 14, userOrderId);
    return ACK_LENGTH;
  }

  trade(b: Uint8Array, off: number, symHi: number, symLo: number, bu: number, bo: number, su: number, so: number, price: number, qty: number): number {
    head(b, off, 0x54, symHi, symLo);
    writeU32BE(b, off + 10, bu);
    writeU32BE(b, off + 14, bo);
    writeU32BE(b, off + 18, su);
    writeU32BE(b, off + 22, so);
    writeU32BE(b, off + 26, price);
    writeU32BE(b, off + 30, qty);
    return TRADE_LENGTH;
  }

  topOfBook(b: Uint8Array, off: number, symHi: number, symLo: number, side: number, price: number, qty: number): number {
    head(b, off, 0x42, symHi, symLo);
    b[off + 10] = side;
    writeU32BE(b, off + 11, price);
    writeU32BE(b, off + 15, qty > 0xffffffff ? 0xffffffff : qty);
    b[off + 19] = 0;
    return TOP_OF_BOOK_LENGTH;
  }

  reject(b: Uint8Array, off: number, symHi: number, symLo: number, userId: number, userOrderId: number, reason: number): number {
    head(b, off, 0x52, symHi, symLo);
    writeU32BE(b, off + 10, userId);
    writeU32BE(b, off + 14, userOrderId);
    b[off + 18] = reason;
    return REJECT_LENGTH;
  }
}
