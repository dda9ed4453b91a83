import { afterEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeTempDirs, tempDir, waitFor } from '@mm/test-support';
import { Supervisor } from '../src/supervisor/Supervisor.js';

const fixture = (n: string): string => fileURLToPath(new URL(`./fixtures/${n}`, import.meta.url));
const alive = (pid: number | undefined): boolean => {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('Supervisor', () => {
  let sup: Supervisor | undefined;
  afterEach(async () => {
    await sup?.stop();
    removeTempDirs();
  });

  it('restarts a killed service, restarts on request, and stops everything in reverse order', async () => {
    const runDir = tempDir('mm-sup-');
    const out: string[] = [];
    sup = new Supervisor({ runDir, output: (n, l) => out.push(`${n}:${l}`), initialBackoffMs: 20 });
    await sup.add({ name: 'a', script: fixture('steady.mjs'), ready: /ready/ });
    await sup.add({ name: 'b', script: fixture('steady.mjs'), ready: /ready/ });
    const first = sup.pidOf('a')!;
    const state = JSON.parse(readFileSync(join(runDir, 'supervisor.json'), 'utf8'));
    expect(state.services.a).toBe(first);

    process.kill(first, 'SIGKILL');
    const second = await waitFor(() => { const p = sup!.pidOf('a'); return p !== first && alive(p) ? p : undefined; }, { what: 'a restarted after kill -9' });
    expect(sup.restartsOf('a')).toBe(1);

    sup.restart('b');
    const bBefore = state.services.b as number;
    await waitFor(() => { const p = sup!.pidOf('b'); return p !== bBefore && alive(p); }, { what: 'b restarted on request' });
    expect(out).toContain('b:stopping');

    const pids = [sup.pidOf('a'), sup.pidOf('b')];
    await sup.stop();
    expect(pids.every((p) => !alive(p))).toBe(true);
    expect(second).not.toBe(first);
  });

  it('backs off exponentially on a crash loop', async () => {
    const events: Array<{ name: string; event: string; detail?: Record<string, unknown> }> = [];
    sup = new Supervisor({
      runDir: tempDir('mm-sup-'), output: () => {}, initialBackoffMs: 10, maxBackoffMs: 80,
      event: (name, event, detail) => events.push({ name, event, ...(detail ? { detail } : {}) }),
    });
    await sup.add({ name: 'c', script: fixture('crashy.mjs') });
    await waitFor(() => events.filter((e) => e.event === 'restarting').length >= 5, { what: '5 restarts', timeoutMs: 20_000 });
    const delays = events.filter((e) => e.event === 'restarting').map((e) => e.detail!.inMs as number);
    expect(delays.slice(0, 5)).toEqual([10, 20, 40, 80, 80]);
  });
});
