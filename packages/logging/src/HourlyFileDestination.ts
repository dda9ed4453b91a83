/**
 * Writes log lines to `<dir>/<service>.log.YYYY-MM-DD-HH` (UTC) with `<dir>/<service>.log` a symlink to the current
 * file, keeping the `retainFiles` newest hourly files.
 *
 * Invariants:
 * - A line goes to the file of the hour of its own timestamp (the caller passes the instant it stamped into the
 *   line), so no line lands in the wrong hour's file, even if the clock steps back (that hour's file is reopened
 *   in append mode).
 * - Writes are synchronous (sonic-boom `sync: true`). With `bufferBytes` 0 every line reaches the kernel before
 *   `write` returns; with a buffer, lines are held up to that many bytes and written at rotation, on `flushSync`,
 *   on the periodic flush and at process exit (an `exit` listener), so only SIGKILL or a native crash loses them.
 * - The link is replaced atomically (a temporary link renamed over it), so readers never see it missing.
 * - File-system failures never throw into the caller: they are reported once per hour to stderr and the lines for
 *   that hour are dropped from the file (stdout still gets them).
 */
import { mkdirSync, readdirSync, renameSync, symlinkSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import sonicBoom from 'sonic-boom';
import { HOUR_MS, hourlyFileName, hourlyFilePattern } from './hourStamp.js';

const { SonicBoom } = sonicBoom;
type Boom = InstanceType<typeof SonicBoom>;

export interface HourlyFileOptions {
  readonly dir: string;
  /** Log name, e.g. `mm_collector`. */
  readonly service: string;
  /** How many hourly files to keep (the current one included); at least 1. */
  readonly retainFiles: number;
  /** Bytes to buffer before writing; 0 writes every line at once. */
  readonly bufferBytes: number;
  /** Reports file-system problems (default: a line on stderr). */
  readonly onError?: (message: string) => void;
}

function reportToStderr(message: string): void {
  try {
    writeSync(2, `${message}\n`);
  } catch {
    // Nowhere left to report to.
  }
}

export class HourlyFileDestination {
  private boom: Boom | undefined;
  private hour = Number.NaN;
  private closed = false;
  private readonly pattern: RegExp;
  private readonly linkPath: string;
  private readonly onError: (message: string) => void;

  constructor(private readonly options: HourlyFileOptions) {
    if (!Number.isInteger(options.retainFiles) || options.retainFiles < 1) {
      throw new RangeError(`retainFiles must be an integer >= 1, got ${options.retainFiles}`);
    }
    this.pattern = hourlyFilePattern(options.service);
    this.linkPath = join(options.dir, `${options.service}.log`);
    this.onError = options.onError ?? reportToStderr;
  }

  /** Path of the file the last line went to (undefined before the first line). */
  get currentFile(): string | undefined {
    return Number.isNaN(this.hour) ? undefined : join(this.options.dir, hourlyFileName(this.options.service, this.hour * HOUR_MS));
  }

  /** Appends one line (with its newline) stamped at `epochMs`. */
  write(line: string, epochMs: number): void {
    if (this.closed) return;
    const hour = Math.floor(epochMs / HOUR_MS);
    if (hour !== this.hour) this.open(hour);
    if (this.boom === undefined) return;
    try {
      this.boom.write(line);
    } catch (e) {
      this.fail(`cannot write ${this.currentFile ?? ''}`, e);
    }
  }

  /** Writes any buffered lines now (and fsyncs). */
  flushSync(): void {
    if (this.boom === undefined) return;
    try {
      this.boom.flushSync();
    } catch (e) {
      this.fail(`cannot flush ${this.currentFile ?? ''}`, e);
    }
  }

  /** Flushes and closes; later writes are ignored. */
  close(): void {
    if (this.closed) return;
    this.flushSync();
    this.release();
    this.closed = true;
  }

  private release(): void {
    const boom = this.boom;
    this.boom = undefined;
    if (boom === undefined) return;
    try {
      // Everything was flushed synchronously; the close itself may finish on the event loop.
      boom.destroy();
    } catch {
      // Already destroyed after an error.
    }
  }

  private fail(what: string, e: unknown): void {
    const reason = e instanceof Error ? e.message : String(e);
    this.onError(`[${this.options.service}] logging: ${what}: ${reason}`);
  }

  private open(hour: number): void {
    this.flushSync();
    this.release();
    this.hour = hour;
    const file = join(this.options.dir, hourlyFileName(this.options.service, hour * HOUR_MS));
    try {
      mkdirSync(this.options.dir, { recursive: true });
      const boom = new SonicBoom({
        dest: file,
        sync: true,
        append: true,
        minLength: this.options.bufferBytes,
        // sonic-boom requires minLength < maxWrite (one write call's size).
        maxWrite: Math.max(16 * 1024, 2 * this.options.bufferBytes),
      });
      // Without a listener an I/O error event would crash the service.
      boom.on('error', (e: unknown) => this.fail(`cannot write ${file}`, e));
      this.boom = boom;
    } catch (e) {
      this.fail(`cannot open ${file}`, e);
      return;
    }
    this.updateLink(file);
    this.prune();
  }

  private updateLink(file: string): void {
    const tmp = `${this.linkPath}.tmp-${process.pid}`;
    try {
      try {
        unlinkSync(tmp);
      } catch {
        // Usually absent.
      }
      // Relative target: the directory can be moved or mounted elsewhere (docker volumes).
      symlinkSync(hourlyFileName(this.options.service, this.hour * HOUR_MS), tmp);
      renameSync(tmp, this.linkPath);
    } catch (e) {
      this.fail(`cannot update link ${this.linkPath} -> ${file}`, e);
    }
  }

  private prune(): void {
    const current = hourlyFileName(this.options.service, this.hour * HOUR_MS);
    try {
      // Names sort chronologically (fixed-width UTC stamp).
      const files = readdirSync(this.options.dir).filter((f) => this.pattern.test(f)).sort();
      const keep = new Set(files.slice(-this.options.retainFiles));
      keep.add(current);
      for (const f of files) {
        if (!keep.has(f)) unlinkSync(join(this.options.dir, f));
      }
    } catch (e) {
      this.fail(`cannot prune old files in ${this.options.dir}`, e);
    }
  }
}
