export { RejectReason, Side } from './RejectReason.js';
export { SYMBOL_MAX_BYTES, symbolHi, symbolLo, symbolToString, symbolLength, symbolFirstByte } from './Symbol8.js';
export { PairIndex } from './PairIndex.js';
export type { CoreLimits } from './CoreLimits.js';
export { CapacityVeto, DEFAULT_CORE_LIMITS, validateCoreLimits } from './CoreLimits.js';
export type { MatchListener } from './MatchListener.js';
export { NullMatchListener } from './MatchListener.js';
export { MatchingCore } from './MatchingCore.js';
export { InboundMessage, MessageType, DecodeStatus, Encoding } from './InboundMessage.js';
export {
  decodeBinary,
  readU32BE,
  BINARY_MAGIC,
  NEW_ORDER_LENGTH,
  CANCEL_LENGTH,
  CANCEL_WITH_SYMBOL_LENGTH,
  FLUSH_LENGTH,
} from './BinaryDecoder.js';
export { decodeCsv } from './CsvDecoder.js';
export { decodeMessage } from './decodeMessage.js';
export type { OutputEncoder } from './OutputEncoder.js';
export { MAX_OUTPUT_BYTES } from './OutputEncoder.js';
export { BinaryEncoder, writeU32BE, ACK_LENGTH, TRADE_LENGTH, TOP_OF_BOOK_LENGTH, REJECT_LENGTH } from './BinaryEncoder.js';
export { CsvEncoder, writeDecimal } from './CsvEncoder.js';
export { applyMessage } from './applyMessage.js';
