/**
 * Creates and initialises the log file of an IPC publication: `<dir>/publications/<registrationId>.logbuffer`,
 * three terms followed by a 4096-byte metadata block (Aeron 1.47 layout):
 * ```
 * meta +0/+8/+16 int64 raw tails [termId << 32 | offset]   +24 int32 active term count
 *      +128 int64 end of stream position (INT64_MAX while open)   +136 int32 is connected   +140 int32 active transports
 *      +256 int64 correlation id  +264 int32 initial term id  +268 int32 default frame header length (32)
 *      +272 int32 mtu  +276 int32 term length  +280 int32 page size  +284 int32 publication window
 *      +320 default frame header (32 of 128 bytes)  +448 int64 entity tag  +456 int64 response correlation id
 *      +464 int64 linger ns  +472 int64 untethered window limit timeout ns  +480 int64 untethered resting timeout ns
 *      +488..495 flags: group, is_response, rejoin, reliable, sparse, signal_eos, spies_simulate_connection, tether
 * ```
 * Invariant: the file is fully written with zeros before it is mapped (unless sparse), so running out of `/dev/shm`
 * is an ENOSPC error on the control path instead of a SIGBUS when a page is first touched.
 */
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { MappedFile } from '@mm/agrona';
import { BEGIN_AND_END_FLAGS, FRAME_ALIGNMENT, HDR_TYPE_DATA, HDR_TYPE_PAD, HEADER_LENGTH, LogBufferDescriptor } from '@mm/aeron-client';

const L = LogBufferDescriptor;
export const PARTITION_COUNT = L.PARTITION_COUNT;
export const LOG_META_DATA_LENGTH = L.LOG_META_DATA_LENGTH;
export const PAGE_SIZE = 4096;
export const TERM_TAIL_COUNTERS_OFFSET = L.TERM_TAIL_COUNTERS_OFFSET;
export const ACTIVE_TERM_COUNT_OFFSET = L.LOG_ACTIVE_TERM_COUNT_OFFSET;
export const END_OF_STREAM_POSITION_OFFSET = L.LOG_END_OF_STREAM_POSITION_OFFSET;
export const IS_CONNECTED_OFFSET = L.LOG_IS_CONNECTED_OFFSET;
export const ACTIVE_TRANSPORT_COUNT_OFFSET = L.LOG_ACTIVE_TRANSPORT_COUNT;
export const CORRELATION_ID_OFFSET = L.LOG_CORRELATION_ID_OFFSET;
export const INITIAL_TERM_ID_OFFSET = L.LOG_INITIAL_TERM_ID_OFFSET;
export const DEFAULT_FRAME_HEADER_LENGTH_OFFSET = L.LOG_DEFAULT_FRAME_HEADER_LENGTH_OFFSET;
export const MTU_LENGTH_OFFSET = L.LOG_MTU_LENGTH_OFFSET;
export const TERM_LENGTH_OFFSET = L.LOG_TERM_LENGTH_OFFSET;
export const PAGE_SIZE_OFFSET = L.LOG_PAGE_SIZE_OFFSET;
export const PUBLICATION_WINDOW_OFFSET = L.LOG_PUBLICATION_WINDOW_LENGTH_OFFSET;
export const DEFAULT_FRAME_HEADER_OFFSET = L.LOG_DEFAULT_FRAME_HEADER_OFFSET;
export const ENTITY_TAG_OFFSET = L.LOG_ENTITY_TAG_OFFSET;
export const RESPONSE_CORRELATION_ID_OFFSET = L.LOG_RESPONSE_CORRELATION_ID_OFFSET;
export const LINGER_TIMEOUT_OFFSET = L.LOG_LINGER_TIMEOUT_NS_OFFSET;
export const UNTETHERED_WINDOW_LIMIT_TIMEOUT_OFFSET = L.LOG_UNTETHERED_WINDOW_LIMIT_TIMEOUT_NS_OFFSET;
export const UNTETHERED_RESTING_TIMEOUT_OFFSET = L.LOG_UNTETHERED_RESTING_TIMEOUT_NS_OFFSET;
export const SPARSE_FLAG_OFFSET = L.LOG_SPARSE_OFFSET;
export const SIGNAL_EOS_FLAG_OFFSET = L.LOG_SIGNAL_EOS_OFFSET;
export const TETHER_FLAG_OFFSET = L.LOG_TETHER_OFFSET;

export const DATA_HEADER_LENGTH = HEADER_LENGTH;
export { FRAME_ALIGNMENT, HDR_TYPE_PAD, HDR_TYPE_DATA };
export const UNFRAGMENTED_FLAGS = BEGIN_AND_END_FLAGS;

