/**
 * Configuration of the `aeronmd` service: `config/aeronmd.toml` (schema below, kebab-case keys), generic
 * `MM_AERONMD__*` overrides, then Aeron's standard `AERON_*` variables, which win (Aeron's units: sizes may carry
 * k/m/g, timeouts are ns with optional ns/us/ms/s). Any problem exits with code 78 before the driver starts.
 * The file must also be valid on its own: a wrong value replaced by a variable (`LOG_LEVEL` over `[logging] level`,
 * any `MM_AERONMD__*`) is still an error, or it would surface only on the day the variable is unset.
 */
import { c, ConfigError, EXIT_CONFIG, loadConfigFile, loadConfigOrExit, resolveConfigDir, type Infer } from '@mm/config';
import { DRIVER_DEFAULTS, DriverConfigError, driverSettingsFromEnv, resolveDriverContext, type DriverContext } from '@mm/aeron-driver';
import { loggingSchema } from '@mm/logging';
import { writeSync } from 'node:fs';
import { join } from 'node:path';

const d = DRIVER_DEFAULTS;

export const aeronmdSchema = c.object({
  aeron: c.object({
    dir: c.optional(c.string({ nonEmpty: true, doc: 'Aeron dir (AERON_DIR wins); default /dev/shm/aeron-<user> like Aeron' })),
    dirDeleteOnStart: c.bool({ default: d.dirDeleteOnStart, doc: 'delete the dir at start even if a driver looks alive' }),
    dirDeleteOnShutdown: c.bool({ default: d.dirDeleteOnShutdown, doc: 'delete the dir on clean shutdown' }),
    ipcTermBufferLength: c.int({ min: 65536, max: 1 << 30, default: d.ipcTermBufferLength, doc: 'default IPC term length (channels may set term-length)' }),
    ipcMtuLength: c.int({ min: 64, max: 65504, default: d.ipcMtuLength, doc: 'default IPC MTU' }),
    ipcPublicationTermWindowLength: c.int({ min: 0, default: d.ipcPublicationTermWindowLength, doc: '0 = term length / 2' }),
    termBufferSparseFile: c.bool({ default: d.termBufferSparseFile, doc: 'create log files sparse instead of zero-filled' }),
    clientLivenessTimeoutNs: c.int({ min: 1, default: d.clientLivenessTimeoutNs }),
    publicationUnblockTimeoutNs: c.int({ min: 1, default: d.publicationUnblockTimeoutNs }),
    publicationLingerTimeoutNs: c.int({ min: 1, default: d.publicationLingerTimeoutNs }),
    untetheredWindowLimitTimeoutNs: c.int({ min: 1, default: d.untetheredWindowLimitTimeoutNs }),
    untetheredRestingTimeoutNs: c.int({ min: 1, default: d.untetheredRestingTimeoutNs }),
    timerIntervalNs: c.int({ min: 1, default: d.timerIntervalNs }),
    driverTimeoutMs: c.int({ min: 1, default: d.driverTimeoutMs, doc: 'age of heartbeat under which an existing driver counts as alive' }),
    conductorBufferLength: c.int({ min: 1024 + 768, default: d.conductorBufferLength }),
    clientsBufferLength: c.int({ min: 1024 + 128, default: d.clientsBufferLength }),
    countersBufferLength: c.int({ min: 8192, default: d.countersBufferLength }),
    errorBufferLength: c.int({ min: 1024, default: d.errorBufferLength }),
    terminationValidator: c.enum(['allow', 'deny'], { default: d.terminationValidator, doc: 'allow: a client may stop the driver' }),
  }),
  idle: c.object({
    dutyCycleBatch: c.int({ min: 1, max: 100_000, default: d.dutyCycleBatch, doc: 'busy duty cycles before yielding to the event loop' }),
    yieldCycles: c.int({ min: 0, max: 100_000, default: d.idleYieldCycles, doc: 'idle rounds that yield (setImmediate) before parking' }),
    maxParkMs: c.int({ min: 0, max: 100, default: d.idleMaxParkMs, doc: 'park length when idle (setTimeout)' }),
  }),
  logging: loggingSchema,
});

export type AeronmdConfig = Infer<typeof aeronmdSchema>;

export interface LoadedDriverConfig {
  readonly config: AeronmdConfig;
  readonly driver: DriverContext;
}

/** TOML + generic env, then AERON_* on top; validated. Throws ConfigError / DriverConfigError. */
export function resolveAeronmdSettings(config: AeronmdConfig, env: Readonly<Record<string, string | undefined>>): DriverContext {
  const a = config.aeron;
  const fromFile: Partial<DriverContext> = {
    ...(a.dir !== undefined ? { aeronDir: a.dir } : {}),
    dirDeleteOnStart: a.dirDeleteOnStart,
    dirDeleteOnShutdown: a.dirDeleteOnShutdown,
    ipcTermBufferLength: a.ipcTermBufferLength,
    ipcMtuLength: a.ipcMtuLength,
    ipcPublicationTermWindowLength: a.ipcPublicationTermWindowLength,
    termBufferSparseFile: a.termBufferSparseFile,
    clientLivenessTimeoutNs: a.clientLivenessTimeoutNs,
    publicationUnblockTimeoutNs: a.publicationUnblockTimeoutNs,
    publicationLingerTimeoutNs: a.publicationLingerTimeoutNs,
    untetheredWindowLimitTimeoutNs: a.untetheredWindowLimitTimeoutNs,
    untetheredRestingTimeoutNs: a.untetheredRestingTimeoutNs,
    timerIntervalNs: a.timerIntervalNs,
    driverTimeoutMs: a.driverTimeoutMs,
    conductorBufferLength: a.conductorBufferLength,
    clientsBufferLength: a.clientsBufferLength,
    countersBufferLength: a.countersBufferLength,
    errorBufferLength: a.errorBufferLength,
    terminationValidator: a.terminationValidator,
    dutyCycleBatch: config.idle.dutyCycleBatch,
    idleYieldCycles: config.idle.yieldCycles,
    idleMaxParkMs: config.idle.maxParkMs,
  };
  return resolveDriverContext({ ...fromFile, ...driverSettingsFromEnv(env) });
}

/** `<config dir>/aeronmd.toml`, the file `loadConfigOrExit('aeronmd', …)` reads with the same environment. */
export function aeronmdConfigFile(env: Readonly<Record<string, string | undefined>>): string {
  return join(resolveConfigDir(env), 'aeronmd.toml');
}

/**
 * Validates the file as written, with no environment override applied (a missing file is valid: defaults).
 * Throws ConfigError listing every problem, including values that a variable currently replaces.
 */
export function checkConfigFileAlone(file: string): void {
  loadConfigFile(file, aeronmdSchema, { env: {} });
}

/** Loads everything or exits 78 with one line per problem on stderr. */
export function loadDriverConfigOrExit(env: Readonly<Record<string, string | undefined>> = process.env): LoadedDriverConfig {
  // Also rejects a bad value in the file that LOG_LEVEL or another variable masks now (@mm/config).
  const config = loadConfigOrExit('aeronmd', aeronmdSchema, { env });
  try {
    return { config, driver: resolveAeronmdSettings(config, env) };
  } catch (e) {
    if (e instanceof DriverConfigError || e instanceof ConfigError) {
      writeSync(2, `[aeronmd] config error: ${e.message}\n`);
      process.exit(EXIT_CONFIG);
    }
    throw e;
  }
}
