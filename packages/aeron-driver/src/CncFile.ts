/**
 * Creates and owns the driver's `cnc.dat` (CnC version 0.2.0), and decides whether an existing Aeron dir belongs to
 * a live driver.
 *
 * Metadata header (48 bytes; the first buffer starts at 128):
 * ```
 *   0 int32 CnC version (0x200), release-stored LAST: clients treat 0 as "not ready"
 *   4 int32 to-driver buffer length     8 int32 to-clients buffer length
 *  12 int32 counters metadata length   16 int32 counters values length   20 int32 error log length
 *  24 int64 client liveness timeout ns 32 int64 driver start time epoch ms 40 int64 driver pid
 * ```
 * Buffers follow without gaps: to-driver, to-clients, counters metadata (4 x values), counters values, error log.
 * File length = align(128 + sum, 4096).
 */
import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AtomicBuffer, MappedFile } from '@mm/agrona';
import { CNC_FILE, CNC_VERSION, CncFileDescriptor, CncMetadata, computeCncFileLength } from '@mm/aeron-client';
import type { DriverContext } from './DriverContext.js';

const F = CncFileDescriptor;
export { CNC_FILE, CNC_VERSION };
export const CNC_HEADER_LENGTH = F.END_OF_METADATA_OFFSET;
export const CNC_VERSION_OFFSET = F.CNC_VERSION_FIELD_OFFSET;
export const CNC_TO_DRIVER_LENGTH_OFFSET = F.TO_DRIVER_BUFFER_LENGTH_FIELD_OFFSET;
export const CNC_TO_CLIENTS_LENGTH_OFFSET = F.TO_CLIENTS_BUFFER_LENGTH_FIELD_OFFSET;
export const CNC_COUNTERS_METADATA_LENGTH_OFFSET = F.COUNTERS_METADATA_BUFFER_LENGTH_FIELD_OFFSET;
export const CNC_COUNTERS_VALUES_LENGTH_OFFSET = F.COUNTERS_VALUES_BUFFER_LENGTH_FIELD_OFFSET;
export const CNC_ERROR_LOG_LENGTH_OFFSET = F.ERROR_LOG_BUFFER_LENGTH_FIELD_OFFSET;
export const CNC_PID_OFFSET = F.PID_FIELD_OFFSET;
/** To-driver consumer heartbeat, relative to the end of the ring's records (its trailer). */
const TO_DRIVER_CONSUMER_HEARTBEAT_TRAILER_OFFSET = 640;
const TO_DRIVER_TRAILER_LENGTH = 768;
/**
 * Aeron's loss report (`loss-report.dat`, 1 MiB by default). IPC never loses data, so it stays all zeros (no
 * entries); it exists because Aeron's LossStat tool fails on a dir without it.
 */
export const LOSS_REPORT_FILE = 'loss-report.dat';
export const LOSS_REPORT_LENGTH = 1024 * 1024;

export class ActiveDriverError extends Error {
  constructor(dir: string, heartbeatAgeMs: number) {
    super(`active Aeron driver detected in ${dir} (heartbeat ${heartbeatAgeMs} ms old); refusing to start a second one`);
    this.name = 'ActiveDriverError';
  }
}

export interface ExistingCncStatus {
  readonly exists: boolean;
  /** Age of the to-driver consumer heartbeat in ms, or undefined when the file is unreadable/not ready. */
  readonly heartbeatAgeMs: number | undefined;
  readonly pid: number | undefined;
  /** Error log bytes of the old driver (a copy), so the new driver can report them before deleting the dir. */
  readonly errorLog: Uint8Array | undefined;
}

/** Reads what is needed from an existing `cnc.dat` without writing anything. */
export function inspectExistingCnc(aeronDir: string, nowMs: number): ExistingCncStatus {
  const path = join(aeronDir, CNC_FILE);
  if (!existsSync(path)) return { exists: false, heartbeatAgeMs: undefined, pid: undefined, errorLog: undefined };
  let file: MappedFile | undefined;
  try {
    file = MappedFile.map(path, { readOnly: true });
    const b = file.buffer;
    if (b.capacity < CNC_HEADER_LENGTH || b.getInt32Volatile(CNC_VERSION_OFFSET) === 0) {
      return { exists: true, heartbeatAgeMs: undefined, pid: undefined, errorLog: undefined };
    }
    const toDriver = b.getInt32(CNC_TO_DRIVER_LENGTH_OFFSET);
    const toClients = b.getInt32(CNC_TO_CLIENTS_LENGTH_OFFSET);
    const meta = b.getInt32(CNC_COUNTERS_METADATA_LENGTH_OFFSET);
    const values = b.getInt32(CNC_COUNTERS_VALUES_LENGTH_OFFSET);
    const errors = b.getInt32(CNC_ERROR_LOG_LENGTH_OFFSET);
    const heartbeatOffset = CNC_HEADER_LENGTH + toDriver - TO_DRIVER_TRAILER_LENGTH + TO_DRIVER_CONSUMER_HEARTBEAT_TRAILER_OFFSET;
    if (toDriver <= TO_DRIVER_TRAILER_LENGTH || heartbeatOffset + 8 > b.capacity) {
      return { exists: true, heartbeatAgeMs: undefined, pid: undefined, errorLog: undefined };
    }
    const heartbeat = b.getInt64Volatile(heartbeatOffset);
    const errorOffset = CNC_HEADER_LENGTH + toDriver + toClients + meta + values;
    const errorLog = errorOffset + errors <= b.capacity && errors > 0 ? b.bytes.slice(errorOffset, errorOffset + errors) : undefined;
    return {
      exists: true,
      heartbeatAgeMs: heartbeat > 0 ? nowMs - heartbeat : undefined,
      pid: b.getInt64(CNC_PID_OFFSET),
      errorLog,
    };
  } catch {
    return { exists: true, heartbeatAgeMs: undefined, pid: undefined, errorLog: undefined };
  } finally {
    file?.close();
  }
}