export function logFileLength(termLength: number): number {
  return L.computeLogLength(termLength, PAGE_SIZE);
}

export function ipcLogFileName(aeronDir: string, registrationId: number): string {
  return join(aeronDir, 'publications', `${registrationId}.logbuffer`);
}

export interface LogInit {
  readonly registrationId: number;
  readonly sessionId: number;
  readonly streamId: number;
  readonly initialTermId: number;
  readonly termLength: number;
  readonly mtu: number;
  readonly termWindowLength: number;
  readonly lingerNs: number;
  readonly untetheredWindowLimitTimeoutNs: number;
  readonly untetheredRestingTimeoutNs: number;
  readonly sparse: boolean;
}

const ZERO_CHUNK = new Uint8Array(1024 * 1024);

/** Creates the file (zero-filled unless sparse) and maps it. Throws with the OS reason (e.g. ENOSPC). */
export function createLogFile(path: string, length: number, sparse: boolean): MappedFile {
  const fd = openSync(path, 'w+', 0o644);
  try {
    if (sparse) {
      ftruncateSync(fd, length);
    } else {
      for (let written = 0; written < length;) {
        written += writeSync(fd, ZERO_CHUNK, 0, Math.min(ZERO_CHUNK.length, length - written), written);
      }
    }
  } finally {
    closeSync(fd);
  }
  return MappedFile.map(path);
}

/** Writes the metadata block; the tails are set as Aeron's driver sets them for a new publication. */
export function initLogMetadata(file: MappedFile, init: LogInit): number {
  const b = file.buffer;
  const meta = file.length - LOG_META_DATA_LENGTH;
  const id = init.initialTermId;
  b.putInt64HiLo(meta + TERM_TAIL_COUNTERS_OFFSET, id, 0);
  for (let i = 1; i < PARTITION_COUNT; i++) b.putInt64HiLo(meta + TERM_TAIL_COUNTERS_OFFSET + i * 8, (id + i - PARTITION_COUNT) | 0, 0);
  b.putInt32(meta + ACTIVE_TERM_COUNT_OFFSET, 0);
  b.putInt64BigInt(meta + END_OF_STREAM_POSITION_OFFSET, 0x7fffffffffffffffn);
  b.putInt32(meta + IS_CONNECTED_OFFSET, 0);
  b.putInt32(meta + ACTIVE_TRANSPORT_COUNT_OFFSET, 0);
  b.putInt64(meta + CORRELATION_ID_OFFSET, init.registrationId);
  b.putInt32(meta + INITIAL_TERM_ID_OFFSET, id);
  b.putInt32(meta + DEFAULT_FRAME_HEADER_LENGTH_OFFSET, DATA_HEADER_LENGTH);
  b.putInt32(meta + MTU_LENGTH_OFFSET, init.mtu);
  b.putInt32(meta + TERM_LENGTH_OFFSET, init.termLength);
  b.putInt32(meta + PAGE_SIZE_OFFSET, PAGE_SIZE);
  b.putInt32(meta + PUBLICATION_WINDOW_OFFSET, init.termWindowLength);
  const h = meta + DEFAULT_FRAME_HEADER_OFFSET;
  b.putInt32(h, 0);
  b.putUint8(h + 4, 0);
  b.putUint8(h + 5, UNFRAGMENTED_FLAGS);
  b.putInt16(h + 6, HDR_TYPE_DATA);
  b.putInt32(h + 8, 0);
  b.putInt32(h + 12, init.sessionId);
  b.putInt32(h + 16, init.streamId);
  b.putInt32(h + 20, id);
  b.putInt64(h + 24, 0);
  b.putInt64(meta + ENTITY_TAG_OFFSET, -1);
  b.putInt64(meta + RESPONSE_CORRELATION_ID_OFFSET, -1);
  b.putInt64(meta + LINGER_TIMEOUT_OFFSET, init.lingerNs);
  b.putInt64(meta + UNTETHERED_WINDOW_LIMIT_TIMEOUT_OFFSET, init.untetheredWindowLimitTimeoutNs);
  b.putInt64(meta + UNTETHERED_RESTING_TIMEOUT_OFFSET, init.untetheredRestingTimeoutNs);
  b.putUint8(meta + SPARSE_FLAG_OFFSET, init.sparse ? 1 : 0);
  b.putUint8(meta + SIGNAL_EOS_FLAG_OFFSET, 1);
  return meta;
}
