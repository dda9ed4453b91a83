/**
 * A mapped CnC file: its header, regions and counters. `openReadOnly` is for observers (aeron-stat, health
 * checks) that must not register with the driver; `open` maps read-write for a client.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CountersReader, MappedFile } from '@mm/agrona';
import type { AtomicBuffer } from '@mm/agrona';
import { CNC_FILE, CncMetadata, semanticVersionToString } from './CncFileDescriptor.js';
import { RingBufferDescriptor } from '@mm/agrona';
import { AeronError } from './exceptions/AeronError.js';

export class CncFile {
  readonly path: string;
  readonly file: MappedFile;
  readonly metadata: CncMetadata;
  readonly countersReader: CountersReader;
  private readonly toDriver: AtomicBuffer;

  private constructor(path: string, file: MappedFile) {
    this.path = path;
    this.file = file;
    this.metadata = new CncMetadata(file.buffer);
    if (this.metadata.cncVersion() === 0) {
      file.close();
      throw new AeronError(`CnC file ${path} is not ready yet (version 0: the driver is still starting)`);
    }
    try {
      this.metadata.checkCompatible();
    } catch (e) {
      file.close();
      throw e;
    }
    this.countersReader = new CountersReader(this.metadata.countersMetadataBuffer(), this.metadata.countersValuesBuffer());
    this.toDriver = this.metadata.toDriverBuffer();
  }

  static path(aeronDir: string): string { return join(aeronDir, CNC_FILE); }

  /** Maps `<aeronDir>/cnc.dat` read-only without registering as a client. Throws AeronError if absent/not ready. */
  static openReadOnly(aeronDir: string): CncFile {
    return CncFile.openFile(aeronDir, true);
  }

  static open(aeronDir: string): CncFile {
    return CncFile.openFile(aeronDir, false);
  }

  private static openFile(aeronDir: string, readOnly: boolean): CncFile {
    const path = CncFile.path(aeronDir);
    if (!existsSync(path)) throw new AeronError(`no CnC file at ${path} (is the media driver running with this AERON_DIR?)`);
    const file = MappedFile.map(path, { readOnly });
    if (file.length <= 128) {
      file.close();
      throw new AeronError(`CnC file ${path} is only ${file.length} bytes (driver still creating it?)`);
    }
    return new CncFile(path, file);
  }

  cncVersion(): string { return semanticVersionToString(this.metadata.cncVersion()); }
  pid(): number { return this.metadata.pid(); }
  startTimestampMs(): number { return this.metadata.startTimestampMs(); }

  /** Epoch ms of the driver's last heartbeat (0 = never, -1 = driver shut down). */
  driverHeartbeatMs(): number {
    const capacity = this.toDriver.capacity - RingBufferDescriptor.TRAILER_LENGTH;
    return this.toDriver.getInt64VolatileNumber(capacity + RingBufferDescriptor.CONSUMER_HEARTBEAT_OFFSET);
  }

  /** Age of the driver heartbeat in ms (Infinity when it never beat or has shut down). */
  driverHeartbeatAgeMs(nowMs = Date.now()): number {
    const hb = this.driverHeartbeatMs();
    return hb <= 0 ? Infinity : nowMs - hb;
  }

  errorLogBuffer(): AtomicBuffer { return this.metadata.errorLogBuffer(); }

  close(): void { this.file.close(); }
}
