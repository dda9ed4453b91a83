import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestSystem, killAll, removeTempDirs, repoRoot, spawnNode, tempDir } from '@mm/test-support';
import { figures } from './rig.js';

const LONG = process.env.MM_FAULTS_LONG === '1';

/** Every process of the product with its config file name. */
const PROCESSES: { folder: string; config: string }[] = [
  { folder: 'aeronmd', config: 'aeronmd' }, { folder: 'collector', config: 'collector' }, { folder: 'pricing', config: 'pricing' },
  { folder: 'strategy', config: 'strategy' }, { folder: 'simulator', config: 'simulator' },
  { folder: 'matching-engine', config: 'matching-engine' }, { folder: 'dashboard', config: 'dashboard' },
];

/** Broken files: TOML syntax errors, a wrong type, an unknown key, binary junk. */
const BROKEN: { name: string; text: string }[] = [
  { name: 'unclosed table header', text: '[runtime\nx = 1\n' },
  { name: 'unterminated string', text: '[logging]\nlevel = "info\n' },
  { name: 'wrong type', text: '[logging]\nlevel = 42\n' },
  { name: 'unknown key', text: 'no-such-key-anywhere = true\n' },
  { name: 'binary junk', text: '\u0000\u0001\u00ff[[[ = = \u0007\n' },
];

/**
 * Invalid TOML in each process's config: the process refuses to start with exit code 78 (the supervisor's "do not
 * restart quickly" code) and an error naming the file, before it binds a port or touches the media driver; also a
 * broken shared streams.toml.
 */
describe('fault: invalid configuration', () => {
  afterEach(async () => {
    await killAll();
    removeTempDirs();
  });

  it('every process exits 78 naming the broken file', async () => {
    const results: Record<string, Record<string, number | string>> = {};
    const runs: Promise<void>[] = [];
    // Default tier: two kinds per process, rotating so every kind is covered; MM_FAULTS_LONG=1: every kind everywhere.
    const kinds = (i: number): typeof BROKEN => (LONG ? BROKEN : [BROKEN[i % BROKEN.length]!, BROKEN[(i + 2) % BROKEN.length]!]);
    const cases = [
      ...PROCESSES.flatMap((p, i) => kinds(i).map((b) => ({ p, file: p.config, b }))),
      // streams.toml is read by every Aeron service.
      ...PROCESSES.filter((p) => (LONG ? ['collector', 'pricing', 'strategy', 'simulator'] : ['strategy']).includes(p.folder))
        .map((p) => ({ p, file: 'streams', b: { name: 'broken streams.toml', text: '[book\nstream-id = "ten"\n' } })),
    ];
    for (const { p, file, b } of cases) {
      const sys = createTestSystem();
      writeFileSync(join(sys.configDir, `${file}.toml`), b.text);
      const startedAt = Date.now();
      const proc = spawnNode(join(repoRoot(), 'services', p.folder, 'dist/main.js'), {
        env: {
          ...sys.env, AERON_DIR: join(tempDir('mm-noaeron-'), 'none'), ENGINE_TCP_PORT: '0', ENGINE_UDP_PORT: '0',
          ENGINE_TCP_HOST: '127.0.0.1', ENGINE_UDP_HOST: '127.0.0.1', MM_DASHBOARD__PORT: '0',
          // LOG_LEVEL would override [logging] level (established variables win), hiding the wrong-type case.
          LOG_LEVEL: undefined,
        },
        cwd: sys.root, name: p.folder,
      });
      runs.push(proc.waitForExit(20_000).catch((error: Error) => {
        throw new Error(`${p.folder} with a broken ${file}.toml (${b.name}): ${error.message}\n${proc.output().slice(-600)}`);
      }).then(({ code }) => {
        const out = proc.output();
        (results[`${p.folder}:${file}`] ??= {})[b.name] = code ?? -1;
        expect(code, `${p.folder} with ${file}.toml (${b.name}): exit code\n${out.slice(-600)}`).toBe(78);
        expect(out, `${p.folder} names ${file}.toml`).toContain(`${file}.toml`);
        expect(out).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // a message, not a stack trace
        (results[`${p.folder}:${file}`] ??= {})[`${b.name} ms`] = Date.now() - startedAt;
      }));
      // A few at a time: this machine has two cores shared with other work.
      if (runs.length % 6 === 0) await Promise.all(runs.splice(0));
    }
    await Promise.all(runs);
    figures('invalid-config', { cases: cases.length, exitCodes: results });
  });
});
