import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChildProcessHandle, removeTempDirs, repoRoot, tempDir } from '@mm/test-support';

describe('mm reset-kill-switch', () => {
  afterEach(() => removeTempDirs());

  it('releases an engaged, persisted kill switch through the strategy\'s own reset', async () => {
    const file = join(tempDir('mm-ks-'), 'kill-switch.json');
    writeFileSync(file, JSON.stringify({ engaged: true, reason: 'daily-loss-limit', engagedAtNs: 5, pnlAtEngage: -150 }));
    const mm = new ChildProcessHandle(join(repoRoot(), 'packages/cli/dist/main.js'), { args: ['reset-kill-switch', '--file', file] });
    expect((await mm.waitForExit(15_000)).code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ engaged: false, reason: 'none' });
    expect(mm.output()).toMatch(/it was engaged \(daily-loss-limit\)/);
  });
});
