/**
 * Last words: on SIGTERM/SIGINT, an uncaught exception or an unhandled rejection, log what happened, flush the
 * logger synchronously and exit, so the final lines are in the file whatever the buffer setting.
 *
 * Exit codes: 0 after a signal-driven shutdown that completed, 1 after a crash, a failed or timed-out shutdown, or a
 * second signal during shutdown.
 */
import type { Logger } from './createLogger.js';

export interface ExitHandlerOptions {
  /** Default SIGTERM and SIGINT. */
  readonly signals?: readonly NodeJS.Signals[];
  /** The service's own orderly shutdown (stop agents, close publications), run before the final flush. */
  readonly onShutdown?: (signal: NodeJS.Signals) => void | Promise<void>;
  /** Default 5000 ms. */
  readonly shutdownTimeoutMs?: number;
  /** Injected for tests; default process.exit. */
  readonly exit?: (code: number) => void;
}

/** Installs the handlers; returns a function that removes them. */
export function installExitHandlers(logger: Logger, options: ExitHandlerOptions = {}): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  let shuttingDown = false;

  const finish = (code: number): void => {
    logger.flushAndClose();
    exit(code);
  };

  const onCrash = (what: string) => (err: unknown): void => {
    logger.fatal({ err }, what);
    finish(1);
  };
  const onUncaught = onCrash('uncaught exception');
  const onRejection = onCrash('unhandled promise rejection');

  const onSignal = (signal: NodeJS.Signals): void => {
    if (shuttingDown) {
      logger.warn({ signal }, `received ${signal} again during shutdown, exiting now`);
      finish(1);
      return;
    }
    shuttingDown = true;
    logger.info({ signal }, `received ${signal}, shutting down`);
    const timeoutMs = options.shutdownTimeoutMs ?? 5000;
    const timer = setTimeout(() => {
      logger.error({ signal, timeoutMs }, 'shutdown did not finish in time, exiting');
      finish(1);
    }, timeoutMs);
    Promise.resolve()
      .then(() => options.onShutdown?.(signal))
      .then(
        () => {
          clearTimeout(timer);
          logger.info({ signal }, 'shutdown complete');
          finish(0);
        },
        (err: unknown) => {
          clearTimeout(timer);
          logger.error({ err, signal }, 'shutdown failed');
          finish(1);
        },
      );
  };

  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onRejection);
  for (const s of signals) process.on(s, onSignal);
  return () => {
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onRejection);
    for (const s of signals) process.off(s, onSignal);
  };
}
