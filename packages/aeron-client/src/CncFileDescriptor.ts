/**
 * Layout of the command-and-control file `<aeronDir>/cnc.dat` (CnC version 0.2.0, Aeron 1.47).
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +---------------------------------------------------------------+
 *   |  0  CnC version (major<<16 | minor<<8 | patch), stored LAST   |
 *   |  4  to-driver buffer length (incl. 768-byte trailer)          |
 *   |  8  to-clients buffer length (incl. 128-byte trailer)         |
 *   | 12  counters metadata buffer length                           |
 *   | 16  counters values buffer length                             |
 *   | 20  error log buffer length                                   |
 *   | 24  client liveness timeout (ns, int64)                       |
 *   | 32  driver start timestamp (epoch ms, int64)                  |
 *   | 40  driver pid (int64)                                        |
 *   +---------------------------------------------------------------+
 *   | 128 to-driver | to-clients | counters metadata | counters values | error log |  (no gaps)
 *
 * File length = align(128 + sum of the five buffers, 4096). A version of 0 means "not ready yet"; only the major
 * version must match.
 */
import { AtomicBuffer } from '@mm/agrona';

export const CNC_FILE = 'cnc.dat';
export const CNC_VERSION = semanticVersionCompose(0, 2, 0);

export const CncFileDescriptor = {
  CNC_VERSION_FIELD_OFFSET: 0,
  TO_DRIVER_BUFFER_LENGTH_FIELD_OFFSET: 4,
  TO_CLIENTS_BUFFER_LENGTH_FIELD_OFFSET: 8,
  COUNTERS_METADATA_BUFFER_LENGTH_FIELD_OFFSET: 12,
  COUNTERS_VALUES_BUFFER_LENGTH_FIELD_OFFSET: 16,
  ERROR_LOG_BUFFER_LENGTH_FIELD_OFFSET: 20,
  CLIENT_LIVENESS_TIMEOUT_FIELD_OFFSET: 24,
  START_TIMESTAMP_FIELD_OFFSET: 32,
  PID_FIELD_OFFSET: 40,
  META_DATA_LENGTH: 48,
  END_OF_METADATA_OFFSET: 128,
  FILE_PAGE_SIZE: 4096,
} as const;

const F = CncFileDescriptor;

export function semanticVersionCompose(major: number, minor: number, patch: number): number {
  return (major << 16) | (minor << 8) | patch;
}
export function semanticVersionMajor(version: number): number { return (version >> 16) & 0xff; }
export function semanticVersionToString(version: number): string {
  return `${(version >> 16) & 0xff}.${(version >> 8) & 0xff}.${version & 0xff}`;
}

export function computeCncFileLength(toDriverLength: number, toClientsLength: number, countersMetadataLength: number,
  countersValuesLength: number, errorLogLength: number): number {
  const total = F.END_OF_METADATA_OFFSET + toDriverLength + toClientsLength + countersMetadataLength + countersValuesLength + errorLogLength;
  return Math.ceil(total / F.FILE_PAGE_SIZE) * F.FILE_PAGE_SIZE;
}

/** Typed reads of the CnC header plus sub-buffers over each region. Holds views, no copies. */
export class CncMetadata {
  readonly cnc: AtomicBuffer;
  constructor(cnc: AtomicBuffer) {
    if (cnc.capacity < F.END_OF_METADATA_OFFSET) {
      throw new RangeError(`CnC file of ${cnc.capacity} bytes is shorter than its ${F.END_OF_METADATA_OFFSET}-byte header`);
    }
    this.cnc = cnc;
  }
  cncVersion(): number { return this.cnc.getInt32Volatile(F.CNC_VERSION_FIELD_OFFSET); }
  toDriverBufferLength(): number { return this.cnc.getInt32(F.TO_DRIVER_BUFFER_LENGTH_FIELD_OFFSET); }
  toClientsBufferLength(): number { return this.cnc.getInt32(F.TO_CLIENTS_BUFFER_LENGTH_FIELD_OFFSET); }
  countersMetadataBufferLength(): number { return this.cnc.getInt32(F.COUNTERS_METADATA_BUFFER_LENGTH_FIELD_OFFSET); }
  countersValuesBufferLength(): number { return this.cnc.getInt32(F.COUNTERS_VALUES_BUFFER_LENGTH_FIELD_OFFSET); }
  errorLogBufferLength(): number { return this.cnc.getInt32(F.ERROR_LOG_BUFFER_LENGTH_FIELD_OFFSET); }
  clientLivenessTimeoutNs(): bigint { return this.cnc.getInt64BigInt(F.CLIENT_LIVENESS_TIMEOUT_FIELD_OFFSET); }
  startTimestampMs(): number { return this.cnc.getInt64(F.START_TIMESTAMP_FIELD_OFFSET); }
  pid(): number { return this.cnc.getInt64(F.PID_FIELD_OFFSET); }

