/**
 * The containers on a real Docker engine (DOCKER_HOST; `.ci/system` starts one and builds MM_IMAGE first).
 *
 * What this proves today: the compose files agree with docs/architecture.md (names, shared tmpfs Aeron dir,
 * one uid, health checks and health-gated start order, limits, host networking in CI, the prod hardening), the
 * image is production-shaped (non-root, no dev dependencies or compilers, no CA, the addon loads under Node 24),
 * and a real media driver in the `aeronmd` container shares its CnC with another container through the tmpfs
 * volume, across a restart of either container.
 * This is the infrastructure alone, independent of the services' own health: the driver here is `MediaDriver` from
 * @mm/aeron-driver started by a one-line entry point, and the second container is a CnC reader standing in for a
 * service (both health-checked on the CnC version). stack.system.test.ts runs the real services end to end.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../packages/test-support/src/waitFor.js';
import { ComposeProject, composeCommand, run, runOk, type ComposeCli } from './ComposeProject.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const image = process.env['MM_IMAGE'] ?? 'mm/platform:ci';
const uid = 10001;
const baseServices = ['aeronmd', 'matching-engine', 'mm_collector', 'mm_dashboard', 'mm_pricing', 'mm_simulator', 'mm_strategy'];

type Json = Record<string, unknown>;
interface ServiceConfig {
  image?: string;
  user?: string;
  restart?: string;
  mem_limit?: string | number;
  cpus?: string | number;
  network_mode?: string;
  read_only?: boolean;
  cap_drop?: string[];
  security_opt?: string[];
  ulimits?: { nofile?: number | { soft: number; hard: number } };
  logging?: { driver?: string; options?: Record<string, string> };
  tmpfs?: string[] | string;
  environment?: Record<string, string>;
  volumes?: (string | { source?: string; target?: string; read_only?: boolean; type?: string })[];
  healthcheck?: { test?: string[] | string };
  depends_on?: Record<string, { condition?: string }> | string[];
  ports?: (string | { target: number; published: number | string; protocol?: string; host_ip?: string })[];
}

/**
 * Merged compose config as JSON: v2 prints it; v1 prints YAML, read with the PyYAML that compose v1 itself runs on.
 */
async function mergedConfig(cli: ComposeCli, files: string[], env: NodeJS.ProcessEnv): Promise<Record<string, ServiceConfig>> {
  const [cmd, ...pre] = composeCommand(cli);
  const fileArgs = files.flatMap((f) => ['-f', f]);
  let json: string;
  if (cli === 'v2') {
    json = await runOk(cmd, [...pre, ...fileArgs, 'config', '--format', 'json'], { cwd: repo, env });
  } else {
    const yaml = await runOk(cmd, [...pre, ...fileArgs, 'config'], { cwd: repo, env });
    json = await pipeThrough('python3', ['-c', 'import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))'], yaml);
  }
  return (JSON.parse(json) as Json)['services'] as Record<string, ServiceConfig>;
}

function pipeThrough(cmd: string, args: string[], input: string): Promise<string> {
  return new Promise((res, rej) => {
    const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    p.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    p.on('error', rej);
    p.on('close', (code) => (code === 0 ? res(out) : rej(new Error(`${cmd} exited ${code}: ${err}`))));
    p.stdin.end(input);
  });
}

function volumeTargets(s: ServiceConfig): Map<string, { source: string; readOnly: boolean }> {
  const out = new Map<string, { source: string; readOnly: boolean }>();
  for (const v of s.volumes ?? []) {
    if (typeof v === 'string') {
      const [source = '', target = '', mode = 'rw'] = v.split(':');
      out.set(target, { source, readOnly: mode.split(',').includes('ro') });
    } else if (v.target !== undefined) {
      out.set(v.target, { source: v.source ?? '', readOnly: v.read_only === true });
    }
  }
  return out;
}

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

// Prints what a container sees of the CnC in the shared Aeron dir (header fields per CncFileDescriptor).
const readCnc =
  "const b=require('fs').readFileSync(process.env.AERON_DIR+'/cnc.dat');" +
  "console.log(JSON.stringify({uid:process.getuid(),length:b.length,version:b.readInt32LE(0)," +
  'startMs:Number(b.readBigInt64LE(32)),pid:Number(b.readBigInt64LE(40))}))';
interface CncView { uid: number; length: number; version: number; startMs: number; pid: number }

