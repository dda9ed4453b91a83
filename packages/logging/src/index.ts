export {
  createLogger,
  systemLogClock,
  LOG_LEVELS,
  type CreateLoggerOptions,
  type Logger,
  type LoggerControls,
  type LogClock,
  type LogLevel,
} from './createLogger.js';
export { installExitHandlers, type ExitHandlerOptions } from './installExitHandlers.js';
export { HourlyFileDestination, type HourlyFileOptions } from './HourlyFileDestination.js';
export { HOUR_MS, hourStamp, hourlyFileName, hourlyFilePattern } from './hourStamp.js';
export { loggingSchema, type LoggingConfig } from './loggingSchema.js';
