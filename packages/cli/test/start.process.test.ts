import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Aeron, Context, FragmentAssembler } from '@mm/aeron-client';
import { DecodeResult, MessageHeader, QuoteDecoder, TemplateId } from '@mm/protocol';
import { ChildProcessHandle, createTestSystem, driverEnv, isProcessAlive, repoRoot, useProcessTeardown, waitFor, type TestSystem } from '@mm/test-support';

/**
 * `mm start` as users run it (README's main command): the driver, the simulated Binance and every service under the
 * supervisor; quotes flow on 15; `mm restart` restarts one service and quotes resume from its new publication;
 * `mm stop` stops everything and the supervisor exits 0 leaving no process behind. Ports are 0 (any free port),
 * the run dir and Aeron dir are the test's own.
 */
const CLI = join(repoRoot(), 'packages/cli/dist/main.js');

function envFor(sys: TestSystem): Record<string, string> {
  return {
    ...driverEnv(sys),
    MM_RUN_DIR: join(sys.root, 'run'),
    ENGINE_TCP_PORT: '0',
    ENGINE_UDP_PORT: '0',
    MM_DASHBOARD__PORT: '0',
    MM_PRICING__VOLATILITY__MIN_SAMPLES: '5',
    MM_PRICING__VOLATILITY__SAMPLE_INTERVAL_MS: '20',
    MM_STRATEGY__THROTTLE__MIN_INTERVAL_MS: '0',
  };
}

function mm(sys: TestSystem, ...args: string[]): ChildProcessHandle {
  return new ChildProcessHandle(CLI, { args, env: { ...process.env, ...envFor(sys) }, cwd: repoRoot() });
}

describe('mm start', () => {
  useProcessTeardown();

  for (const mode of [
    { colocate: true, restart: 'mm_tick_path', hosted: 'mm_pricing' },
    { colocate: false, restart: 'mm_strategy', hosted: undefined },
  ]) {
    it(`${mode.colocate ? '--colocate: ' : ''}starts everything, quotes, restarts ${mode.restart}, stops cleanly`, async () => {
      const sys = createTestSystem();
      const start = mm(sys, 'start', '--fake-port', '0', '--aeron-dir', sys.aeronDir, '--no-color', ...(mode.colocate ? ['--colocate'] : []));
      let aeron: Aeron | undefined;
      let pids: number[] = [];
      try {
        await start.waitForLine(/mm: running/, 60_000);
        const state = JSON.parse(readFileSync(join(sys.root, 'run', 'supervisor.json'), 'utf8')) as { services: Record<string, number | null> };
        const names = Object.keys(state.services);
        if (mode.colocate) {
          expect(names).toContain('mm_tick_path');
          for (const n of ['mm_collector', 'mm_pricing', 'mm_strategy']) expect(names).not.toContain(n);
        } else {
          for (const n of ['mm_collector', 'mm_pricing', 'mm_strategy']) expect(names).toContain(n);
        }
        aeron = await Aeron.connect(new Context({ aeronDir: sys.aeronDir, driverTimeoutMs: 2000 }));
        const quotes = await aeron.addSubscription('aeron:ipc?term-length=64k', 15);
        const dec = new QuoteDecoder();
        const sessions = new Map<number, number>();
        const onQuote = new FragmentAssembler((b, o, l, h) => {
          if (MessageHeader.templateId(b, o) !== TemplateId.QUOTE || dec.wrapChecked(b, o, l) !== DecodeResult.OK) return;
          if (dec.hasBid() && dec.hasAsk()) sessions.set(h.sessionId, (sessions.get(h.sessionId) ?? 0) + 1);
        });
        const poll = (): void => { aeron!.doWork(); quotes.poll(onQuote.handler, 100); };
        await waitFor(() => { poll(); return [...sessions.values()].some((n) => n >= 5); }, { what: 'two-sided quotes', timeoutMs: 60_000, intervalMs: 2 });

        if (mode.hosted) {
          const refused = mm(sys, 'restart', mode.hosted);
          expect((await refused.waitForExit(20_000)).code).toBe(2);
          expect(refused.output()).toMatch(/mm_pricing runs inside mm_tick_path .*restart mm_tick_path/);
        }
        const from = start.lines.length;
        const restart = mm(sys, 'restart', mode.restart);
        expect((await restart.waitForExit(20_000)).code).toBe(0);
        await start.waitForLine(new RegExp(`${mode.restart} (exited|started)`), 30_000, from);
        // Quotes resume from the restarted strategy's new publication (a new session on 15).
        await waitFor(() => { poll(); return sessions.size >= 2 && [...sessions.values()].at(-1)! >= 3; },
          { what: 'quotes from the restarted service', timeoutMs: 60_000, intervalMs: 2 });

        pids = Object.values((JSON.parse(readFileSync(join(sys.root, 'run', 'supervisor.json'), 'utf8')) as { services: Record<string, number | null> }).services)
          .filter((p): p is number => typeof p === 'number');
        aeron.close();
        aeron = undefined;
        const stop = mm(sys, 'stop');
        expect((await stop.waitForExit(20_000)).code).toBe(0);
        expect(await start.waitForExit(30_000)).toEqual({ code: 0, signal: null });
        expect(start.output()).toMatch(/mm: stopped/);
        for (const pid of pids) expect(isProcessAlive(pid), `pid ${pid} still running after mm stop`).toBe(false);
      } finally {
        aeron?.close();
        if (!start.hasExited) {
          start.kill('SIGTERM');
          await start.waitForExit(30_000).catch(() => undefined);
        }
        for (const pid of pids) if (isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
      }
    });
  }

});