const cncHealth = ['CMD', 'node', '-e', "const b=require('fs').readFileSync(process.env.AERON_DIR+'/cnc.dat');process.exit(b.length>=128&&b.readInt32LE(0)!==0?0:1)"];
const driverMain =
  "import {MediaDriver, driverSettingsFromEnv} from '/app/packages/aeron-driver/dist/index.js';" +
  'const d=MediaDriver.launch(driverSettingsFromEnv());' +
  "const stop=()=>d.close().then(()=>process.exit(0));process.on('SIGTERM',stop);process.on('SIGINT',stop);";

const clis: readonly ComposeCli[] = ['v1', 'v2'];

beforeAll(async () => {
  const info = await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 20_000 });
  if (info.code !== 0) throw new Error(`no Docker engine at DOCKER_HOST=${process.env['DOCKER_HOST'] ?? '(default)'}; run .ci/system setup\n${info.stderr}`);
  const img = await run('docker', ['image', 'inspect', image], { timeoutMs: 20_000 });
  if (img.code !== 0) throw new Error(`image ${image} is missing; build it with .ci/system setup (or set MM_IMAGE)`);
  for (const cli of clis) {
    const [cmd, ...pre] = composeCommand(cli);
    const v = await run(cmd, [...pre, 'version'], { timeoutMs: 20_000 });
    if (v.code !== 0) throw new Error(`compose ${cli} (${[cmd, ...pre].join(' ')}) is not usable; .ci/system setup installs it\n${v.stderr}`);
  }
});

describe.each(clis)('docker: compose files (compose %s)', (cli) => {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['MM_NOFILE'];

  it('merges the base file into the services and start order of docs/architecture.md', async () => {
    const services = await mergedConfig(cli, ['docker-compose.yml'], env);
    expect(Object.keys(services).sort()).toEqual(baseServices);
    const users = new Set<string | undefined>();
    const aeronDirs = new Set<string | undefined>();
    for (const [name, s] of Object.entries(services)) {
      users.add(s.user);
      aeronDirs.add(s.environment?.['AERON_DIR']);
      expect(s.healthcheck?.test, `${name} healthcheck`).toBeDefined();
      expect(s.restart, `${name} restart`).toBe('unless-stopped');
      expect(s.mem_limit, `${name} mem_limit`).toBeDefined();
      expect(s.cpus, `${name} cpus`).toBeDefined();
      const vols = volumeTargets(s);
      expect(vols.get('/var/run/aeron')?.source, `${name} aeron volume`).toBe('aeron');
      expect(vols.get('/app/config')?.readOnly, `${name} config read-only`).toBe(true);
      expect(vols.has('/app/logs'), `${name} logs`).toBe(true);
      expect(vols.get('/app/data')?.source, `${name} data volume`).toBe('data');
      if (name !== 'aeronmd') {
        const deps = s.depends_on as Record<string, { condition?: string }>;
        expect(deps['aeronmd']?.condition, `${name} waits for a healthy driver`).toBe('service_healthy');
      }
    }
    expect(users).toEqual(new Set([`${uid}:${uid}`]));
    expect(aeronDirs).toEqual(new Set(['/var/run/aeron/mm']));
    const ports = (services['matching-engine']?.ports ?? []).map((p) => (typeof p === 'string' ? p : `${p.published}:${p.target}/${p.protocol ?? 'tcp'}`));
    expect(ports.sort()).toEqual(['1234:1234/tcp', '1235:1235/udp']);
    const dashboard = services['mm_dashboard']?.ports?.[0];
    expect(typeof dashboard === 'string' ? dashboard : `${dashboard?.host_ip}:${dashboard?.published}:${dashboard?.target}`).toMatch(/^127\.0\.0\.1:8080:8080/);
  });

  it('puts every CI service on the host network with the local image and the fake Binance', async () => {
    const services = await mergedConfig(cli, ['docker-compose.yml', 'docker-compose.ci.yml'], { ...env, MM_IMAGE: image, MM_CI_FAKE_BINANCE_PORT: '4711' });
    expect(Object.keys(services).sort()).toEqual([...baseServices, 'fake_binance'].sort());
    for (const [name, s] of Object.entries(services)) {
      expect(s.network_mode, name).toBe('host');
      expect(s.image, name).toBe(image);
      expect(s.healthcheck?.test, `${name} healthcheck`).toBeDefined();
    }
    expect(services['mm_collector']?.environment?.['MM_COLLECTOR__BINANCE__WS_URL']).toBe('ws://127.0.0.1:4711');
    expect(services['matching-engine']?.environment?.['ENGINE_TCP_HOST']).toBe('127.0.0.1');
    expect(services['mm_dashboard']?.environment?.['MM_DASHBOARD__HOST']).toBe('127.0.0.1');
    const deps = services['mm_collector']?.depends_on as Record<string, { condition?: string }>;
    expect(deps['fake_binance']?.condition).toBe('service_healthy');
  });

  it('hardens every service in the prod override', async () => {
    const services = await mergedConfig(cli, ['docker-compose.yml', 'docker-compose.prod.yml'], env);
    expect(Object.keys(services).sort()).toEqual(baseServices);
    for (const [name, s] of Object.entries(services)) {
      expect(s.read_only, name).toBe(true);
      expect(s.cap_drop, name).toEqual(['ALL']);
      expect(s.security_opt, name).toEqual(['no-new-privileges:true']);
      const nofile = s.ulimits?.nofile;
      expect(typeof nofile === 'number' ? nofile : nofile?.soft, `${name} nofile`).toBe(65536);
      expect(s.logging?.driver, name).toBe('json-file');
      expect(s.logging?.options?.['max-size'], name).toBeDefined();
      expect(s.user, name).toBe(`${uid}:${uid}`);
      expect(volumeTargets(s).get('/var/run/aeron')?.source, `${name} aeron volume`).toBe('aeron');
    }
  });
});

