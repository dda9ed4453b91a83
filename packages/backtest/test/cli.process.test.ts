import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BTC_0808, CONFIG_DIR, REPO } from './fixtures.js';

// `mm backtest` as a user runs it: the compiled CLI (build first: npx tsc -b packages/cli).
const out = mkdtempSync(join(tmpdir(), 'mm-backtest-cli-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const mm = (...args: string[]) => spawnSync(process.execPath, [join(REPO, 'packages/cli/dist/main.js'), 'backtest', ...args], { encoding: 'utf8', cwd: REPO, timeout: 60_000 });

describe('mm backtest', () => {
  it('should run a slice and write the summary, event log and report', () => {
    const dir = join(out, 'one');
    const r = mm('--data', BTC_0808, '--config', CONFIG_DIR, '--from', '2024-08-08T23:54:30Z', '--to', '1723161330000', '--out', dir, '--param', 'gamma=0.2');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/# Backtest summary/);
    expect(r.stdout).toMatch(/events\/s, [\d.]+x real time/);
    for (const f of ['summary.json', 'summary.md', 'events.csv', 'events.jsonl', 'report.html']) expect(existsSync(join(dir, f)), f).toBe(true);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { start: string; end: string };
    expect(summary.start.startsWith('2024-08-08T23:54:30.0')).toBe(true);
    expect(summary.end < '2024-08-08T23:55:30.000001Z').toBe(true);
  });

  it('should explain bad arguments and bad configuration with distinct exit codes', () => {
    const noData = mm('--out', join(out, 'x'));
    expect(noData.status).toBe(2);
    expect(noData.stderr).toMatch(/needs --data/);
    const unknown = mm('--data', BTC_0808, '--speed', '2');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option --speed/);
    const badTime = mm('--data', BTC_0808, '--config', CONFIG_DIR, '--from', 'noon', '--out', join(out, 'y'));
    expect(badTime.status).toBe(2);
    expect(badTime.stderr).toMatch(/--from: 'noon'/);
    const badParam = mm('--data', BTC_0808, '--config', CONFIG_DIR, '--param', 'gamma=-1', '--out', join(out, 'z'));
    expect(badParam.status).toBe(78);
    expect(badParam.stderr).toMatch(/model\.gamma/);
  });
});
