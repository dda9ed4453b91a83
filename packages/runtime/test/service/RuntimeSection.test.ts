import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { c, loadConfig } from '@mm/config';
import { runtimeSectionWith } from '../../src/service/RuntimeSection.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

function load(toml: string, env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'runtime-section-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'svc.toml'), toml);
  return loadConfig('svc', c.object({ runtime: runtimeSectionWith({ wait: 'doorbell' }) }), { configDir: dir, env });
}

describe('[runtime.scheduling]', () => {
  it('defaults to the ordinary policy', () => {
    expect(load('').runtime.scheduling).toEqual({ policy: 'other', priority: 1 });
  });

  it('takes a real-time policy and priority from the file or the environment', () => {
    expect(load('[runtime.scheduling]\npolicy = "fifo"\npriority = 40\n').runtime.scheduling).toEqual({ policy: 'fifo', priority: 40 });
    expect(load('', { MM_SVC__RUNTIME__SCHEDULING__POLICY: 'rr', MM_SVC__RUNTIME__SCHEDULING__PRIORITY: '7' }).runtime.scheduling)
      .toEqual({ policy: 'rr', priority: 7 });
  });

  it('rejects an unknown policy and a priority outside 1..99, naming the key', () => {
    expect(() => load('[runtime.scheduling]\npolicy = "deadline"\n')).toThrow(/policy/);
    expect(() => load('[runtime.scheduling]\npolicy = "fifo"\npriority = 0\n')).toThrow(/priority/);
    expect(() => load('[runtime.scheduling]\npriority = 100\n')).toThrow(/priority/);
  });
});