describe('docker: the image', () => {
  it('builds a production-shaped image: non-root, no compilers, dev dependencies or CA, the addon loads', async () => {
    const script = [
      'id -u',
      'node -p "process.versions.node.split(\'.\')[0]"',
      'ls node_modules/.pnpm | grep -c -E "^(typescript|vitest|@types)" || true',
      'for t in g++ gcc make python3; do command -v $t || true; done',
      'ls /tmp',
      'grep -rl "BEGIN CERTIFICATE" /app /tmp 2>/dev/null | head -1',
      'node -e "process.dlopen({exports:{}}, \'/app/packages/agrona/native/build/Release/mm_mmap.node\'); console.log(\'addon ok\')"',
    ].join('; echo ---; ');
    const out = await runOk('docker', ['run', '--rm', '--network', 'host', image, 'sh', '-c', script], { timeoutMs: 60_000 });
    const [id, nodeMajor, devDeps, compilers, tmp, certs, addon] = out.split('---').map((s) => s.trim());
    expect(id).toBe(String(uid));
    expect(Number(nodeMajor)).toBeGreaterThanOrEqual(24);
    expect(devDeps).toBe('0');
    expect(compilers).toBe('');
    expect(tmp).toBe('');
    expect(certs).toBe('');
    expect(addon).toBe('addon ok');
    const history = await runOk('docker', ['history', '--no-trunc', '--format', '{{.CreatedBy}}', image]);
    expect(history).not.toContain('BEGIN CERTIFICATE');
  });
});

// Compose v2 runs the stack with the production override too (read-only root, no capabilities).
const stacks = [
  { cli: 'v1', prod: false },
  { cli: 'v2', prod: true },
] as const;

