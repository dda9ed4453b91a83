/** Detects each message's encoding on its own: first byte 0x4D → binary, anything else → CSV. */
import { BINARY_MAGIC, decodeBinary } from './BinaryDecoder.js';
import { decodeCsv } from './CsvDecoder.js';
import type { DecodeStatus, InboundMessage } from './InboundMessage.js';

export function decodeMessage(b: Uint8Array, off: number, len: number, m: InboundMessage): DecodeStatus {
  return len > 0 && b[off] === BINARY_MAGIC ? decodeBinary(b, off, len, m) : decodeCsv(b, off, len, m);
}
