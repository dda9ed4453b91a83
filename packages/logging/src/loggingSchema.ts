/** The `[logging]` table every service schema can embed: `logging: loggingSchema`. */
import { c, type Infer } from '@mm/config';

export const loggingSchema = c.object({
  level: c.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], { default: 'info', env: 'LOG_LEVEL', doc: 'minimum level written' }),
  retainFiles: c.int({ min: 1, max: 10_000, default: 72, doc: 'hourly log files kept per service' }),
  bufferBytes: c.int({ min: 0, max: 16 * 1024 * 1024, default: 0, doc: 'bytes buffered before a file write (0 = every line)' }),
});

export type LoggingConfig = Infer<typeof loggingSchema>;
