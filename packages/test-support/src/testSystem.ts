import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChildProcessHandle } from './ChildProcessHandle.js';
import { repoRoot, tempDir } from './paths.js';
import { waitFor } from './waitFor.js';

/**
 * Process-test scaffolding: a private Aeron dir and config dir per test, the product's media driver as a real
 * process with 64 KiB terms and sub-second timeouts, and services started from their compiled `dist/main.js`.
 */
export const STREAM_NAMES = ['book', 'state', 'heartbeat', 'trade', 'pricing', 'quote', 'fill', 'position', 'engine-trade', 'engine-top', 'instrument'] as const;

export interface TestSystem {
  readonly root: string;
  readonly aeronDir: string;
  readonly configDir: string;
  readonly logDir: string;
  /** Env every process of this test gets (AERON_DIR, MM_CONFIG_DIR, MM_LOG_DIR, short timeouts). */
  readonly env: Record<string, string>;
}

/**
 * A fresh config dir holding the repo's `config/*.toml` (the shipped defaults), then streams.toml (64 KiB terms
 * unless `termLengths` says otherwise), symbols.toml and the given `<name>.toml` files, which replace shipped ones.
 * Services run with the test's root as working directory, so their `data/...` files stay inside the test.
 */
export function createTestSystem(
  files: Record<string, string> = {},
  symbols: readonly string[] = ['BTCUSDT', 'ETHUSDT'],
  termLengths: Partial<Record<(typeof STREAM_NAMES)[number], string>> = {},
): TestSystem {
  const root = tempDir('mm-sys-');
  const aeronDir = join(root, 'aeron');
  const configDir = join(root, 'config');
  const logDir = join(root, 'logs');
  mkdirSync(configDir, { recursive: true });
  mkdirSync(logDir, { recursive: true });
  const shipped = join(repoRoot(), 'config');
  if (existsSync(shipped)) {
    for (const f of readdirSync(shipped)) if (f.endsWith('.toml')) copyFileSync(join(shipped, f), join(configDir, f));
  }
  const streams = STREAM_NAMES.map((name, i) =>
    `[${name}]\nstream-id = ${10 + i}\nchannel = "aeron:ipc?term-length=${termLengths[name] ?? '64k'}"\n`).join('\n');
  writeFileSync(join(configDir, 'streams.toml'), streams);
  writeFileSync(join(configDir, 'symbols.toml'), `symbols = [${symbols.map((s) => `"${s}"`).join(', ')}]\n`);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(configDir, `${name}.toml`), text);
  const env: Record<string, string> = {
    AERON_DIR: aeronDir,
    MM_CONFIG_DIR: configDir,
    MM_LOG_DIR: logDir,
    AERON_DRIVER_TIMEOUT: '2000',
    LOG_LEVEL: 'info',
  };
  return { root, aeronDir, configDir, logDir, env };
}

/** Aeron's own variable names, so the same settings work for Aeron's C driver. */
export function driverEnv(sys: TestSystem): Record<string, string> {
  return {
    ...sys.env,
    AERON_DIR_DELETE_ON_START: 'true',
    AERON_DIR_DELETE_ON_SHUTDOWN: 'true',
    AERON_IPC_TERM_BUFFER_LENGTH: '65536',
    AERON_CLIENT_LIVENESS_TIMEOUT: '2000000000',
    AERON_PUBLICATION_UNBLOCK_TIMEOUT: '3000000000',
    AERON_PUBLICATION_LINGER_TIMEOUT: '100000000',
  };
}

/**
 * Runs a native driver binary under a Node parent so it fits `ChildProcessHandle`: signals are passed on, the exit
 * code or signal is mirrored, and `setpriv --pdeathsig KILL` makes the kernel kill the binary when this parent
 * dies, so `killAll()`'s SIGKILL of the handle leaves no driver behind.
 */
const NATIVE_DRIVER_PARENT = `
const { spawn } = require('node:child_process');
const child = spawn('setpriv', ['--pdeathsig', 'KILL', process.argv[1]], { stdio: 'inherit' });
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s));
child.on('error', (e) => { console.error('cannot start ' + process.argv[1] + ': ' + e.message); process.exit(127); });
child.on('exit', (code, signal) => {
  if (signal) { process.removeAllListeners(signal); process.kill(process.pid, signal); } else process.exit(code ?? 1);
});
`;

/** `[aeron]` keys of config/aeronmd.toml and the Aeron variables an Aeron driver reads instead (same units). */
const AERON_ENV_OF_TOML_KEY: Record<string, string> = {
  'ipc-term-buffer-length': 'AERON_IPC_TERM_BUFFER_LENGTH',
  'ipc-mtu-length': 'AERON_IPC_MTU_LENGTH',
  'ipc-publication-term-window-length': 'AERON_IPC_PUBLICATION_TERM_WINDOW_LENGTH',
  'term-buffer-sparse-file': 'AERON_TERM_BUFFER_SPARSE_FILE',
  'client-liveness-timeout-ns': 'AERON_CLIENT_LIVENESS_TIMEOUT',
  'publication-unblock-timeout-ns': 'AERON_PUBLICATION_UNBLOCK_TIMEOUT',
  'publication-linger-timeout-ns': 'AERON_PUBLICATION_LINGER_TIMEOUT',
  'untethered-window-limit-timeout-ns': 'AERON_UNTETHERED_WINDOW_LIMIT_TIMEOUT',
  'untethered-resting-timeout-ns': 'AERON_UNTETHERED_RESTING_TIMEOUT',
  'timer-interval-ns': 'AERON_TIMER_INTERVAL',
};

