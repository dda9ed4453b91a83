/**
 * Decodes one CSV input line (without its line ending; a trailing CR is ignored):
 *   `N, userId, symbol, price, qty, side, userOrderId` | `C, userId, userOrderId[, symbol]` | `F`
 * Fields are separated by ',' with optional spaces or tabs; the message letter and the side may be lower case;
 * blank lines and lines starting with '#' are IGNORED. Numbers are unsigned decimal integers ≤ 2^32-1.
 * A bad number or symbol is a REJECT naming the field (1 symbol, 2 qty, 3 price, 10 ids); a wrong field count,
 * an unknown letter or a bad side is MALFORMED.
 */
import { DecodeStatus, Encoding, MessageType, type InboundMessage } from './InboundMessage.js';
import { RejectReason } from './RejectReason.js';

const MAX_FIELDS = 8;

/** Field boundaries of the line being decoded (module-level scratch: decoding is synchronous). */
const fieldStart = new Int32Array(MAX_FIELDS);
const fieldEnd = new Int32Array(MAX_FIELDS);

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** Splits [off, end) on commas into trimmed fields; returns the field count, or -1 when there are too many. */
function split(b: Uint8Array, off: number, end: number): number {
  let n = 0;
  let s = off;
  for (let i = off; i <= end; i++) {
    if (i === end || b[i] === 0x2c) {
      if (n === MAX_FIELDS) return -1;
      let a = s;
      let z = i;
      while (a < z && isSpace(b[a])) a++;
      while (z > a && isSpace(b[z - 1])) z--;
      fieldStart[n] = a;
      fieldEnd[n] = z;
      n++;
      s = i + 1;
    }
  }
  return n;
}

/** Unsigned decimal u32 of field i, or -1. */
function u32Field(b: Uint8Array, i: number): number {
  const a = fieldStart[i];
  const z = fieldEnd[i];
  if (z === a || z - a > 10) return -1;
  let v = 0;
  for (let k = a; k < z; k++) {
    const d = b[k] - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v > 0xffffffff ? -1 : v;
}

/** Symbol of field i into m (1–8 printable ASCII bytes other than ','); false otherwise. */
function symbolField(b: Uint8Array, i: number, m: InboundMessage): boolean {
  const a = fieldStart[i];
  const z = fieldEnd[i];
  const n = z - a;
  if (n < 1 || n > 8) return false;
  let hi = 0;
  let lo = 0;
  for (let k = 0; k < 8; k++) {
    let c = 0;
    if (k < n) {
      c = b[a + k];
      if (c < 0x21 || c > 0x7e) return false;
    }
    if (k < 4) hi = (hi << 8) | c;
    else lo = (lo << 8) | c;
  }
  m.symHi = hi >>> 0;
  m.symLo = lo >>> 0;
  return true;
}

export function decodeCsv(b: Uint8Array, off: number, len: number, m: InboundMessage): DecodeStatus {
  m.reset();
  m.encoding = Encoding.CSV;
  let end = off + len;
  if (end > off && b[end - 1] === 0x0d) end--;
  let first = off;
  while (first < end && isSpace(b[first])) first++;
  if (first === end || b[first] === 0x23) return DecodeStatus.IGNORED;
  const n = split(b, first, end);
  if (n < 0) {
    m.error = 'CSV line has too many fields';
    return DecodeStatus.MALFORMED;
  }
  if (fieldEnd[0] - fieldStart[0] !== 1) {
    m.error = 'CSV message type is not one letter';
    return DecodeStatus.MALFORMED;
  }
  const t = b[fieldStart[0]] & 0xdf; // upper case
  if (t === MessageType.NEW) {
    if (n !== 7) {
      m.error = 'CSV new order needs 7 fields';
      return DecodeStatus.MALFORMED;
    }
    if (fieldEnd[5] - fieldStart[5] !== 1) {
      m.error = "CSV new order side is not 'B' or 'S'";
      return DecodeStatus.MALFORMED;
    }
    const side = b[fieldStart[5]] & 0xdf;
    if (side !== 0x42 && side !== 0x53) {
      m.error = "CSV new order side is not 'B' or 'S'";
      return DecodeStatus.MALFORMED;
    }
    m.type = t;
    m.side = side;
    m.hasSymbol = true;
    const uid = u32Field(b, 1);
    const oid = u32Field(b, 6);
    const price = u32Field(b, 3);
    const qty = u32Field(b, 4);
    m.userId = uid < 0 ? 0 : uid;
    m.userOrderId = oid < 0 ? 0 : oid;
    m.price = price < 0 ? 0 : price;
    m.qty = qty < 0 ? 0 : qty;
    const symOk = symbolField(b, 2, m);
    if (!symOk) m.rejectReason = RejectReason.UNKNOWN_SYMBOL;
    else if (uid < 0 || oid < 0) m.rejectReason = RejectReason.INVALID_ORDER_ID;
    else if (qty < 0) m.rejectReason = RejectReason.INVALID_QUANTITY;
    else if (price < 0) m.rejectReason = RejectReason.INVALID_PRICE;
    return m.rejectReason === 0 ? DecodeStatus.MESSAGE : DecodeStatus.REJECT;
  }
  if (t === MessageType.CANCEL) {
    if (n !== 3 && n !== 4) {
      m.error = 'CSV cancel needs 3 or 4 fields';
      return DecodeStatus.MALFORMED;
    }
    m.type = t;
    const uid = u32Field(b, 1);
    const oid = u32Field(b, 2);
    m.userId = uid < 0 ? 0 : uid;
    m.userOrderId = oid < 0 ? 0 : oid;
    if (n === 4) {
      m.hasSymbol = true;
      if (!symbolField(b, 3, m)) m.rejectReason = RejectReason.UNKNOWN_SYMBOL;
    }
    if (m.rejectReason === 0 && (uid < 0 || oid < 0)) m.rejectReason = RejectReason.INVALID_ORDER_ID;
    return m.rejectReason === 0 ? DecodeStatus.MESSAGE : DecodeStatus.REJECT;
  }
  if (t === MessageType.FLUSH) {
    if (n !== 1) {
      m.error = 'CSV flush takes no fields';
      return DecodeStatus.MALFORMED;
    }
    m.type = t;
    return DecodeStatus.MESSAGE;
  }
  m.error = "CSV message type is not 'N', 'C' or 'F'";
  return DecodeStatus.MALFORMED;
}
