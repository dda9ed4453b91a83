import { describe, expect, it } from 'vitest';
import { Aeron, Context, FragmentAssembler } from '@mm/aeron-client';
import type { AtomicBuffer } from '@mm/agrona';
// Relative: the fake is a test tool of other packages; the strategy has no dependency on Binance code.
import { FakeBinanceServer } from '../../../packages/fake-binance/src/index.js';
import { DecodeResult, MessageHeader, PullQuotesDecoder, PullReason, QuoteDecoder, TemplateId } from '@mm/protocol';
import { createTestSystem, startDriver, startService, type ChildProcessHandle, useProcessTeardown, waitFor } from '@mm/test-support';

/**
 * Binance halts a symbol: collector (exchangeInfo refresh) → stream 20 → strategy, as real processes with the fake
 * Binance. The strategy quotes both symbols on the fake's grid, pulls BTCUSDT (NOT_TRADABLE) once the fake reports
 * HALT, keeps quoting ETHUSDT, and quotes BTCUSDT again when it trades.
 */
describe('strategy follows Binance trading status (processes)', () => {
  const teardown = useProcessTeardown();

  it('pulls a halted symbol and quotes it again when it trades', async () => {
    const fake = teardown.add(new FakeBinanceServer({ seed: 3, depthIntervalMs: 20 }));
    await fake.start();
    const sys = createTestSystem({
      collector: `[binance]\nws-url = "${fake.wsBaseUrl}"\nrest-url = "${fake.restBaseUrl}"\nexchange-info-refresh-s = 1\n[instrument]\nrepublish-interval-ms = 200\n`,
    });
    Object.assign(sys.env, {
      MM_PRICING__VOLATILITY__MIN_SAMPLES: '5',
      MM_PRICING__VOLATILITY__SAMPLE_INTERVAL_MS: '20',
      MM_STRATEGY__QUOTING__MIN_SPREAD_BPS: '0.1',
    });
    await startDriver(sys);
    const aeron = teardown.add(await Aeron.connect(new Context({ aeronDir: sys.aeronDir, driverTimeoutMs: 2000 })));
    const quotesSub = await aeron.addSubscription('aeron:ipc?term-length=64k', 15);
    const services = ['collector', 'pricing', 'strategy', 'simulator'];
    const procs: ChildProcessHandle[] = services.map((s) => startService(sys, s));

    const quote = new QuoteDecoder();
    const pull = new PullQuotesDecoder();
    const rows: { kind: 'quote' | 'pull'; symbol: string; reason: number; bid: number; ask: number; at: number }[] = [];
    const qa = new FragmentAssembler((b: AtomicBuffer, o: number, l: number) => {
      if (MessageHeader.templateId(b, o) === TemplateId.QUOTE && quote.wrapChecked(b, o, l) === DecodeResult.OK) {
        rows.push({ kind: 'quote', symbol: quote.symbol(), reason: 0, bid: quote.bidPrice(), ask: quote.askPrice(), at: rows.length });
      } else if (MessageHeader.templateId(b, o) === TemplateId.PULL_QUOTES && pull.wrapChecked(b, o, l) === DecodeResult.OK) {
        rows.push({ kind: 'pull', symbol: pull.allSymbols() ? '*' : pull.symbol(), reason: pull.reason(), bid: 0, ask: 0, at: rows.length });
      }
    });
    const poll = (): void => { aeron!.doWork(); quotesSub.poll(qa.handler, 100); };
    const until = async (what: string, cond: () => boolean): Promise<void> => {
      try {
        await waitFor(() => { poll(); return cond(); }, { what, timeoutMs: 60_000, intervalMs: 2 });
      } catch (error) {
        const tails = procs.map((p, i) => `--- ${services[i]}:\n${p.output().split('\n').slice(-6).join('\n')}`).join('\n');
        throw new Error(`${(error as Error).message}\n${tails}`);
      }
    };
    const quotesOf = (symbol: string, from = 0) => rows.filter((r) => r.at >= from && r.kind === 'quote' && r.symbol === symbol);

    await until('quotes for both symbols', () => quotesOf('BTCUSDT').length >= 3 && quotesOf('ETHUSDT').length >= 3);
    const tick = fake.markets.get('BTCUSDT')!.spec.tickSize;
    for (const q of quotesOf('BTCUSDT')) expect([q.bid % tick, q.ask % tick]).toEqual([0, 0]);

    // Only a pull after the halt counts: before its instrument is known the strategy may already have pulled a
    // symbol NOT_TRADABLE at start-up.
    const haltedFrom = rows.length;
    const haltPull = (r: (typeof rows)[number]): boolean =>
      r.at >= haltedFrom && r.kind === 'pull' && r.symbol === 'BTCUSDT' && r.reason === PullReason.NOT_TRADABLE;
    fake.setSymbolStatus('BTCUSDT', 'HALT');
    await until('BTCUSDT pulled NOT_TRADABLE', () => rows.some(haltPull));
    const pulledAt = rows.find(haltPull)!.at;
    await until('ETHUSDT still quoted after the halt', () => quotesOf('ETHUSDT', pulledAt).length >= 3);
    expect(quotesOf('BTCUSDT', pulledAt)).toEqual([]);

    const resumedFrom = rows.length;
    fake.setSymbolStatus('BTCUSDT', 'TRADING');
    await until('BTCUSDT quoted again', () => quotesOf('BTCUSDT', resumedFrom).length >= 1);
    for (const p of procs) expect(p.hasExited).toBe(false);
  });
});
