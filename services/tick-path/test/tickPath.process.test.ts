import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Aeron, Context, FragmentAssembler } from '@mm/aeron-client';
import type { AtomicBuffer } from '@mm/agrona';
import { checkHealth } from '@mm/cli';
import { FakeBinanceServer } from '@mm/fake-binance';
import {
  DecodeResult, FillDecoder, MessageHeader, PricingDecoder, PullQuotesDecoder, PullReason, QuoteDecoder, TemplateId, Venue,
} from '@mm/protocol';
import { createTestSystem, fakeMarketEnv, quoteNearMarketEnv, startDriver, startService, useProcessTeardown, waitFor } from '@mm/test-support';

/**
 * services/tick-path: the collector, pricing and strategy hosted in one process. It must behave as the three
 * processes do — quotes on 15 from fair values on 14, fills from the simulator, each service live under its own
 * name and log file — and stop like them: the strategy pulls its quotes (SHUTDOWN) before the process exits 0.
 */
describe('tick-path (collector + pricing + strategy in one process)', () => {
  const teardown = useProcessTeardown();

  it('quotes from the fake market, fills on the simulator, three healthy services in one pid, pulls on SIGTERM', async () => {
    const fake = teardown.add(new FakeBinanceServer({ seed: 5, depthIntervalMs: 20 }));
    await fake.start();
    const sys = createTestSystem();
    Object.assign(sys.env, fakeMarketEnv(fake), quoteNearMarketEnv());
    await startDriver(sys);
    const aeron = teardown.add(await Aeron.connect(new Context({ aeronDir: sys.aeronDir, driverTimeoutMs: 2000 })));
    const ch = 'aeron:ipc?term-length=64k';
    const [pricing, quotes, fills] = await Promise.all([14, 15, 16].map((id) => aeron.addSubscription(ch, id)));
    const host = startService(sys, 'tick-path');
    const simulator = startService(sys, 'simulator');

    const pricingDec = new PricingDecoder();
    const quoteDec = new QuoteDecoder();
    const pullDec = new PullQuotesDecoder();
    const fillDec = new FillDecoder();
    const pricedRecv = new Set<number>();
    let quotesFromPricing = 0;
    let twoSided = 0;
    let fillCount = 0;
    const pulls: number[] = [];
    const onPricing = (b: AtomicBuffer, o: number, l: number): void => {
      if (MessageHeader.templateId(b, o) === TemplateId.PRICING && pricingDec.wrapChecked(b, o, l) === DecodeResult.OK) {
        pricedRecv.add(pricingDec.recvTimeNs());
      }
    };
    const onQuote = new FragmentAssembler((b, o, l) => {
      const t = MessageHeader.templateId(b, o);
      if (t === TemplateId.QUOTE && quoteDec.wrapChecked(b, o, l) === DecodeResult.OK) {
        expect(quoteDec.venue()).toBe(Venue.SIMULATOR);
        if (quoteDec.hasBid() && quoteDec.hasAsk()) {
          twoSided++;
          expect(quoteDec.bidPrice()).toBeLessThan(quoteDec.askPrice());
        }
        // The carried receive time is that of a frame pricing priced: the tick went through 14 to 15.
        if (pricedRecv.has(quoteDec.recvTimeNs())) quotesFromPricing++;
      } else if (t === TemplateId.PULL_QUOTES && pullDec.wrapChecked(b, o, l) === DecodeResult.OK) {
        pulls.push(pullDec.reason());
      }
    });
    const onFill = (b: AtomicBuffer, o: number, l: number): void => {
      if (fillDec.wrapChecked(b, o, l) === DecodeResult.OK && fillDec.venue() === Venue.SIMULATOR) fillCount++;
    };
    const poll = (): void => {
      aeron.doWork();
      pricing.poll(onPricing, 100);
      quotes.poll(onQuote.handler, 100);
      fills.poll(onFill, 100);
    };
    try {
      await waitFor(() => { poll(); return twoSided >= 20 && quotesFromPricing >= 10 && fillCount >= 3; },
        { what: 'quotes priced through 14 and fills', timeoutMs: 60_000, intervalMs: 2 });
    } catch (error) {
      throw new Error(`${(error as Error).message}: ${twoSided} two-sided quotes (${quotesFromPricing} matched to 14), ${fillCount} fills\n` +
        `--- tick-path:\n${host.output().split('\n').slice(-12).join('\n')}\n--- simulator:\n${simulator.output().split('\n').slice(-6).join('\n')}`);
    }

    for (const name of ['mm_collector', 'mm_pricing', 'mm_strategy']) {
      let report = checkHealth(sys.aeronDir, name, 3000);
      await waitFor(() => { poll(); report = checkHealth(sys.aeronDir, name, 3000); return report.live; }, { what: `${name} live`, timeoutMs: 20_000 });
      expect(report.pid, `${name} runs in the tick-path process`).toBe(host.pid);
    }
    // Each hosted service writes its own hourly log file.
    const files = readdirSync(sys.logDir);
    for (const name of ['mm_collector', 'mm_pricing', 'mm_strategy']) {
      const file = files.find((f) => f.startsWith(`${name}.log.`));
      expect(file, `${name}'s log file in ${files.join(', ')}`).toBeDefined();
      expect(readFileSync(join(sys.logDir, file!), 'utf8')).toMatch(/"host":"mm_tick_path"/);
    }

    host.kill('SIGTERM');
    expect(await host.waitForExit(15_000)).toEqual({ code: 0, signal: null });
    await waitFor(() => { poll(); return pulls.includes(PullReason.SHUTDOWN); }, { what: 'the SHUTDOWN pull', timeoutMs: 10_000 });
    expect(simulator.hasExited).toBe(false);

    // Between the fake market's ticks (20 ms apart) the host rehearsed the path on its scratch pipeline, which
    // quoted and never filled, and removed its scratch dir at the stop.
    expect(host.output()).toMatch(/rehearsal on: every 1 ms while the market is quiet, on a scratch BTCUSDT/);
    const stopped = host.output().split('\n').find((l) => l.includes('"msg":"rehearsal stopped"'));
    expect(stopped, 'the rehearsal counters at the stop').toBeDefined();
    const counters = JSON.parse(stopped!) as { steps: number; quotes: number; fills: number };
    expect(counters.steps).toBeGreaterThan(100);
    expect(counters.quotes).toBeGreaterThan(0);
    expect(counters.fills).toBe(0);
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith(`mm-rehearsal-${host.pid}-`))).toEqual([]);
  });

  it('exits 78 naming both services when hosted services disagree on the Aeron dir', async () => {
    const sys = createTestSystem();
    await startDriver(sys);
    // AERON_DIR would set every service's dir (it ranks above the per-service variables): name each one instead.
    const { AERON_DIR: _dir, ...env } = sys.env;
    const host = startService({ ...sys, env }, 'tick-path', {
      MM_COLLECTOR__RUNTIME__AERON__DIR: sys.aeronDir,
      MM_PRICING__RUNTIME__AERON__DIR: join(sys.root, 'elsewhere'),
      MM_STRATEGY__RUNTIME__AERON__DIR: sys.aeronDir,
    });
    const exit = await host.waitForExit(15_000);
    expect(exit.code).toBe(78);
    expect(host.output()).toMatch(/mm_pricing \[runtime\.aeron\] dir .*elsewhere.* differs from mm_collector's/);
  });
});
