/**
 * The engine's log interface (message first, fields second), backed by @mm/logging (pino JSON lines to stdout and
 * hourly files). Not for hot paths: one line per connection event at most.
 */
import { createLogger as createProductLogger, type Logger as ProductLogger, type LogLevel } from '@mm/logging';

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

export function adaptLogger(p: ProductLogger): Logger {
  return {
    info: (m, f) => p.info(f ?? {}, m),
    warn: (m, f) => p.warn(f ?? {}, m),
    error: (m, f) => p.error(f ?? {}, m),
  };
}

export function createEngineLogger(options: { level: LogLevel; retainFiles: number; bufferBytes: number }): { log: Logger; product: ProductLogger } {
  const product = createProductLogger({ service: 'matching-engine', level: options.level, retainFiles: options.retainFiles, bufferBytes: options.bufferBytes });
  return { log: adaptLogger(product), product };
}

/** A logger that drops everything (tests, benchmarks). */
export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
