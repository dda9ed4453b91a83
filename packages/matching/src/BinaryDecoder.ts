/**
 * Decodes one binary input message (big-endian, packed, magic 0x4D):
 *
 * | type | length | layout (byte offsets) |
 * |---|---|---|
 * | new 'N' | 27 | 0 magic, 1 'N', 2 userId u32, 6 symbol[8], 14 price u32, 18 qty u32, 22 side 'B'/'S', 23 userOrderId u32 |
 * | cancel 'C' | 10 | 0 magic, 1 'C', 2 userId u32, 6 userOrderId u32 |
 * | cancel 'C' | 18 | 0 magic, 1 'C', 2 userId u32, 6 symbol[8], 14 userOrderId u32 |
 * | flush 'F' | 2 | 0 magic, 1 'F' |
 *
 * The length must be exact: the transport gives one message per frame or datagram.
 */
import { DecodeStatus, Encoding, MessageType, type InboundMessage } from './InboundMessage.js';
import { RejectReason } from './RejectReason.js';

export const BINARY_MAGIC = 0x4d;
export const NEW_ORDER_LENGTH = 27;
export const CANCEL_LENGTH = 10;
export const CANCEL_WITH_SYMBOL_LENGTH = 18;
export const FLUSH_LENGTH = 2;

export function readU32BE(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

/**
 * Validates 8 NUL-padded symbol bytes: 1–8 printable ASCII bytes (0x21–0x7E), NULs only after them.
 * Returns false for anything else (reject 1).
 */
function readSymbol(b: Uint8Array, o: number, m: InboundMessage): boolean {
  let ended = false;
  for (let i = 0; i < 8; i++) {
    const c = b[o + i];
    if (c === 0) ended = true;
    else if (ended || c < 0x21 || c > 0x7e) return false;
  }
  if (b[o] === 0) return false;
  m.symHi = readU32BE(b, o);
  m.symLo = readU32BE(b, o + 4);
  return true;
}

export function decodeBinary(b: Uint8Array, off: number, len: number, m: InboundMessage): DecodeStatus {
  m.reset();
  m.encoding = Encoding.BINARY;
  if (len < 2 || b[off] !== BINARY_MAGIC) {
    m.error = 'binary message shorter than 2 bytes or without the 0x4D magic';
    return DecodeStatus.MALFORMED;
  }
  const t = b[off + 1];
  if (t === MessageType.NEW) {
    if (len !== NEW_ORDER_LENGTH) {
      m.error = 'binary new order is not 27 bytes';
      return DecodeStatus.MALFORMED;
    }
    const side = b[off + 22];
    if (side !== 0x42 && side !== 0x53) {
      m.error = "binary new order side is not 'B' or 'S'";
      return DecodeStatus.MALFORMED;
    }
    m.type = t;
    m.userId = readU32BE(b, off + 2);
    m.price = readU32BE(b, off + 14);
    m.qty = readU32BE(b, off + 18);
    m.side = side;
    m.userOrderId = readU32BE(b, off + 23);
    m.hasSymbol = true;
    if (!readSymbol(b, off + 6, m)) {
      m.rejectReason = RejectReason.UNKNOWN_SYMBOL;
      return DecodeStatus.REJECT;
    }
    return DecodeStatus.MESSAGE;
  }
  if (t === MessageType.CANCEL) {
    m.type = t;
    m.userId = readU32BE(b, off + 2);
    if (len === CANCEL_LENGTH) {
      m.userOrderId = readU32BE(b, off + 6);
      return DecodeStatus.MESSAGE;
    }
    if (len === CANCEL_WITH_SYMBOL_LENGTH) {
      m.userOrderId = readU32BE(b, off + 14);
      m.hasSymbol = true;
      if (!readSymbol(b, off + 6, m)) {
        m.rejectReason = RejectReason.UNKNOWN_SYMBOL;
        return DecodeStatus.REJECT;
      }
      return DecodeStatus.MESSAGE;
    }
    m.type = 0;
    m.error = 'binary cancel is neither 10 nor 18 bytes';
    return DecodeStatus.MALFORMED;
  }
  if (t === MessageType.FLUSH) {
    if (len !== FLUSH_LENGTH) {
      m.error = 'binary flush is not 2 bytes';
      return DecodeStatus.MALFORMED;
    }
    m.type = t;
    return DecodeStatus.MESSAGE;
  }
  m.error = "binary message type is not 'N', 'C' or 'F'";
  return DecodeStatus.MALFORMED;
}
