/**
 * The whole stack in containers, hardened as in production (docker-compose.yml + docker-compose.prod.yml, then
 * docker-compose.ci.yml for the host network and the fake Binance): every service becomes healthy, strategy
 * quotes reach stream 15 and the simulator's fills reach stream 16 (read with `mm tail` inside a container, through
 * the shared Aeron dir), a restarted service recovers, and teardown leaves nothing behind. Needs MM_IMAGE built from a tree where every service's dist/main.js exists.
 * Compose v2 only: with v1 the CI override cannot run the engine and the dashboard, because v1 refuses the base
 * file's published ports on the host network (v2 ignores them) and an override cannot remove them in v1.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../packages/test-support/src/waitFor.js';
import { ComposeProject, run, runOk } from './ComposeProject.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const image = process.env['MM_IMAGE'] ?? 'mm/platform:ci';
const services = ['aeronmd', 'fake_binance', 'mm_collector', 'mm_pricing', 'mm_strategy', 'mm_simulator', 'matching-engine', 'mm_dashboard'];

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

describe('docker: the whole stack against the fake Binance (compose v2, prod + CI overrides)', () => {
  const work = mkdtempSync(join(tmpdir(), 'mm-stack-'));
  const logs = join(work, 'logs');
  const project = new ComposeProject('v2', `mmstack${process.pid}`, ['docker-compose.yml', 'docker-compose.prod.yml', 'docker-compose.ci.yml'], repo, {
    ...process.env,
    MM_IMAGE: image,
    MM_LOG_HOST_DIR: logs,
  });

  /** Waits for a healthy container; on timeout the error carries the service's last log lines. */
  const healthy = async (service: string, timeoutMs = 180_000): Promise<void> => {
    try {
      await waitFor(async () => (await project.health(service)) === 'healthy', { timeoutMs, intervalMs: 500, what: `${service} healthy` });
    } catch (e) {
      const probe = await project.lastProbeOutput(service);
      throw new Error(`${(e as Error).message}\nlast health probe: ${probe}\n--- ${service} logs ---\n${await project.logs(service)}`);
    }
  };

  /** One message of a stream as `mm tail` prints it, read inside the driver's container. */
  const tailOne = async (stream: number, timeoutMs: number): Promise<{ session: number; message: Record<string, unknown> }> => {
    const r = await project.exec('aeronmd', ['node', 'packages/cli/dist/main.js', 'tail', String(stream), '--count', '1', '--timeout-ms', String(timeoutMs)], timeoutMs + 30_000);
    if (r.code === 3) throw new Error(`no message on stream ${stream} within ${timeoutMs} ms (mm tail exit 3)`);
    if (r.code !== 0) throw new Error(`mm tail ${stream} exited ${r.code}: ${r.stderr}`);
    const line = r.stdout.trim().split('\n')[0] ?? '';
    return JSON.parse(line) as { session: number; message: Record<string, unknown> };
  };

  beforeAll(async () => {
    const img = await run('docker', ['image', 'inspect', image], { timeoutMs: 20_000 });
    if (img.code !== 0) throw new Error(`image ${image} is missing; build it with .ci/system setup (or set MM_IMAGE)`);
    mkdirSync(logs);
    chmodSync(logs, 0o777); // the containers' uid is not the test's
    Object.assign(project.env, {
      MM_CI_FAKE_BINANCE_PORT: String(await freePort()),
      MM_CI_ENGINE_TCP_PORT: String(await freePort()),
      MM_CI_ENGINE_UDP_PORT: String(await freePort()),
      MM_CI_DASHBOARD_PORT: String(await freePort()),
      // The prod override's 65536 open files, or this host's hard limit when lower (no container may exceed it).
      MM_NOFILE: String(Math.min(65536, Number((await runOk('sh', ['-c', 'ulimit -Hn'])).trim()) || 65536)),
    });
    await project.down();
  });

  afterAll(async () => {
    try {
      await project.down();
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  // The later steps need the running stack; without it they fail at once instead of waiting out their timeouts.
  let stackUp = false;
  const needStack = (): void => {
    if (!stackUp) throw new Error('the stack did not come up healthy (see the first test)');
  };

  // Fills are rare against the fake market and may come right after the first quotes, before a late subscriber
  // could join; so `mm tail 16` subscribes once the driver is up and before any other service starts (a new
  // publication's image then starts at its beginning).
  let firstFill: Promise<{ ok: true; message: Record<string, unknown> } | { ok: false; error: Error }> | undefined;

  it('brings every service up and healthy, the driver first', async () => {
    try {
      await project.compose(['up', '-d', '--no-build', 'aeronmd'], 300_000);
      await healthy('aeronmd', 60_000); // the driver is ready in well under a second
      firstFill = tailOne(16, 300_000).then(
        (r) => ({ ok: true as const, message: r.message }),
        (error: unknown) => ({ ok: false as const, error: error instanceof Error ? error : new Error(String(error)) }),
      );
      // The subscription must exist before the simulator publishes. mm tail is the driver's only client now, and the
      // driver counts a client from its first command (the subscription): wait for that client's heartbeat counter.
      await waitFor(
        async () => {
          const stat = await project.exec('aeronmd', ['node', 'packages/aeron-client/dist/cli/aeron-stat.js', '-f', 'client-heartbeat']);
          return stat.code === 0 && stat.stdout.includes('client-heartbeat');
        },
        { timeoutMs: 30_000, intervalMs: 250, what: 'mm tail 16 registered with the driver' },
      );
      await project.compose(['up', '-d', '--no-build'], 600_000);
    } catch (e) {
      // `up` fails when a dependency never gets healthy; say which and why.
      const states = await Promise.all(
        services.map(async (s) => {
          const health = await project.health(s);
          return `${s}: ${health}${health === 'unhealthy' ? ` (${await project.lastProbeOutput(s)})` : ''}`;
        }),
      );
      throw new Error(`${(e as Error).message}\n${states.join('\n')}\n--- aeronmd logs ---\n${await project.logs('aeronmd')}`);
    }
    for (const s of services) await healthy(s);
    stackUp = true;
  });

  it('shows strategy quotes on stream 15 and simulator fills on stream 16', async () => {
    needStack();
    const quote = await tailOne(15, 60_000);
    expect(quote.message['stream']).toBe(15);
    expect(quote.message['venue']).toBe('SIMULATOR');
    const fill = await firstFill!;
    if (!fill.ok) throw fill.error;
    expect(fill.message['stream']).toBe(16);
    expect(fill.message['venue']).toBe('SIMULATOR');
  });

  it('recovers a restarted service: healthy again and quoting', async () => {
    needStack();
    const id = (await project.containerId('mm_pricing'))!;
    const startedAt = (await runOk('docker', ['inspect', '-f', '{{.State.StartedAt}}', id])).trim();
    await project.compose(['restart', 'mm_pricing']);
    expect((await runOk('docker', ['inspect', '-f', '{{.State.StartedAt}}', id])).trim()).not.toBe(startedAt);
    await healthy('mm_pricing', 120_000);
    expect((await tailOne(14, 60_000)).message['stream']).toBe(14);
    expect((await tailOne(15, 60_000)).message['stream']).toBe(15);
  });

  it('tears everything down, volumes included', async () => {
    await project.down();
    const left = await runOk('docker', ['ps', '-aq', '--filter', `label=com.docker.compose.project=${project.name}`]);
    expect(left.trim()).toBe('');
  });
});
