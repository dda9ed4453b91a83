import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultAeronDir } from '@mm/aeron-client';
import { findRepoRoot } from '@mm/config';
import { parseArgs, stringFlag, intFlag, UsageError } from '../args.js';
import { formatLine } from '../supervisor/formatLine.js';
import { Supervisor, type ServiceSpec } from '../supervisor/Supervisor.js';

/**
 * `mm start`: the media driver and every service as separate processes with prefixed output, restarted with backoff
 * when they crash; Ctrl-C stops everything in reverse order. By default the market is the built-in simulated
 * Binance (works offline) and the strategy trades the simulator venue; `--live` uses Binance's public market data.
 * `--colocate` runs the collector, pricing and strategy as one process (services/tick-path): the lowest
 * tick-to-quote latency, at the cost of restarting the three together.
 */
const SERVICES: readonly { name: string; folder: string }[] = [
  { name: 'mm_collector', folder: 'collector' },
  { name: 'mm_pricing', folder: 'pricing' },
  { name: 'mm_strategy', folder: 'strategy' },
  { name: 'mm_simulator', folder: 'simulator' },
  { name: 'matching-engine', folder: 'matching-engine' },
  { name: 'mm_dashboard', folder: 'dashboard' },
];

/** Where the running supervisor records its pids: `<repo>/.run`, or MM_RUN_DIR (tests, several instances). */
export function runDirOf(root: string): string {
  return process.env.MM_RUN_DIR || join(root, '.run');
}

/** Hosted together by `--colocate`, in place of these three. */
const TICK_PATH = { name: 'mm_tick_path', folder: 'tick-path', replaces: ['collector', 'pricing', 'strategy'] };

export async function start(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['aeron-dir', 'venue', 'fake-port', 'only'], ['live', 'no-color', 'colocate']);
  const colocate = args.flags.has('colocate');
  const services = colocate
    ? [TICK_PATH, ...SERVICES.filter((s) => !TICK_PATH.replaces.includes(s.folder))]
    : SERVICES;
  const root = findRepoRoot() ?? process.cwd();
  const venue = stringFlag(args, 'venue') ?? 'simulator';
  if (venue !== 'simulator' && venue !== 'engine') throw new UsageError(`--venue must be simulator or engine, got ${venue}`);
  const live = args.flags.has('live');
  const aeronDir = stringFlag(args, 'aeron-dir') ?? defaultAeronDir();
  const only = stringFlag(args, 'only')?.split(',');
  const color = !args.flags.has('no-color') && process.stdout.isTTY === true;
  const runDir = runDirOf(root);

  const width = 16;
  const names = ['aeronmd', 'fake_binance', ...services.map((s) => s.name)];
  const supervisor = new Supervisor({
    runDir,
    output: (name, line) => process.stdout.write(`${formatLine(name, line, width, color, names.indexOf(name))}\n`),
    event: (name, event, detail) => {
      if (event === 'started' && (detail?.restarts as number) === 0) return;
      process.stdout.write(`${formatLine('mm', `${name} ${event} ${detail ? JSON.stringify(detail) : ''}`, width, color, 7)}\n`);
    },
  });

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nmm: stopping everything…\n');
    await supervisor.stop();
    process.stdout.write('mm: stopped\n');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());

  const env: Record<string, string> = { AERON_DIR: aeronDir, MM_STRATEGY__VENUE: venue };
  const script = (folder: string): string => {
    const p = join(root, 'services', folder, 'dist', 'main.js');
    if (!existsSync(p)) throw new Error(`${p} is missing: run the build (./mm does it) first`);
    return p;
  };

  await supervisor.add({
    name: 'aeronmd', script: script('aeronmd'), env: { ...env, AERON_DIR_DELETE_ON_START: 'true' },
    ready: /media driver started/, readyTimeoutMs: 15_000,
  });

  if (!live) {
    const wanted = intFlag(args, 'fake-port', 18_090);
    const line = await supervisor.add({
      name: 'fake_binance', script: join(root, 'packages/fake-binance/dist/main.js'), env: { FAKE_BINANCE_PORT: String(wanted) },
      ready: /"port":\d+/, readyTimeoutMs: 15_000,
    });
    // --fake-port 0 takes any free port: the one it bound is in its ready line.
    const port = Number(/"port":(\d+)/.exec(line ?? '')?.[1] ?? wanted);
    env.MM_COLLECTOR__BINANCE__WS_URL = `ws://127.0.0.1:${port}`;
    env.MM_COLLECTOR__BINANCE__REST_URL = `http://127.0.0.1:${port}`;
  }

  for (const s of services) {
    if (only && !only.includes(s.name) && !only.includes(s.folder)) continue;
    if (!existsSync(join(root, 'services', s.folder, 'dist', 'main.js'))) {
      process.stdout.write(`mm: ${s.name} is not built (services/${s.folder}/dist/main.js): skipped\n`);
      continue;
    }
    // In the product the engine is also a venue of the market maker (streams 15-19; standalone by default).
    const own = s.folder === 'matching-engine' ? { ...env, ENGINE_VENUE_ENABLED: 'true' } : env;
    const spec: ServiceSpec = { name: s.name, script: script(s.folder), env: own };
    await supervisor.add(spec);
  }
  process.stdout.write(`mm: running (${live ? 'live Binance market data' : 'simulated Binance'}, venue ${venue}${colocate ? ', collector+pricing+strategy in one process' : ''}, AERON_DIR ${aeronDir}). ` +
    `Ctrl-C stops; './mm restart <service>' restarts one; './mm stat' watches.\n`);
  await new Promise<never>(() => {});
  return 0;
}

interface SupervisorState {
  pid: number | null;
  services: Record<string, number | null>;
}

function readState(root: string): SupervisorState {
  const file = join(runDirOf(root), 'supervisor.json');
  if (!existsSync(file)) throw new UsageError(`no running 'mm start' found (${file} is missing)`);
  const state = JSON.parse(readFileSync(file, 'utf8')) as SupervisorState;
  if (state.pid === null || !isAlive(state.pid)) throw new UsageError(`the 'mm start' recorded in ${file} is not running`);
  return state;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `mm restart <service>`: SIGTERM one service; the running supervisor starts it again at once. */
export function restart(argv: string[]): number {
  const name = argv[0];
  if (!name) throw new UsageError('mm restart needs a service name, e.g. mm restart mm_strategy');
  const root = findRepoRoot() ?? process.cwd();
  const state = readState(root);
  const key = Object.keys(state.services).find((k) => k === name || k === `mm_${name}`);
  if (!key) {
    const hosted = TICK_PATH.replaces.some((f) => name === f || name === `mm_${f}`) && 'mm_tick_path' in state.services;
    throw new UsageError(hosted
      ? `${name} runs inside mm_tick_path (mm start --colocate): restart mm_tick_path`
      : `unknown service ${name}; running: ${Object.keys(state.services).join(', ')}`);
  }
  const pid = state.services[key];
  if (pid === null || pid === undefined || !isAlive(pid)) {
    process.stdout.write(`${key} is not running right now (the supervisor is restarting it)\n`);
    return 1;
  }
  process.kill(pid, 'SIGTERM');
  process.stdout.write(`${key} (pid ${pid}) restarting\n`);
  return 0;
}

/** `mm stop`: stops a running `mm start` (as Ctrl-C would). */
export function stopAll(): number {
  const root = findRepoRoot() ?? process.cwd();
  const state = readState(root);
  process.kill(state.pid!, 'SIGTERM');
  process.stdout.write(`mm start (pid ${state.pid}) stopping\n`);
  return 0;
}
