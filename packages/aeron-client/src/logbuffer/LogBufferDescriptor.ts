/**
 * Layout of an Aeron log buffer file: three terms followed by a 4096-byte metadata block (the last 4096 bytes of
 * a file of length align(3 * termLength + 4096, pageSize)).
 *
 * Metadata (offsets from the start of the block):
 *   0,8,16 int64 x3 term tail counters: raw tail = (termId << 32) | termOffset (offset may overshoot termLength)
 *   24     int32    active term count (active partition = count % 3)
 *   128    int64    end of stream position (INT64_MAX while open)
 *   136    int32    is connected (1 while a subscriber is attached, IPC)
 *   140    int32    active transport count
 *   256    int64    correlation id (= registration id)
 *   264    int32    initial term id
 *   268    int32    default frame header length (32)
 *   272    int32    MTU length
 *   276    int32    term length
 *   280    int32    page size
 *   284    int32    publication window length
 *   288-312 int32 x7 receiver window, socket buffer lengths
 *   316    int32    max resend
 *   320    128 B    default frame header
 *   448    int64    entity tag;  456 int64 response correlation id;  464 int64 linger timeout ns
 *   472    int64    untethered window limit timeout ns;  480 int64 untethered resting timeout ns
 *   488..495 uint8  group, is_response, rejoin, reliable, sparse, signal_eos, spies_simulate_connection, tether
 *
 * Invariants: term length and page size are powers of two within [64 KiB, 1 GiB] / [4 KiB, 1 GiB]. Positions are
 * Numbers: exact below 2^53 bytes (a stream would need to carry 9 PB to exceed it); raw tails are never turned
 * into Numbers whole — they are read as (termId, termOffset) halves.
 */
import { AtomicBuffer } from '@mm/agrona';

export const PARTITION_COUNT = 3;
export const TERM_MIN_LENGTH = 64 * 1024;
export const TERM_MAX_LENGTH = 1024 * 1024 * 1024;
export const PAGE_MIN_SIZE = 4 * 1024;
export const PAGE_MAX_SIZE = 1024 * 1024 * 1024;
export const LOG_META_DATA_LENGTH = 4096;

export const TERM_TAIL_COUNTERS_OFFSET = 0;
export const LOG_ACTIVE_TERM_COUNT_OFFSET = 24;
export const LOG_END_OF_STREAM_POSITION_OFFSET = 128;
export const LOG_IS_CONNECTED_OFFSET = 136;
export const LOG_ACTIVE_TRANSPORT_COUNT = 140;
export const LOG_CORRELATION_ID_OFFSET = 256;
export const LOG_INITIAL_TERM_ID_OFFSET = 264;
export const LOG_DEFAULT_FRAME_HEADER_LENGTH_OFFSET = 268;
export const LOG_MTU_LENGTH_OFFSET = 272;
export const LOG_TERM_LENGTH_OFFSET = 276;
export const LOG_PAGE_SIZE_OFFSET = 280;
export const LOG_PUBLICATION_WINDOW_LENGTH_OFFSET = 284;
export const LOG_RECEIVER_WINDOW_LENGTH_OFFSET = 288;
export const LOG_SOCKET_SNDBUF_LENGTH_OFFSET = 292;
export const LOG_OS_DEFAULT_SOCKET_SNDBUF_LENGTH_OFFSET = 296;
export const LOG_OS_MAX_SOCKET_SNDBUF_LENGTH_OFFSET = 300;
export const LOG_SOCKET_RCVBUF_LENGTH_OFFSET = 304;
export const LOG_OS_DEFAULT_SOCKET_RCVBUF_LENGTH_OFFSET = 308;
export const LOG_OS_MAX_SOCKET_RCVBUF_LENGTH_OFFSET = 312;
export const LOG_MAX_RESEND_OFFSET = 316;
export const LOG_DEFAULT_FRAME_HEADER_OFFSET = 320;
export const LOG_DEFAULT_FRAME_HEADER_MAX_LENGTH = 128;
export const LOG_ENTITY_TAG_OFFSET = 448;
export const LOG_RESPONSE_CORRELATION_ID_OFFSET = 456;
export const LOG_LINGER_TIMEOUT_NS_OFFSET = 464;
export const LOG_UNTETHERED_WINDOW_LIMIT_TIMEOUT_NS_OFFSET = 472;
export const LOG_UNTETHERED_RESTING_TIMEOUT_NS_OFFSET = 480;
export const LOG_GROUP_OFFSET = 488;
export const LOG_IS_RESPONSE_OFFSET = 489;
export const LOG_REJOIN_OFFSET = 490;
export const LOG_RELIABLE_OFFSET = 491;
export const LOG_SPARSE_OFFSET = 492;
export const LOG_SIGNAL_EOS_OFFSET = 493;
export const LOG_SPIES_SIMULATE_CONNECTION_OFFSET = 494;
export const LOG_TETHER_OFFSET = 495;


