/**
 * The driver as a process (services/aeronmd/dist/main.js) with clients as separate processes: life cycle, kill -9 of
 * publishers/subscribers/the driver, many clients, slow and untethered readers, unblocker, idle CPU.
 * Build first (`pnpm build`). Every wait is on a condition with a deadline.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killAll, spawnNode, waitFor, type ChildProcessHandle } from '@mm/test-support';
import { RawClient } from '../../../packages/aeron-driver/test/support/RawClient.js';
import { buildClientProcessScript } from '../../../packages/aeron-driver/test/support/clientProcesses.js';

const here = dirname(fileURLToPath(import.meta.url));
const MAIN = resolve(here, '../dist/main.js');
const CONFIG_DIR = resolve(here, '../../../config');
let clientScript = '';
let root = '';
let dirCount = 0;

const FAST_ENV = {
  AERON_IPC_TERM_BUFFER_LENGTH: '65536',
  AERON_CLIENT_LIVENESS_TIMEOUT: '1s',
  AERON_PUBLICATION_UNBLOCK_TIMEOUT: '300ms',
  AERON_PUBLICATION_LINGER_TIMEOUT: '50ms',
  AERON_UNTETHERED_WINDOW_LIMIT_TIMEOUT: '200ms',
  AERON_UNTETHERED_RESTING_TIMEOUT: '300ms',
  AERON_TIMER_INTERVAL: '20ms',
  AERON_DRIVER_TIMEOUT: '500',
  LOG_LEVEL: 'info',
};

function newDir(): string {
  return join(root, `aeron-${++dirCount}`);
}

function startDriver(dir: string, env: Record<string, string> = {}): ChildProcessHandle {
  return spawnNode(MAIN, {
    name: 'aeronmd',
    env: { ...FAST_ENV, AERON_DIR: dir, MM_CONFIG_DIR: CONFIG_DIR, MM_LOG_DIR: join(root, 'logs'), ...env },
  });
}

async function startedDriver(dir: string, env: Record<string, string> = {}): Promise<ChildProcessHandle> {
  const d = startDriver(dir, env);
  await d.waitForLine(/media driver started/, 10_000);
  return d;
}

function client(args: Record<string, unknown>): ChildProcessHandle {
  return spawnNode(clientScript, { name: String(args['mode']), args: [JSON.stringify(args)] });
}

function events(p: ChildProcessHandle, event: string): Array<Record<string, unknown>> {
  return p.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>).filter((o) => o['event'] === event);
}

function received(p: ChildProcessHandle): number {
  const progress = events(p, 'progress');
  return progress.length === 0 ? 0 : (progress[progress.length - 1]!['received'] as number);
}

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

beforeAll(() => {
  clientScript = buildClientProcessScript();
  root = mkdtempSync('/dev/shm/mm-aeronmd-proc-');
});
afterEach(async () => {
  await killAll();
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('aeronmd process', () => {
  it('shouldParkWhenIdleAndShutDownCleanlyOnSigint', async () => {
    const dir = newDir();
    // Default timer interval and idle strategy: the product's idle state.
    const driver = await startedDriver(dir, { AERON_DIR_DELETE_ON_SHUTDOWN: 'true', AERON_TIMER_INTERVAL: '1s' });
    // A connected client with a publication and a subscription: the usual idle state of the product.
    const watcher = new RawClient(dir);
    const beat = setInterval(() => watcher.heartbeat(), 100);
    try {
      watcher.addSubscription(1);
      watcher.addPublication(1, 'aeron:ipc', true);
      await waitFor(() => existsSync(join(dir, 'publications')) && readdirSync(join(dir, 'publications')).length === 1, { what: 'log file' });
      // Behaviour, not a speed target: an idle driver parks instead of spinning. A spinning duty cycle takes a whole
      // core; a parked one ~1 %. The bound sits far from both so machine load cannot flip it. The < 2 % target
      // is measured by `pnpm bench driver-cpu` on a quiet machine (BENCHMARKS.md), never here.
      const ticksPerSecond = 100;
      const t0 = cpuTicks(driver.pid);
      const start = Date.now();
      await waitFor(() => Date.now() - start >= 2000, { timeoutMs: 5000, what: '2 s of idling' });
      const cpu = (cpuTicks(driver.pid) - t0) / ticksPerSecond / ((Date.now() - start) / 1000);
      expect(cpu, 'share of a core used by the idle driver').toBeLessThan(0.25);
    } finally {
      clearInterval(beat);
      watcher.close();
    }
    driver.kill('SIGINT');
    expect(await driver.waitForExit(10_000)).toEqual({ code: 0, signal: null });
    expect(driver.output()).toMatch(/shutdown complete/);
    expect(existsSync(dir)).toBe(false);
  });

  it('shouldRefuseASecondDriverAndReplaceOneKilledWithSigkill', async () => {
    const dir = newDir();
    const first = await startedDriver(dir);
    // A generous driver timeout: on a loaded machine the first driver's 20 ms heartbeat can lag well past 500 ms.
    const second = startDriver(dir, { AERON_DRIVER_TIMEOUT: '10000' });
    expect((await second.waitForExit(10_000)).code).toBe(1);
    expect(second.output()).toMatch(/active Aeron driver detected/);
    first.kill('SIGKILL');
    await first.waitForExit();
    // Its heartbeat is still fresh but its pid is gone: the next driver cleans the dir and starts at once.
    const third = await startedDriver(dir, { AERON_DRIVER_TIMEOUT: '60000' });
    const c = new RawClient(dir);
    try {
      expect(c.cnc.buffer.getInt64(40)).toBe(third.pid);
    } finally {
      c.close();
    }
  });

  it('shouldStopOnSigtermAndOnAPermittedTerminateDriver', async () => {
    const a = await startedDriver(newDir());
    a.kill('SIGTERM');
    expect(await a.waitForExit()).toEqual({ code: 0, signal: null });
    const dir = newDir();
    const b = await startedDriver(dir, { AERON_DRIVER_TERMINATION_VALIDATOR: 'allow' });
    const c = new RawClient(dir);
    try {
      c.terminateDriver();
      expect(await b.waitForExit()).toEqual({ code: 0, signal: null });
      expect(b.output()).toMatch(/TERMINATE_DRIVER/);
      expect(c.toDriver.consumerHeartbeatTime()).toBe(-1);
    } finally {
      c.close();
    }
  });

  it('shouldExitWith78OnBadConfiguration', async () => {
    const bad = startDriver(newDir(), { AERON_IPC_TERM_BUFFER_LENGTH: '1000' });
    expect((await bad.waitForExit()).code).toBe(78);
    expect(bad.output()).toMatch(/term buffer length 1000/);
  });

  it('shouldExitWith78OnAnInvalidLoggingLevelInTheFileEvenWithLogLevelSet', async () => {
    const configDir = join(root, 'config-bad-level');
    mkdirSync(configDir);
    const shipped = readFileSync(join(CONFIG_DIR, 'aeronmd.toml'), 'utf8');
    writeFileSync(join(configDir, 'aeronmd.toml'), shipped.replace(/^level = "info"$/m, 'level = "verbose"'));
    const dir = newDir();
    const bad = startDriver(dir, { MM_CONFIG_DIR: configDir, LOG_LEVEL: 'debug' });
    expect((await bad.waitForExit()).code).toBe(78);
    expect(bad.output()).toMatch(/\[aeronmd\] config error: .*aeronmd\.toml: logging\.level: .*verbose/);
    expect(existsSync(dir)).toBe(false);
  });

  it('shouldFreeTheResourcesOfPublishersAndSubscribersKilledWithSigkill', async () => {
    const dir = newDir();
    await startedDriver(dir);
    const watcher = new RawClient(dir);
    watcher.keepalive(); // registers the watcher (the driver learns of a client from its first command)
    const beat = setInterval(() => watcher.heartbeat(), 100);
    try {
      const sub = client({ mode: 'subscribe', dir, stream: 30 });
      await sub.waitForJson((o) => o['event'] === 'ready');
      const pub = client({ mode: 'publish', dir, stream: 30, exclusive: true, count: 5000, size: 100 });
      const ready = await pub.waitForJson<{ logFileName: string }>((o) => o['event'] === 'ready');
      await pub.waitForJson((o) => o['event'] === 'done', 20_000);
      await waitFor(() => received(sub) === 5000, { timeoutMs: 20_000, what: 'all 5000 messages' });
      expect(events(sub, 'gap')).toEqual([]);
      pub.kill('SIGKILL');
      // Client timeout -> publication drains -> subscriber sees the image go -> log deleted.
      await sub.waitForJson((o) => o['event'] === 'unavailable', 10_000);
      await waitFor(() => !existsSync(ready.logFileName), { timeoutMs: 10_000, what: 'log deleted' });
      await waitFor(() => watcher.counters.getCounterValue(24) >= 1, { what: 'client timeout counted' });
      sub.kill('SIGKILL');
      await waitFor(() => watcher.counters.getCounterValue(24) >= 2, { what: 'subscriber timeout counted' });
      // Only system counters and the watcher's own heartbeat remain allocated (frees follow the timeout count, so
      // wait for them).
      const allocated = (): string[] => {
        const labels: string[] = [];
        watcher.counters.forEach((_id, typeId, _k, _o, label) => {
          if (typeId !== 0) labels.push(label);
        });
        return labels;
      };
      const expected = `client-heartbeat: id=${watcher.clientId}`;
      await waitFor(() => allocated().join('|') === expected, { timeoutMs: 5000, what: `only the watcher's counter (have ${allocated().join(' | ')})` });
    } finally {
      clearInterval(beat);
      watcher.close();
    }
  });

  it('shouldCarryManyClientsAndStreamsAtOnceWithoutLoss', async () => {
    const dir = newDir();
    await startedDriver(dir);
    const streams = [41, 42, 43];
    const subs = streams.map((stream) => client({ mode: 'subscribe', dir, stream }));
    for (const s of subs) await s.waitForJson((o) => o['event'] === 'ready');
    // Two exclusive publishers per stream plus one shared (non-exclusive) publication per stream.
    const pubs = streams.flatMap((stream) => [
      client({ mode: 'publish', dir, stream, exclusive: true, count: 2000, size: 60 }),
      client({ mode: 'publish', dir, stream, exclusive: false, count: 2000, size: 60 }),
    ]);
    for (const p of pubs) await p.waitForJson((o) => o['event'] === 'done', 30_000);
    for (const s of subs) {
      await waitFor(() => received(s) === 4000, { timeoutMs: 30_000, what: `4000 messages on a stream (got ${received(s)})` });
      expect(events(s, 'gap')).toEqual([]);
      expect(events(s, 'image')).toHaveLength(2);
    }
  });

  it('shouldBackPressureASlowSubscriberWithoutLossOrGrowth', async () => {
    const dir = newDir();
    const driver = await startedDriver(dir);
    const slow = client({ mode: 'subscribe', dir, stream: 50, pollDelayMs: 2 });
    await slow.waitForJson((o) => o['event'] === 'ready');
    const rssBefore = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${driver.pid}/status`, 'utf8'))![1]);
    const pub = client({ mode: 'publish', dir, stream: 50, exclusive: true, count: 20_000, size: 200 });
    const done = await pub.waitForJson<{ backPressured: number }>((o) => o['event'] === 'done', 60_000);
    await waitFor(() => received(slow) === 20_000, { timeoutMs: 60_000, what: 'slow subscriber catches up' });
    expect(done.backPressured).toBeGreaterThan(0);
    expect(events(slow, 'gap')).toEqual([]);
    const rssAfter = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${driver.pid}/status`, 'utf8'))![1]);
    // ~4.4 MB went through a 200 KiB log: the driver holds no copies of the data.
    expect(rssAfter - rssBefore).toBeLessThan(16 * 1024);
  });

  it('shouldUnblockASharedPublicationWhenAPublisherIsKilledMidClaim', async () => {
    const dir = newDir();
    await startedDriver(dir);
    const watcher = new RawClient(dir);
    const beat = setInterval(() => watcher.heartbeat(), 100);
    try {
      const sub = client({ mode: 'subscribe', dir, stream: 60 });
      await sub.waitForJson((o) => o['event'] === 'ready');
      const hang = client({ mode: 'claim-and-hang', dir, stream: 60 });
      await hang.waitForJson((o) => o['event'] === 'claimed');
      hang.kill('SIGKILL');
      // Another process keeps publishing on the same (shared) publication: it must get through after the unblock.
      const pub = client({ mode: 'publish', dir, stream: 60, exclusive: false, count: 500, size: 40 });
      await pub.waitForJson((o) => o['event'] === 'done', 20_000);
      await waitFor(() => received(sub) >= 501, { timeoutMs: 10_000, what: `messages after the dead claim (got ${received(sub)})` });
      expect(watcher.counters.getCounterValue(19)).toBeGreaterThanOrEqual(1);
    } finally {
      clearInterval(beat);
      watcher.close();
    }
  });

  it('shouldLeaveAPausedUntetheredReaderBehindWhileTheTetheredPipelineFlows', async () => {
    const dir = newDir();
    await startedDriver(dir);
    const tethered = client({ mode: 'subscribe', dir, stream: 70 });
    const untethered = client({ mode: 'subscribe', dir, stream: 70, channel: 'aeron:ipc?tether=false' });
    await tethered.waitForJson((o) => o['event'] === 'ready');
    await untethered.waitForJson((o) => o['event'] === 'ready');
    const pub = client({ mode: 'publish', dir, stream: 70, exclusive: true, count: 100_000, size: 100 });
    await waitFor(() => received(untethered) > 0, { timeoutMs: 10_000, what: 'untethered reader reading' });
    untethered.kill('SIGSTOP');
    const pausedAt = Date.now();
    const before = received(tethered);
    // Paused for 2 s of wall time; the tethered reader must keep receiving throughout (no stall beyond the
    // untethered window-limit timeout).
    let lastProgress = before;
    let lastProgressAt = Date.now();
    let longestStallMs = 0;
    await waitFor(
      () => {
        const r = received(tethered);
        if (r !== lastProgress) {
          longestStallMs = Math.max(longestStallMs, Date.now() - lastProgressAt);
          lastProgress = r;
          lastProgressAt = Date.now();
        }
        return Date.now() - pausedAt > 2000;
      },
      { timeoutMs: 5000, what: '2 s of pause' },
    );
    untethered.kill('SIGCONT');
    expect(received(tethered) - before).toBeGreaterThan(10_000);
    expect(longestStallMs).toBeLessThan(1000);
    await pub.waitForJson((o) => o['event'] === 'done', 60_000);
    await waitFor(() => received(tethered) === 100_000, { timeoutMs: 30_000, what: 'tethered reader got everything' });
    expect(events(tethered, 'gap')).toEqual([]);
    // The untethered reader was dropped (unavailable image) and later rejoined with a new image.
    await untethered.waitForJson((o) => o['event'] === 'unavailable', 10_000);
  });
});