/**
 * Makes the Aeron dir ready for a new driver: refuses when a live driver owns it (heartbeat younger than the driver
 * timeout and its pid, if on this host's pid namespace, still running), otherwise deletes it (stale) and recreates
 * it with `publications/`, `images/` and an empty loss report.
 * Returns the status of the previous CnC (for logging the old driver's errors).
 */
export function prepareAeronDir(ctx: DriverContext): ExistingCncStatus {
  const status = ctx.dirDeleteOnStart
    ? { exists: false, heartbeatAgeMs: undefined, pid: undefined, errorLog: undefined }
    : inspectExistingCnc(ctx.aeronDir, ctx.epochClockMs());
  // `now` is read before the file: a live driver may beat in between, so a slightly negative age is a fresh
  // heartbeat too (treating it as stale let a second driver delete a live one's dir under load).
  const age = status.heartbeatAgeMs;
  const fresh = age !== undefined && age >= -ctx.driverTimeoutMs && age <= ctx.driverTimeoutMs;
  // A fresh heartbeat from a pid that no longer exists is a driver killed moments ago (same pid namespace). A pid
  // equal to ours (another container's pid 1, say) or one that exists proves nothing, so the heartbeat decides.
  if (fresh && !(status.pid !== undefined && status.pid !== process.pid && !isPidAlive(status.pid))) {
    throw new ActiveDriverError(ctx.aeronDir, status.heartbeatAgeMs!);
  }
  rmSync(ctx.aeronDir, { recursive: true, force: true });
  mkdirSync(join(ctx.aeronDir, 'publications'), { recursive: true });
  mkdirSync(join(ctx.aeronDir, 'images'), { recursive: true });
  const lossReport = openSync(join(ctx.aeronDir, LOSS_REPORT_FILE), 'w');
  try {
    ftruncateSync(lossReport, LOSS_REPORT_LENGTH); // sparse: reads as zeros, takes no memory
  } finally {
    closeSync(lossReport);
  }
  return status;
}

function isPidAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The mapped CnC and views over its five buffers. */
export class CncFile {
  readonly file: MappedFile;
  readonly metaData: AtomicBuffer;
  readonly toDriver: AtomicBuffer;
  readonly toClients: AtomicBuffer;
  readonly countersMetadata: AtomicBuffer;
  readonly countersValues: AtomicBuffer;
  readonly errorLog: AtomicBuffer;

  private constructor(file: MappedFile, ctx: DriverContext) {
    this.file = file;
    const raw = file.buffer.buffer;
    let offset = CNC_HEADER_LENGTH;
    const next = (length: number): AtomicBuffer => {
      const view = new AtomicBuffer(raw, offset, length);
      offset += length;
      return view;
    };
    this.metaData = new AtomicBuffer(raw, 0, CNC_HEADER_LENGTH);
    this.toDriver = next(ctx.conductorBufferLength);
    this.toClients = next(ctx.clientsBufferLength);
    this.countersMetadata = next(ctx.countersBufferLength * 4);
    this.countersValues = next(ctx.countersBufferLength);
    this.errorLog = next(ctx.errorBufferLength);
  }

  static fileLength(ctx: DriverContext): number {
    return computeCncFileLength(ctx.conductorBufferLength, ctx.clientsBufferLength, ctx.countersBufferLength * 4, ctx.countersBufferLength, ctx.errorBufferLength);
  }

  /** Creates `cnc.dat` and writes every header field except the version (see `signalReady`). */
  static create(ctx: DriverContext): CncFile {
    const file = MappedFile.create(join(ctx.aeronDir, CNC_FILE), CncFile.fileLength(ctx));
    const cnc = new CncFile(file, ctx);
    new CncMetadata(file.buffer).fillMetaData(
      {
        toDriver: ctx.conductorBufferLength,
        toClients: ctx.clientsBufferLength,
        countersMetadata: ctx.countersBufferLength * 4,
        countersValues: ctx.countersBufferLength,
        errorLog: ctx.errorBufferLength,
      },
      BigInt(ctx.clientLivenessTimeoutNs),
      ctx.epochClockMs(),
      process.pid,
    );
    return cnc;
  }

  /** Publishes the version last: from here on clients may connect. */
  signalReady(): void {
    new CncMetadata(this.file.buffer).signalCncReady(CNC_VERSION);
  }

  close(): void {
    this.file.close();
  }
}