export function checkTermLength(termLength: number): void {
  if (!Number.isInteger(termLength) || termLength < TERM_MIN_LENGTH || termLength > TERM_MAX_LENGTH || (termLength & (termLength - 1)) !== 0) {
    throw new RangeError(`term length ${termLength} must be a power of two in [${TERM_MIN_LENGTH}, ${TERM_MAX_LENGTH}]`);
  }
}

export function checkPageSize(pageSize: number): void {
  if (!Number.isInteger(pageSize) || pageSize < PAGE_MIN_SIZE || pageSize > PAGE_MAX_SIZE || (pageSize & (pageSize - 1)) !== 0) {
    throw new RangeError(`page size ${pageSize} must be a power of two in [${PAGE_MIN_SIZE}, ${PAGE_MAX_SIZE}]`);
  }
}

export function computeLogLength(termLength: number, pageSize: number): number {
  const raw = PARTITION_COUNT * termLength + LOG_META_DATA_LENGTH;
  return Math.ceil(raw / pageSize) * pageSize;
}

export function positionBitsToShift(termLength: number): number { return 31 - Math.clz32(termLength); }

/** Position of (termId, termOffset); int32 wrapping of the term count as Aeron does. */
export function computePosition(activeTermId: number, termOffset: number, shift: number, initialTermId: number): number {
  return ((activeTermId - initialTermId) | 0) * 2 ** shift + termOffset;
}

export function computeTermBeginPosition(activeTermId: number, shift: number, initialTermId: number): number {
  return ((activeTermId - initialTermId) | 0) * 2 ** shift;
}

export function indexByTerm(initialTermId: number, activeTermId: number): number {
  return ((((activeTermId - initialTermId) | 0) % PARTITION_COUNT) + PARTITION_COUNT) % PARTITION_COUNT;
}
export function indexByTermCount(termCount: number): number { return ((termCount % PARTITION_COUNT) + PARTITION_COUNT) % PARTITION_COUNT; }
export function indexByPosition(position: number, shift: number): number {
  return Math.floor(position / 2 ** shift) % PARTITION_COUNT;
}

/** Max message length for a term: min(termLength / 8, 16 MiB). */
export function computeMaxMessageLength(termLength: number): number { return Math.min(termLength >> 3, 16 * 1024 * 1024); }

/** Max possible position of a publication: termLength << 31. */
export function maxPossiblePosition(termLength: number): number { return termLength * 2 ** 31; }

export function tailCounterOffset(partitionIndex: number): number { return TERM_TAIL_COUNTERS_OFFSET + partitionIndex * 8; }

// ---- metadata accessors (meta = the 4096-byte metadata block) ----
export function termLength(meta: AtomicBuffer): number { return meta.getInt32(LOG_TERM_LENGTH_OFFSET); }
export function pageSize(meta: AtomicBuffer): number { return meta.getInt32(LOG_PAGE_SIZE_OFFSET); }
export function mtuLength(meta: AtomicBuffer): number { return meta.getInt32(LOG_MTU_LENGTH_OFFSET); }
export function initialTermId(meta: AtomicBuffer): number { return meta.getInt32(LOG_INITIAL_TERM_ID_OFFSET); }
export function correlationId(meta: AtomicBuffer): number { return meta.getInt64(LOG_CORRELATION_ID_OFFSET); }
export function publicationWindowLength(meta: AtomicBuffer): number { return meta.getInt32(LOG_PUBLICATION_WINDOW_LENGTH_OFFSET); }
export function activeTermCount(meta: AtomicBuffer): number { return meta.getInt32Volatile(LOG_ACTIVE_TERM_COUNT_OFFSET); }
export function casActiveTermCount(meta: AtomicBuffer, expected: number, update: number): boolean {
  return meta.compareAndSetInt32(LOG_ACTIVE_TERM_COUNT_OFFSET, expected, update);
}
export function setActiveTermCountOrdered(meta: AtomicBuffer, termCount: number): void {
  meta.putInt32Ordered(LOG_ACTIVE_TERM_COUNT_OFFSET, termCount);
}
export function isConnected(meta: AtomicBuffer): boolean { return meta.getInt32Volatile(LOG_IS_CONNECTED_OFFSET) === 1; }
export function setIsConnected(meta: AtomicBuffer, connected: boolean): void {
  meta.putInt32Ordered(LOG_IS_CONNECTED_OFFSET, connected ? 1 : 0);
}
/** End of stream position as a Number (INT64_MAX while open reads as ~9.22e18, which compares correctly). */
export function endOfStreamPosition(meta: AtomicBuffer): number { return meta.getInt64VolatileNumber(LOG_END_OF_STREAM_POSITION_OFFSET); }
export function setEndOfStreamPosition(meta: AtomicBuffer, position: bigint): void {
  meta.putInt64OrderedBigInt(LOG_END_OF_STREAM_POSITION_OFFSET, position);
}
export function isTethered(meta: AtomicBuffer): boolean { return meta.getUint8(LOG_TETHER_OFFSET) !== 0; }

