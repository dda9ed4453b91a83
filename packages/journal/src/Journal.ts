import { closeSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AtomicBuffer } from '@mm/agrona';
import { crc32 } from './Crc32.js';
import { JournalError } from './JournalError.js';
import { FILE_HEADER_LENGTH, RECORD_CRC_OFFSET, RECORD_HEADER_LENGTH, RECORD_LENGTH_OFFSET, fileHeader } from './JournalFormat.js';
import { scanJournal, type RecordHandler, type ScanReport } from './JournalReader.js';

/**
 * An append-only journal of length-prefixed, CRC-checked records (layout in JournalFormat.ts), for state that
 * must survive a crash: a venue appends each fill here before it publishes it.
 *
 * - `open` recovers first: every intact record is handed to the caller, a torn or corrupt tail is cut off
 *   (ftruncate + fsync) and reported, and appends continue at the end of the last intact record.
 * - `append` writes one whole record with one positional write (looping over short writes). Durability follows
 *   the policy: `every-record` fsyncs before returning (survives power loss); `batch` fsyncs every `maxRecords`
 *   records or when `maybeSync()` finds the oldest unsynced record older than `maxDelayMs` (a process crash loses
 *   nothing written, since the data is in the OS page cache; a power loss may lose the unsynced batch).
 * - After a failed write or fsync the journal refuses further appends (the tail may be torn; reopen to recover).
 *
 * Limits: one writer per file (not enforced: the service is a single process); records of 1..maxRecordLength
 * bytes; the file grows without rotation.
 */
export type FsyncPolicy =
  | { readonly mode: 'every-record' }
  | { readonly mode: 'batch'; readonly maxRecords: number; readonly maxDelayMs: number };

export interface JournalOptions {
  /** Owner-chosen record kind written in the header; opening a journal of another kind is an error. */
  readonly kind: number;
  readonly maxRecordLength: number;
  readonly fsync: FsyncPolicy;
  /** Wall-clock ms for the batch delay (injected for tests); defaults to Date.now. */
  readonly nowMs?: () => number;
}

export interface RecoveryReport extends ScanReport {
  /** The file did not exist (or was empty) and was created. */
  readonly created: boolean;
  /** Bytes cut off the end of the file (torn or corrupt tail, or an incomplete header). */
  readonly truncatedBytes: number;
}

export class Journal {
  readonly path: string;
  readonly recovery: RecoveryReport;
  private readonly fd: number;
  private readonly maxRecordLength: number;
  private readonly policy: FsyncPolicy;
  private readonly nowMs: () => number;
  private readonly scratch: Uint8Array;
  private readonly scratchView: DataView;
  private position: number;
  private recordCount: number;
  private unsynced = 0;
  private firstUnsyncedMs = 0;
  private failed: Error | null = null;
  private closed = false;

  private constructor(path: string, fd: number, options: JournalOptions, recovery: RecoveryReport) {
    this.path = path;
    this.fd = fd;
    this.maxRecordLength = options.maxRecordLength;
    this.policy = options.fsync;
    this.nowMs = options.nowMs ?? Date.now;
    this.scratch = new Uint8Array(RECORD_HEADER_LENGTH + options.maxRecordLength);
    this.scratchView = new DataView(this.scratch.buffer);
    this.recovery = recovery;
    this.position = recovery.validBytes;
    this.recordCount = recovery.records;
  }

  /** Opens (creating it and its directory if needed) and recovers the journal; see the class comment. */
  static open(path: string, options: JournalOptions, onRecord?: RecordHandler): Journal {
    validate(options);
    const existed = existsSync(path);
    if (!existed) mkdirSync(dirname(path), { recursive: true });
    let fd: number;
    try {
      fd = openSync(path, existed ? 'r+' : 'w+');
    } catch (error) {
      throw new JournalError(`cannot open journal ${path}: ${(error as Error).message}`);
    }
    try {
      const scan = scanJournal(fd, path, options.kind, options.maxRecordLength, onRecord);
      let truncated = 0;
      let validBytes = scan.validBytes;
      if (scan.tornHeader) {
        truncated = scan.droppedBytes;
        ftruncateSync(fd, 0);
        const header = fileHeader(options.kind);
        writeFully(fd, header, 0, header.length, 0, path);
        fsyncSync(fd);
        if (!existed) syncDirectory(dirname(path));
        validBytes = FILE_HEADER_LENGTH;
      } else if (scan.droppedBytes > 0) {
        truncated = scan.droppedBytes;
        ftruncateSync(fd, scan.validBytes);
        fsyncSync(fd);
      }
      const created = !existed || (scan.tornHeader && scan.droppedBytes === 0);
      return new Journal(path, fd, options, { ...scan, validBytes, created, truncatedBytes: truncated });
    } catch (error) {
      closeSync(fd);
      if (error instanceof JournalError) throw error;
      throw new JournalError(`cannot recover journal ${path}: ${(error as Error).message}`);
    }
  }