  /**
   * Throws a clear error when the version is not compatible or the file is too short for the lengths it
   * declares. Call only once `cncVersion()` is non-zero.
   */
  checkCompatible(): void {
    const version = this.cncVersion();
    if (semanticVersionMajor(version) !== semanticVersionMajor(CNC_VERSION)) {
      throw new Error(`CnC version not compatible: app=${semanticVersionToString(CNC_VERSION)} file=${semanticVersionToString(version)}`);
    }
    const needed = F.END_OF_METADATA_OFFSET + this.toDriverBufferLength() + this.toClientsBufferLength() +
      this.countersMetadataBufferLength() + this.countersValuesBufferLength();
    if (this.cnc.capacity < needed) {
      throw new Error(`CnC file is ${this.cnc.capacity} bytes but its header needs at least ${needed}`);
    }
  }

  private region(offset: number, length: number): AtomicBuffer {
    return new AtomicBuffer(this.cnc.buffer, this.cnc.byteOffset + offset, length);
  }
  toDriverBuffer(): AtomicBuffer { return this.region(F.END_OF_METADATA_OFFSET, this.toDriverBufferLength()); }
  toClientsBuffer(): AtomicBuffer {
    return this.region(F.END_OF_METADATA_OFFSET + this.toDriverBufferLength(), this.toClientsBufferLength());
  }
  countersMetadataBuffer(): AtomicBuffer {
    return this.region(F.END_OF_METADATA_OFFSET + this.toDriverBufferLength() + this.toClientsBufferLength(),
      this.countersMetadataBufferLength());
  }
  countersValuesBuffer(): AtomicBuffer {
    return this.region(F.END_OF_METADATA_OFFSET + this.toDriverBufferLength() + this.toClientsBufferLength() +
      this.countersMetadataBufferLength(), this.countersValuesBufferLength());
  }
  errorLogBuffer(): AtomicBuffer {
    return this.region(F.END_OF_METADATA_OFFSET + this.toDriverBufferLength() + this.toClientsBufferLength() +
      this.countersMetadataBufferLength() + this.countersValuesBufferLength(), this.errorLogBufferLength());
  }

  /**
   * Driver side: writes every header field except the version (see `signalCncReady`), in the order Aeron's
   * driver does.
   */
  fillMetaData(lengths: { toDriver: number; toClients: number; countersMetadata: number; countersValues: number; errorLog: number },
    clientLivenessTimeoutNs: bigint, startTimestampMs: number, pid: number): void {
    const c = this.cnc;
    c.putInt32(F.TO_DRIVER_BUFFER_LENGTH_FIELD_OFFSET, lengths.toDriver);
    c.putInt32(F.TO_CLIENTS_BUFFER_LENGTH_FIELD_OFFSET, lengths.toClients);
    c.putInt32(F.COUNTERS_METADATA_BUFFER_LENGTH_FIELD_OFFSET, lengths.countersMetadata);
    c.putInt32(F.COUNTERS_VALUES_BUFFER_LENGTH_FIELD_OFFSET, lengths.countersValues);
    c.putInt32(F.ERROR_LOG_BUFFER_LENGTH_FIELD_OFFSET, lengths.errorLog);
    c.putInt64BigInt(F.CLIENT_LIVENESS_TIMEOUT_FIELD_OFFSET, clientLivenessTimeoutNs);
    c.putInt64(F.START_TIMESTAMP_FIELD_OFFSET, startTimestampMs);
    c.putInt64(F.PID_FIELD_OFFSET, pid);
  }

  /** Driver side: the release store of the version that tells clients the file is ready. */
  signalCncReady(version = CNC_VERSION): void { this.cnc.putInt32Ordered(F.CNC_VERSION_FIELD_OFFSET, version); }
}
