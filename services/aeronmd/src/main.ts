/**
 * `aeronmd`: the product's Aeron IPC media driver process.
 * Exit codes: 0 after SIGINT/SIGTERM or a permitted TERMINATE_DRIVER; 78 for bad configuration; 1 when the driver
 * cannot start (e.g. another live driver owns the Aeron dir) or fails.
 * Signal handlers are installed before the driver starts, so a signal at any point after "media driver started" is
 * a clean shutdown.
 */
import { ActiveDriverError, MediaDriver } from '@mm/aeron-driver';
import { createLogger, installExitHandlers } from '@mm/logging';
import { loadDriverConfigOrExit } from './DriverConfig.js';

const { config, driver: settings } = loadDriverConfigOrExit();
const log = createLogger({
  service: 'aeronmd',
  level: config.logging.level,
  retainFiles: config.logging.retainFiles,
  bufferBytes: config.logging.bufferBytes,
});

let driver: MediaDriver | undefined;
installExitHandlers(log, {
  onShutdown: async () => {
    await driver?.close();
  },
});

try {
  driver = MediaDriver.launch({
    ...settings,
    logger: (level, msg, fields) => log[level](fields ?? {}, msg),
  });
} catch (e) {
  log.fatal({ err: e, dir: settings.aeronDir }, e instanceof ActiveDriverError ? e.message : 'media driver failed to start');
  log.flushSync();
  process.exit(1);
}

void driver.terminated.then((reason) => {
  if (reason === 'terminated') {
    log.info({}, 'terminated by a client (TERMINATE_DRIVER)');
    log.flushSync();
    process.exit(0);
  }
});