// ---- raw tails ----
export function rawTailVolatile(meta: AtomicBuffer, partitionIndex: number): bigint {
  return meta.getInt64VolatileBigInt(tailCounterOffset(partitionIndex));
}
export function termIdFromRawTail(rawTail: bigint): number { return Number(BigInt.asIntN(32, rawTail >> 32n)); }
/** Term offset of a raw tail, capped at the term length (the raw value may overshoot). */
export function termOffsetFromRawTail(rawTail: bigint, termLength: number): number {
  return Math.min(Number(rawTail & 0xffffffffn), termLength);
}
export function packTail(termId: number, termOffset: number): bigint {
  return (BigInt(termId | 0) << 32n) | BigInt(termOffset >>> 0);
}
export function initialiseTailWithTermId(meta: AtomicBuffer, partitionIndex: number, termId: number): void {
  meta.putInt64OrderedBigInt(tailCounterOffset(partitionIndex), packTail(termId, 0));
}

/**
 * Reads a raw tail as consistent (termId, termOffset) halves without a BigInt: the high word is read before and
 * after the low word until both agree (every writer replaces the 64-bit word atomically, and the term id in a
 * partition only grows). `out[0]` = term id, `out[1]` = raw (uncapped) term offset.
 */
export function readRawTail(meta: AtomicBuffer, partitionIndex: number, out: Int32Array): void {
  const i = tailCounterOffset(partitionIndex) >> 2;
  const i32 = meta.i32;
  let hi = Atomics.load(i32, i + 1);
  for (;;) {
    const lo = Atomics.load(i32, i);
    const hi2 = Atomics.load(i32, i + 1);
    if (hi === hi2) { out[0] = hi; out[1] = lo; return; }
    hi = hi2;
  }
}

/**
 * Moves the log on to the next term: sets the next partition's tail to (termId + 1, 0) unless someone already
 * did, then CASes the active term count. Returns true if this caller advanced the term count.
 */
export function rotateLog(meta: AtomicBuffer, currentTermCount: number, currentTermId: number): boolean {
  const nextTermId = (currentTermId + 1) | 0;
  const nextTermCount = (currentTermCount + 1) | 0;
  const nextIndex = indexByTermCount(nextTermCount);
  const expectedTermId = (nextTermId - PARTITION_COUNT) | 0;
  const offset = tailCounterOffset(nextIndex);
  const newRawTail = packTail(nextTermId, 0);
  for (;;) {
    const rawTail = meta.getInt64VolatileBigInt(offset);
    if (termIdFromRawTail(rawTail) !== expectedTermId) break;
    if (meta.compareAndSetInt64BigInt(offset, rawTail, newRawTail)) break;
  }
  return casActiveTermCount(meta, currentTermCount, nextTermCount);
}

/** Copies the default frame header stored in the metadata to `termBuffer[termOffset]`. */
export function applyDefaultHeader(meta: AtomicBuffer, termBuffer: AtomicBuffer, termOffset: number): void {
  termBuffer.putBuffer(termOffset, meta, LOG_DEFAULT_FRAME_HEADER_OFFSET, 32);
}

/** The three term buffers and the metadata block of one mapped log file (views over the same memory). */
export class LogBuffers {
  readonly termLength: number;
  readonly terms: readonly AtomicBuffer[];
  readonly meta: AtomicBuffer;

  constructor(log: AtomicBuffer) {
    const metaOffset = log.capacity - LOG_META_DATA_LENGTH;
    if (metaOffset <= 0) throw new RangeError(`log buffer of ${log.capacity} bytes is too short`);
    const meta = new AtomicBuffer(log.buffer, log.byteOffset + metaOffset, LOG_META_DATA_LENGTH);
    const length = termLength(meta);
    checkTermLength(length);
    if (PARTITION_COUNT * length > metaOffset) {
      throw new RangeError(`log buffer of ${log.capacity} bytes is too short for 3 terms of ${length}`);
    }
    this.termLength = length;
    this.meta = meta;
    this.terms = [0, 1, 2].map((i) => new AtomicBuffer(log.buffer, log.byteOffset + i * length, length));
  }
}