describe.each(stacks)('docker: shared Aeron dir across containers, driver + a CnC reader (compose $cli, prod $prod)', ({ cli, prod }) => {
  const work = mkdtempSync(join(tmpdir(), 'mm-docker-'));
  const logs = join(work, 'logs');
  const project = new ComposeProject(
    cli,
    `mmci${cli}${process.pid}`,
    ['docker-compose.yml', ...(prod ? ['docker-compose.prod.yml'] : []), 'docker-compose.ci.yml', join(work, 'stub.yml')],
    repo,
    { ...process.env, MM_IMAGE: image, MM_LOG_HOST_DIR: logs },
  );

  beforeAll(async () => {
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
    const stub = {
      version: '2.4',
      services: {
        aeronmd: { command: ['node', '--input-type=module', '-e', driverMain], healthcheck: { test: cncHealth } },
        mm_pricing: { command: ['node', '-e', 'setInterval(()=>{},1<<30)'], healthcheck: { test: cncHealth } },
      },
    };
    writeFileSync(join(work, 'stub.yml'), JSON.stringify(stub, null, 2)); // JSON is YAML
    await project.down();
  });

  afterAll(async () => {
    try {
      await project.down();
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  const cncIn = async (service: string): Promise<CncView> => {
    const r = await project.exec(service, ['node', '-e', readCnc]);
    if (r.code !== 0) throw new Error(`reading the CnC in ${service} failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as CncView;
  };
  const healthy = (service: string, timeoutMs = 90_000) =>
    waitFor(async () => (await project.health(service)) === 'healthy', { timeoutMs, intervalMs: 250, what: `${service} healthy` });

  it('starts the driver first and the client once the driver is healthy', async () => {
    await project.compose(['up', '-d', '--no-build', 'mm_pricing']);
    await healthy('aeronmd');
    await healthy('mm_pricing');
    const startedAt = async (service: string): Promise<number> =>
      Date.parse((await runOk('docker', ['inspect', '-f', '{{.State.StartedAt}}', (await project.containerId(service))!])).trim());
    expect(await startedAt('mm_pricing')).toBeGreaterThan(await startedAt('aeronmd'));
    // fake_binance and the others are not dependencies of mm_pricing, so compose started nothing else.
    expect(await project.containerId('mm_collector')).toBeUndefined();
  });

  it('shows both containers the same CnC on a tmpfs of the configured size, as one non-root uid', async () => {
    const inDriver = await cncIn('aeronmd');
    const inClient = await cncIn('mm_pricing');
    expect(inClient).toEqual(inDriver);
    expect(inDriver.uid).toBe(uid);
    expect(inDriver.version).not.toBe(0);
    expect(inDriver.length).toBeGreaterThan(128);
    const fs = await project.exec('mm_pricing', ['sh', '-c', 'stat -f -c %T /var/run/aeron; df -k /var/run/aeron | tail -1']);
    const [fsType, df = ''] = fs.stdout.trim().split('\n');
    expect(fsType).toBe('tmpfs');
    expect(Number(df.trim().split(/\s+/)[1])).toBe(128 * 1024);
  });

  it('mounts config read-only and logs writable, and applies the memory limits', async () => {
    const ro = await project.exec('mm_pricing', ['sh', '-c', 'touch /app/config/probe']);
    expect(ro.code).not.toBe(0);
    const rw = await project.exec('mm_pricing', ['sh', '-c', 'echo hello > /app/logs/probe.log']);
    expect(rw.code).toBe(0);
    expect(readFileSync(join(logs, 'probe.log'), 'utf8')).toBe('hello\n');
    expect(statSync(join(logs, 'probe.log')).uid).toBe(uid);
    const limits = await runOk('docker', ['inspect', '-f', '{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}}', (await project.containerId('aeronmd'))!]);
    expect(limits.trim()).toBe(`${320 * 1024 * 1024} ${1e9}`);
  });

  it('has a read-only root exactly under the prod override, and no capabilities', async () => {
    // /var/tmp is world-writable on the root fs: only a read-only root refuses the probe.
    const r = await project.exec('aeronmd', ['sh', '-c', 'touch /var/tmp/probe 2>/dev/null && echo root-writable; touch /tmp/probe && echo tmp-ok; ulimit -n; grep CapEff /proc/self/status']);
    const lines = r.stdout.trim().split('\n');
    expect(lines.includes('root-writable')).toBe(!prod);
    expect(lines).toContain('tmp-ok');
    if (prod) expect(lines.at(-2)).toBe(project.env['MM_NOFILE']);
    expect(lines.at(-1)).toMatch(/^CapEff:\s+0+$/);
  });

  it('keeps the Aeron dir when the driver restarts: the client sees the new driver', async () => {
    const before = await cncIn('mm_pricing');
    await project.compose(['restart', 'aeronmd']);
    const after = await waitFor(
      async () => {
        const v = await cncIn('mm_pricing');
        return v.startMs !== before.startMs && v.version !== 0 ? v : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250, what: 'a new CnC seen from mm_pricing' },
    );
    expect(after.startMs).toBeGreaterThan(before.startMs);
    await healthy('aeronmd');
    expect(await cncIn('aeronmd')).toEqual(after);
  });

  it('brings a restarted client back to healthy', async () => {
    const id = (await project.containerId('mm_pricing'))!;
    const startedAt = (await runOk('docker', ['inspect', '-f', '{{.State.StartedAt}}', id])).trim();
    await project.compose(['restart', 'mm_pricing']);
    const restartedAt = (await runOk('docker', ['inspect', '-f', '{{.State.StartedAt}}', id])).trim();
    expect(restartedAt).not.toBe(startedAt);
    await healthy('mm_pricing');
    expect((await cncIn('mm_pricing')).version).not.toBe(0);
  });

  it('tears everything down, volumes included', async () => {
    await project.down();
    const left = await runOk('docker', ['ps', '-aq', '--filter', `label=com.docker.compose.project=${project.name}`]);
    expect(left.trim()).toBe('');
    const vols = await runOk('docker', ['volume', 'ls', '-q', '--filter', `label=com.docker.compose.project=${project.name}`]);
    expect(vols.trim()).toBe('');
    expect(existsSync(join(logs, 'probe.log'))).toBe(true); // host logs outlive the stack
  });
});
