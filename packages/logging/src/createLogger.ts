/**
 * The product logger: pino JSON lines (`"level":"info"`, `"time":<epoch ms>`, `"service":...`) to stdout and to
 * hourly files (see HourlyFileDestination).
 *
 * Level: `LOG_LEVEL` (if a valid level) wins over `options.level`, which defaults to `info`; an invalid `LOG_LEVEL`
 * is reported with a warning line and ignored. Services normally validate `LOG_LEVEL` in their config schema too.
 *
 * The clock is injected so tests cross hour boundaries deterministically; the instant pino stamps into a line is
 * the instant used to choose its file, so a line and its file always agree.
 */
import { resolveLogDir, type Env } from '@mm/config';
import pino from 'pino';
import sonicBoom from 'sonic-boom';
import { HourlyFileDestination } from './HourlyFileDestination.js';

const { SonicBoom } = sonicBoom;

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LogClock {
  epochMs(): number;
}

export const systemLogClock: LogClock = { epochMs: () => Date.now() };

export interface CreateLoggerOptions {
  /** Log name, e.g. `mm_collector`, `matching-engine`. */
  readonly service: string;
  /** Defaults to `MM_LOG_DIR` or `<repo>/logs`. */
  readonly logDir?: string;
  readonly level?: LogLevel;
  readonly clock?: LogClock;
  /** Hourly files to keep, the current one included (default 72). */
  readonly retainFiles?: number;
  /** Also write to stdout (default true). */
  readonly stdout?: boolean;
  /** Bytes buffered before a file write (default 0: every line written at once). */
  readonly bufferBytes?: number;
  /** How often buffered lines are flushed (default 1000 ms; only when bufferBytes > 0). */
  readonly flushIntervalMs?: number;
  /** Receives file-system problems (default: one line on stderr); logging itself never throws. */
  readonly onError?: (message: string) => void;
  /** Defaults to process.env (read for LOG_LEVEL and MM_LOG_DIR). */
  readonly env?: Env;
}

export interface LoggerControls {
  /** Writes everything buffered to the file and stdout, synchronously. */
  flushSync(): void;
  /** Flushes and closes the file; later lines are dropped. Safe to call twice. */
  flushAndClose(): void;
  /** The hourly file the last line went to. */
  currentFile(): string | undefined;
  readonly logDir: string;
}

export type Logger = pino.Logger<never, boolean> & LoggerControls;

function isLevel(s: string): s is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(s);
}

/** The pino destination: one line in, to the hourly file (by the line's own stamp) and stdout. */
class LogSink {
  /** Set by the timestamp function just before pino calls `write` for the same line. */
  stampMs = 0;
  private stdout: InstanceType<typeof SonicBoom> | undefined;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly onExit = (): void => this.flushSync();

  constructor(
    readonly file: HourlyFileDestination,
    stdout: boolean,
    flushIntervalMs: number | undefined,
  ) {
    if (stdout) {
      const boom = new SonicBoom({ fd: 1, sync: true });
      // A closed stdout (EPIPE) must not take the service down; the file still has everything.
      boom.on('error', () => {
        this.stdout = undefined;
      });
      this.stdout = boom;
    }
    if (flushIntervalMs !== undefined) {
      this.timer = setInterval(() => this.file.flushSync(), flushIntervalMs);
      this.timer.unref();
    }
    // `process.exit()` anywhere still gets buffered lines out: exit listeners run synchronously.
    process.on('exit', this.onExit);
  }

  write(line: string): void {
    this.file.write(line, this.stampMs);
    if (this.stdout !== undefined) {
      try {
        this.stdout.write(line);
      } catch {
        this.stdout = undefined;
      }
    }
  }

  flushSync(): void {
    this.file.flushSync();
    try {
      this.stdout?.flushSync();
    } catch {
      // stdout gone; nothing to do.
    }
  }

  /** pino's `logger.flush(cb)`. */
  flush(cb?: (err?: Error) => void): void {
    this.flushSync();
    cb?.();
  }

  close(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    process.off('exit', this.onExit);
    this.flushSync();
    this.file.close();
  }
}

export function createLogger(options: CreateLoggerOptions): Logger {
  const env = options.env ?? process.env;
  const clock = options.clock ?? systemLogClock;
  const logDir = options.logDir ?? resolveLogDir(env);
  const bufferBytes = options.bufferBytes ?? 0;
  const file = new HourlyFileDestination({
    dir: logDir,
    service: options.service,
    retainFiles: options.retainFiles ?? 72,
    bufferBytes,
    ...(options.onError === undefined ? {} : { onError: options.onError }),
  });
  const sink = new LogSink(file, options.stdout ?? true, bufferBytes > 0 ? (options.flushIntervalMs ?? 1000) : undefined);

  const fromEnv = env['LOG_LEVEL']?.trim().toLowerCase();
  const envLevelValid = fromEnv !== undefined && fromEnv !== '' && isLevel(fromEnv);
  const level: LogLevel = envLevelValid ? fromEnv : (options.level ?? 'info');

  const logger = pino(
    {
      level,
      base: { service: options.service, pid: process.pid },
      timestamp: () => {
        const t = clock.epochMs();
        sink.stampMs = t;
        return `,"time":${t}`;
      },
      formatters: { level: (label) => ({ level: label }) },
    },
    sink,
  );
  let closed = false;
  const controls: LoggerControls = {
    flushSync: () => sink.flushSync(),
    flushAndClose: () => {
      if (closed) return;
      closed = true;
      sink.close();
    },
    currentFile: () => file.currentFile,
    logDir,
  };
  const result = Object.assign(logger, controls);
  if (fromEnv !== undefined && fromEnv !== '' && !envLevelValid) {
    result.warn({ LOG_LEVEL: env['LOG_LEVEL'] }, `LOG_LEVEL is not one of ${LOG_LEVELS.join(', ')}; using "${level}"`);
  }
  return result;
}
