import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { AtomicBuffer } from '@mm/agrona';
import { crc32 } from './Crc32.js';
import { JournalError } from './JournalError.js';
import {
  FILE_HEADER_LENGTH,
  FORMAT_VERSION,
  KIND_OFFSET,
  MAGIC,
  RECORD_CRC_OFFSET,
  RECORD_HEADER_LENGTH,
  RECORD_LENGTH_OFFSET,
  VERSION_OFFSET,
  fileHeader,
} from './JournalFormat.js';

/**
 * Sequential scan of a journal file: checks the header, hands every intact record to a handler, and stops at the
 * first record that is incomplete (torn: the file ends inside it) or corrupt (a length out of range or a CRC
 * mismatch). Everything before that record is intact by construction; what follows it is reported, not read.
 *
 * Reads in chunks of at least 1 MiB (the whole record must fit, so the buffer is max(1 MiB, 8 + maxRecordLength)),
 * so recovering a large journal needs bounded memory. The record view handed to the handler is valid only during
 * the call.
 */
export type RecordHandler = (buffer: AtomicBuffer, offset: number, length: number, index: number) => void;

/** How the scan ended: `clean` at a record boundary at the end of the file, or at a torn or corrupt record. */
export type JournalTail = 'clean' | 'torn' | 'corrupt';

export interface ScanReport {
  /** Intact records handed to the handler. */
  readonly records: number;
  /** File offset just after the last intact record (the header length for a journal without records). */
  readonly validBytes: number;
  /** Bytes from validBytes to the end of the file (0 when clean). */
  readonly droppedBytes: number;
  readonly tail: JournalTail;
  /** Human-readable description of where and why the scan stopped. */
  readonly detail: string;
  /** The header itself was incomplete (a crash while the file was being created): no records. */
  readonly tornHeader: boolean;
}

const CHUNK = 1 << 20;

/** Checks the first bytes of a file against the header of `kind`; returns 'ok', 'torn' (a strict prefix) or throws. */
export function checkHeader(bytes: Uint8Array, length: number, kind: number, path: string): 'ok' | 'torn' {
  const expected = fileHeader(kind);
  const n = Math.min(length, FILE_HEADER_LENGTH);
  for (let i = 0; i < Math.min(n, MAGIC.length); i++) {
    if (bytes[i] !== expected[i]) throw new JournalError(`${path} is not a journal (bad magic)`);
  }
  if (n < FILE_HEADER_LENGTH) {
    for (let i = MAGIC.length; i < n; i++) {
      if (bytes[i] !== expected[i]) throw new JournalError(`${path}: incomplete header does not match a version ${FORMAT_VERSION} journal of kind ${kind}`);
    }
    return 'torn';
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, FILE_HEADER_LENGTH);
  const version = view.getUint32(VERSION_OFFSET, true);
  if (version !== FORMAT_VERSION) throw new JournalError(`${path}: journal format version ${version}, this reader knows ${FORMAT_VERSION}`);
  const found = view.getUint32(KIND_OFFSET, true);
  if (found !== kind >>> 0) throw new JournalError(`${path}: journal of record kind ${found}, expected ${kind}`);
  return 'ok';
}

/** Scans an open file descriptor (see the module comment). Throws JournalError only for a foreign or unreadable file. */
export function scanJournal(fd: number, path: string, kind: number, maxRecordLength: number, onRecord?: RecordHandler): ScanReport {
  const fileSize = fstatSync(fd).size;
  const buf = AtomicBuffer.allocate(Math.max(CHUNK, RECORD_HEADER_LENGTH + maxRecordLength));
  const bytes = buf.bytes;
  let bufStart = 0; // file offset of bytes[0]
  let bufLen = 0;
  let fileRead = 0;

  // Makes [pos, pos + need) available in the buffer if the file has it; returns false at end of file.
  const ensure = (pos: number, need: number): boolean => {
    if (pos + need <= bufStart + bufLen) return true;
    if (pos + need > fileSize) return false;
    const keep = bufStart + bufLen - pos;
    bytes.copyWithin(0, pos - bufStart, pos - bufStart + keep);
    bufStart = pos;
    bufLen = keep;
    while (bufLen < need) {
      const n = readSync(fd, bytes, bufLen, bytes.length - bufLen, fileRead);
      if (n <= 0) throw new JournalError(`${path}: file shrank while reading (at ${fileRead} of ${fileSize})`);
      bufLen += n;
      fileRead += n;
    }
    return true;
  };

  if (fileSize === 0) {
    return { records: 0, validBytes: 0, droppedBytes: 0, tail: 'clean', detail: 'empty file', tornHeader: true };
  }
  const headerBytes = Math.min(fileSize, FILE_HEADER_LENGTH);
  ensure(0, headerBytes);
  if (checkHeader(bytes, headerBytes, kind, path) === 'torn') {
    return {
      records: 0, validBytes: 0, droppedBytes: fileSize, tail: 'torn',
      detail: `header incomplete (${fileSize} of ${FILE_HEADER_LENGTH} bytes)`, tornHeader: true,
    };
  }

  let pos = FILE_HEADER_LENGTH;
  let records = 0;
  for (;;) {
    if (pos === fileSize) {
      return { records, validBytes: pos, droppedBytes: 0, tail: 'clean', detail: `${records} records`, tornHeader: false };
    }
    const stop = (tail: JournalTail, why: string): ScanReport => ({
      records, validBytes: pos, droppedBytes: fileSize - pos, tail,
      detail: `record ${records} at offset ${pos}: ${why}; ${fileSize - pos} bytes from there dropped`, tornHeader: false,
    });
    if (!ensure(pos, RECORD_HEADER_LENGTH)) return stop('torn', `header incomplete (${fileSize - pos} of ${RECORD_HEADER_LENGTH} bytes)`);
    const at = pos - bufStart;
    const length = buf.getUint32(at + RECORD_LENGTH_OFFSET);
    if (length === 0 || length > maxRecordLength) return stop('corrupt', `length ${length} outside 1..${maxRecordLength}`);
    if (!ensure(pos, RECORD_HEADER_LENGTH + length)) {
      return stop('torn', `payload incomplete (${fileSize - pos - RECORD_HEADER_LENGTH} of ${length} bytes)`);
    }
    const p = pos - bufStart;
    const stored = buf.getUint32(p + RECORD_CRC_OFFSET);
    const actual = crc32(bytes, p + RECORD_HEADER_LENGTH, length, crc32(bytes, p + RECORD_LENGTH_OFFSET, 4));
    if (stored !== actual) {
      // A complete record with a bad CRC at the very end is most likely a torn write the OS left zero-filled.
      const last = pos + RECORD_HEADER_LENGTH + length === fileSize;
      return stop(last ? 'torn' : 'corrupt', `CRC mismatch (stored ${stored.toString(16)}, computed ${actual.toString(16)})${last ? ' in the last record' : ''}`);
    }
    onRecord?.(buf, p + RECORD_HEADER_LENGTH, length, records);
    records++;
    pos += RECORD_HEADER_LENGTH + length;
  }
}

/** Reads a journal without changing it (tools, reports): the records it would keep after recovery. */
export function readJournal(path: string, kind: number, maxRecordLength: number, onRecord: RecordHandler): ScanReport {
  const fd = openSync(path, 'r');
  try {
    return scanJournal(fd, path, kind, maxRecordLength, onRecord);
  } finally {
    closeSync(fd);
  }
}