  /** Records in the file (recovered + appended). */
  get records(): number {
    return this.recordCount;
  }

  /** File length in bytes. */
  get size(): number {
    return this.position;
  }

  /** Records written but not yet fsynced (always 0 with the every-record policy). */
  get unsyncedRecords(): number {
    return this.unsynced;
  }

  /** Appends `buffer[offset, offset + length)` as one record; throws JournalError on misuse or I/O failure. */
  append(buffer: AtomicBuffer, offset: number, length: number): void {
    if (this.closed) throw new JournalError(`journal ${this.path} is closed`);
    if (this.failed !== null) throw new JournalError(`journal ${this.path} failed earlier (${this.failed.message}); reopen to recover`);
    if (!(length >= 1 && length <= this.maxRecordLength)) {
      throw new JournalError(`record length ${length} outside 1..${this.maxRecordLength}`);
    }
    const s = this.scratch;
    this.scratchView.setUint32(RECORD_LENGTH_OFFSET, length, true);
    // A byte loop, not subarray + set: no view object per record.
    const src = buffer.bytes;
    for (let i = 0; i < length; i++) s[RECORD_HEADER_LENGTH + i] = src[offset + i]!;
    this.scratchView.setUint32(RECORD_CRC_OFFSET, crc32(s, RECORD_HEADER_LENGTH, length, crc32(s, RECORD_LENGTH_OFFSET, 4)), true);
    const total = RECORD_HEADER_LENGTH + length;
    try {
      writeFully(this.fd, s, 0, total, this.position, this.path);
    } catch (error) {
      this.failed = error as Error;
      throw error instanceof JournalError ? error : new JournalError(`journal ${this.path}: write failed: ${(error as Error).message}`);
    }
    this.position += total;
    this.recordCount++;
    if (this.unsynced === 0) this.firstUnsyncedMs = this.policy.mode === 'batch' ? this.nowMs() : 0;
    this.unsynced++;
    if (this.policy.mode === 'every-record' || this.unsynced >= this.policy.maxRecords) this.sync();
  }

  /** fsyncs now if anything is unsynced. */
  sync(): void {
    if (this.unsynced === 0 || this.closed) return;
    try {
      fsyncSync(this.fd);
    } catch (error) {
      this.failed = error as Error;
      throw new JournalError(`journal ${this.path}: fsync failed: ${(error as Error).message}`);
    }
    this.unsynced = 0;
  }

  /** Duty-cycle hook for the batch policy: fsyncs when the oldest unsynced record is older than maxDelayMs. */
  maybeSync(): number {
    if (this.unsynced === 0 || this.policy.mode !== 'batch') return 0;
    if (this.nowMs() - this.firstUnsyncedMs < this.policy.maxDelayMs) return 0;
    this.sync();
    return 1;
  }

  close(): void {
    if (this.closed) return;
    try {
      if (this.failed === null) this.sync();
    } finally {
      this.closed = true;
      closeSync(this.fd);
    }
  }
}

function validate(options: JournalOptions): void {
  if (!Number.isInteger(options.kind) || options.kind < 0 || options.kind > 0xffffffff) {
    throw new JournalError(`journal kind must be a u32, got ${options.kind}`);
  }
  if (!Number.isInteger(options.maxRecordLength) || options.maxRecordLength < 1 || options.maxRecordLength > 1 << 24) {
    throw new JournalError(`maxRecordLength must be an integer in 1..${1 << 24}, got ${options.maxRecordLength}`);
  }
  const f = options.fsync;
  if (f.mode === 'batch' && (!(Number.isInteger(f.maxRecords) && f.maxRecords >= 1) || !(f.maxDelayMs >= 0))) {
    throw new JournalError(`batch fsync needs maxRecords >= 1 and maxDelayMs >= 0, got ${f.maxRecords} / ${f.maxDelayMs}`);
  }
}

function writeFully(fd: number, bytes: Uint8Array, offset: number, length: number, position: number, path: string): void {
  let done = 0;
  while (done < length) {
    const n = writeSync(fd, bytes, offset + done, length - done, position + done);
    if (n <= 0) throw new JournalError(`journal ${path}: write returned ${n}`);
    done += n;
  }
}

/** Makes a newly created file's directory entry durable; not every platform can fsync a directory. */
function syncDirectory(dir: string): void {
  let fd = -1;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // best effort: the file's data is synced either way
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}
