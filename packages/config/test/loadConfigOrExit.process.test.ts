import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configDir } from './helpers.js';

// Spawns compiled JS (build first): a "service" whose first act is loadConfigOrExit.
const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'index.js');

function runService(dir: string, env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const script = `
    import { c, loadConfigOrExit } from ${JSON.stringify(pathToFileURL(dist).href)};
    const schema = c.object({ tcpPort: c.port({ default: 1, env: 'ENGINE_TCP_PORT' }), binance: c.object({ depthSpeedMs: c.int({ min: 100, max: 1000, default: 100 }) }) });
    const cfg = loadConfigOrExit('matching-engine', schema, { configDir: ${JSON.stringify(dir)} });
    process.stdout.write('started ' + JSON.stringify(cfg) + '\\n');
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('loadConfigOrExit', () => {
  it('has been built', () => {
    expect(existsSync(dist), `${dist} missing: run npx tsc -b packages/config`).toBe(true);
  });

  it('exits 78 before doing anything, with one prefixed line per problem', () => {
    const dir = configDir({ 'matching-engine.toml': 'tcp-port = "x"\n[binance]\ndepth-sped-ms = 1\n' });
    const r = runService(dir, { MM_MATCHING_ENGINE__BINANCE__DEPTH_SPEED_MS: '5' });
    expect(r.status).toBe(78);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line.startsWith(`[matching-engine] config error: ${join(dir, 'matching-engine.toml')}`)).toBe(true);
    expect(r.stderr).toContain('binance.depth-sped-ms: unknown key (did you mean "depth-speed-ms"?)');
    expect(r.stderr).toContain('(env MM_MATCHING_ENGINE__BINANCE__DEPTH_SPEED_MS): binance.depth-speed-ms: expected integer in [100, 1000], found 5');
    expect(r.stderr).toContain('tcp-port: expected port in [0, 65535], found string "x"');
  });

  it('exits 78 on a TOML syntax error naming line and column', () => {
    const dir = configDir({ 'matching-engine.toml': '\n\ntcp-port = \n' });
    const r = runService(dir);
    expect(r.status).toBe(78);
    expect(r.stderr).toContain(`${join(dir, 'matching-engine.toml')}:3:`);
  });

  it('starts normally on valid configuration with env precedence applied', () => {
    const dir = configDir({ 'matching-engine.toml': 'tcp-port = 5000\n' });
    const r = runService(dir, { MM_MATCHING_ENGINE__TCP_PORT: '6000', ENGINE_TCP_PORT: '7000' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('started {"tcpPort":7000,"binance":{"depthSpeedMs":100}}\n');
  });
});