/**
 * The test's `aeronmd.toml` settings as Aeron variables. Aeron's driver reads no toml, so without this it would run
 * on Aeron's defaults where the product chose otherwise (e.g. untethered readers held for 5 s instead of 0.5 s).
 */
export function aeronEnvFromDriverToml(configDir: string): Record<string, string> {
  const path = join(configDir, 'aeronmd.toml');
  if (!existsSync(path)) return {};
  const env: Record<string, string> = {};
  let section = '';
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) section = header[1]!;
    const kv = /^([a-z0-9-]+)\s*=\s*"?([^"]*)"?$/.exec(line);
    const name = kv ? AERON_ENV_OF_TOML_KEY[kv[1]!] : undefined;
    if (section === 'aeron' && kv && name) env[name] = kv[2]!;
  }
  return env;
}

/**
 * Aeron's driver refuses to start unless the client liveness and untethered timeouts exceed its timer interval; the
 * product's driver accepts them (its shipped 0.5 s untethered window limit is below its 1 s timer). For an Aeron
 * driver, tick at a fifth of the shortest such timeout so the same timeouts are valid and honoured.
 */
export function withAeronValidTimerInterval(env: Record<string, string>): Record<string, string> {
  const ns = (name: string, fallback: number): number => {
    const v = env[name];
    return v !== undefined && /^\d+$/.test(v) ? Number(v) : fallback;
  };
  const shortest = Math.min(ns('AERON_CLIENT_LIVENESS_TIMEOUT', 10e9), ns('AERON_UNTETHERED_WINDOW_LIMIT_TIMEOUT', 5e9),
    ns('AERON_UNTETHERED_RESTING_TIMEOUT', 10e9));
  return ns('AERON_TIMER_INTERVAL', 1e9) < shortest ? env : { ...env, AERON_TIMER_INTERVAL: String(Math.floor(shortest / 5)) };
}

/**
 * Starts the product's media driver, or the driver binary named by `AERON_MD` (e.g. Aeron's C aeronmd, for the
 * interop runs; same AERON_* env, plus the test's aeronmd.toml settings as AERON_* variables), and waits until its
 * CnC file is ready.
 */
export async function startDriver(sys: TestSystem, extraEnv: Record<string, string> = {}): Promise<ChildProcessHandle> {
  const nativeDriver = process.env.AERON_MD;
  const env = nativeDriver
    ? withAeronValidTimerInterval({ ...aeronEnvFromDriverToml(sys.configDir), ...driverEnv(sys), ...extraEnv })
    : { ...driverEnv(sys), ...extraEnv };
  const driver = nativeDriver
    ? new ChildProcessHandle(nativeDriver, { nodeArgs: ['-e', NATIVE_DRIVER_PARENT], env, name: 'aeronmd', cwd: repoRoot() })
    : new ChildProcessHandle(join(repoRoot(), 'services/aeronmd/dist/main.js'), { env, name: 'aeronmd', cwd: repoRoot() });
  const { CncFile } = await import('@mm/aeron-client');
  // An early exit ends the wait at once (a throw here would only be retried until the deadline).
  await waitFor(
    () => {
      if (driver.hasExited) return true;
      const cnc = CncFile.openReadOnly(sys.aeronDir);
      try {
        return cnc.driverHeartbeatAgeMs() < 1000;
      } finally {
        cnc.close();
      }
    },
    { timeoutMs: 10_000, what: 'the media driver CnC file' },
  );
  if (driver.hasExited) throw new Error(`driver exited (${driver.exitCode ?? driver.signal}): ${driver.output()}`);
  return driver;
}

/** Starts `services/<folder>/dist/main.js` with the test system's env plus `env`. */
export function startService(sys: TestSystem, folder: string, env: Record<string, string> = {}): ChildProcessHandle {
  return new ChildProcessHandle(join(repoRoot(), 'services', folder, 'dist/main.js'), {
    env: { ...sys.env, ...env }, name: folder, cwd: sys.root,
  });
}

/** The strategy quoting close to the fake market (both symbols), so fills come within seconds. */
export function quoteNearMarketEnv(): Record<string, string> {
  return {
    MM_STRATEGY__QUOTING__MIN_SPREAD_BPS: '0.1',
    MM_STRATEGY__SYMBOLS__BTCUSDT__K: '3',
    MM_STRATEGY__SYMBOLS__ETHUSDT__K: '30',
  };
}

/**
 * Env that points the collector at a simulated Binance and lets pricing become tradable after a few 20 ms samples,
 * so a pipeline quotes within seconds.
 */
export function fakeMarketEnv(fake: { readonly wsBaseUrl: string; readonly restBaseUrl: string }): Record<string, string> {
  return {
    MM_COLLECTOR__BINANCE__WS_URL: fake.wsBaseUrl,
    MM_COLLECTOR__BINANCE__REST_URL: fake.restBaseUrl,
    MM_PRICING__VOLATILITY__MIN_SAMPLES: '5',
    MM_PRICING__VOLATILITY__SAMPLE_INTERVAL_MS: '20',
  };
}
