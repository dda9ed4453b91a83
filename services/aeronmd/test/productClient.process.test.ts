/**
 * aeronmd with the product's own Aeron client (@mm/aeron-client) in separate processes, and the client's
 * `aeron-stat` / `aeron-errors` tools reading the driver's CnC. Also the driver-restart policy: a client whose driver
 * dies detects the driver timeout and exits (its supervisor restarts it); a restarted driver serves new clients.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killAll, spawnNode, waitFor, type ChildProcessHandle } from '@mm/test-support';

const here = dirname(fileURLToPath(import.meta.url));
const MAIN = resolve(here, '../dist/main.js');
const CLIENT = resolve(here, 'fixtures/productClient.mjs');
const AERON_STAT = resolve(here, '../../../packages/aeron-client/dist/cli/aeron-stat.js');
const AERON_ERRORS = resolve(here, '../../../packages/aeron-client/dist/cli/aeron-errors.js');
const CONFIG_DIR = resolve(here, '../../../config');
let root = '';
let n = 0;

const FAST_ENV = {
  AERON_IPC_TERM_BUFFER_LENGTH: '65536',
  AERON_CLIENT_LIVENESS_TIMEOUT: '1s',
  AERON_PUBLICATION_LINGER_TIMEOUT: '50ms',
  AERON_TIMER_INTERVAL: '50ms',
  AERON_DRIVER_TIMEOUT: '1000',
};

async function driver(dir: string): Promise<ChildProcessHandle> {
  const d = spawnNode(MAIN, { name: 'aeronmd', env: { ...FAST_ENV, AERON_DIR: dir, MM_CONFIG_DIR: CONFIG_DIR, MM_LOG_DIR: join(root, 'logs') } });
  await d.waitForLine(/media driver started/, 10_000);
  return d;
}

function client(args: Record<string, unknown>): ChildProcessHandle {
  return spawnNode(CLIENT, { name: `client-${String(args['mode'])}`, args: [JSON.stringify({ driverTimeoutMs: 1000, ...args })] });
}

function lastReceived(p: ChildProcessHandle): number {
  for (let i = p.lines.length - 1; i >= 0; i--) {
    const l = p.lines[i]!;
    if (l.includes('"progress"')) return (JSON.parse(l) as { received: number }).received;
  }
  return 0;
}

beforeAll(() => {
  root = mkdtempSync('/dev/shm/mm-aeronmd-client-');
});
afterEach(async () => {
  await killAll();
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('aeronmd with the product client', () => {
  it('shouldCarryMessagesAndShowAeronLabelsInAeronStat', async () => {
    const dir = join(root, `a${++n}`);
    await driver(dir);
    const sub = client({ mode: 'subscribe', dir, stream: 1001 });
    await sub.waitForJson((o) => o['event'] === 'ready');
    const pub = client({ mode: 'publish', dir, stream: 1001, count: 3000 });
    const ready = await pub.waitForJson<{ registrationId: number; sessionId: number }>((o) => o['event'] === 'ready');
    await pub.waitForJson((o) => o['event'] === 'done', 20_000);
    await waitFor(() => lastReceived(sub) === 3000, { timeoutMs: 20_000, what: 'all 3000 messages' });
    expect(sub.lines.filter((l) => l.includes('"gap"'))).toEqual([]);

    const stat = spawnNode(AERON_STAT, { name: 'aeron-stat', args: ['-d', dir] });
    expect((await stat.waitForExit()).code).toBe(0);
    const text = stat.lines.join('\n');
    const { registrationId: reg, sessionId: session } = ready;
    expect(text).toMatch(/Aeron Stat \(CnC v0\.2\.0\)/);
    expect(text).toMatch(/ 15 :\s+\d+ - Errors: version=1\.47\.3 commit=mm-ts-ipc/);
    expect(text).toMatch(/ 24 :\s+\d+ - Client liveness timeouts/);
    expect(text).toMatch(/ 34 :\s+77,571 - Aeron software: version=1\.47\.3/);
    expect(text).toMatch(/client-heartbeat: id=\d+/);
    expect(text).toMatch(new RegExp(`pub-pos \\(sampled\\): ${reg} ${session} 1001 aeron:ipc`));
    expect(text).toMatch(new RegExp(`pub-lmt: ${reg} ${session} 1001 aeron:ipc`));
    expect(text).toMatch(new RegExp(`sub-pos: \\d+ ${session} 1001 aeron:ipc @0`));

    // kill -9 of the publisher: the subscriber's image goes away once the driver times the client out.
    pub.kill('SIGKILL');
    await sub.waitForJson((o) => o['event'] === 'unavailable', 10_000);
  });

  it('shouldReportCommandErrorsInTheErrorLogReadByAeronErrors', async () => {
    const dir = join(root, `a${++n}`);
    await driver(dir);
    const pub = client({ mode: 'publish', dir, stream: 5, channel: 'aeron:udp?endpoint=localhost:40456' });
    const failure = await pub.waitForJson<{ message: string }>((o) => o['event'] === 'add-error', 10_000);
    expect(failure.message).toMatch(/Aeron's C or Java media driver/);
    expect((await pub.waitForExit()).code).toBe(4);
    const errors = spawnNode(AERON_ERRORS, { name: 'aeron-errors', args: ['-d', dir] });
    await errors.waitForExit();
    expect(errors.lines.join('\n')).toMatch(/1 distinct errors?|observations?/i);
    expect(errors.lines.join('\n')).toMatch(/UDP media is not supported by this IPC-only media driver/);
  });

  it('shouldMakeClientsExitOnDriverLossAndServeNewOnesAfterRestart', async () => {
    const dir = join(root, `a${++n}`);
    const first = await driver(dir);
    const sub = client({ mode: 'subscribe', dir, stream: 9 });
    await sub.waitForJson((o) => o['event'] === 'ready');
    first.kill('SIGKILL');
    // The client notices the driver's heartbeat stop (driver timeout 1 s here) and exits for its supervisor.
    await sub.waitForJson((o) => o['event'] === 'driver-timeout', 10_000);
    expect((await sub.waitForExit()).code).toBe(3);
    // The "supervisor" restarts the driver and the service; everything works again on the same dir.
    await driver(dir);
    const sub2 = client({ mode: 'subscribe', dir, stream: 9 });
    await sub2.waitForJson((o) => o['event'] === 'ready');
    const pub = client({ mode: 'publish', dir, stream: 9, count: 500, exclusive: true });
    await pub.waitForJson((o) => o['event'] === 'done', 20_000);
    await waitFor(() => lastReceived(sub2) === 500, { timeoutMs: 20_000, what: 'messages after the restart' });
  });
});
