import { describe, expect, it } from 'vitest';
import { Aeron, Context, FragmentAssembler } from '@mm/aeron-client';
import type { AtomicBuffer } from '@mm/agrona';
import { FakeBinanceServer } from '@mm/fake-binance';
import {
  DecodeResult, FillDecoder, MessageHeader, PositionDecoder, QuoteDecoder, Side, StateDecoder, TemplateId, Venue,
} from '@mm/protocol';
import { createTestSystem, fakeMarketEnv, quoteNearMarketEnv, startDriver, startService, useProcessTeardown, waitFor } from '@mm/test-support';
import { checkHealth } from '@mm/cli';

/**
 * The whole pipeline as separate processes on the product's media driver, market from the fake Binance:
 * collector → pricing → strategy → simulator. The strategy must quote (both sides, around the market, addressed to
 * the simulator), the simulator must fill, and its positions must always equal the sum of its fills.
 */
describe('pipeline', () => {
  const teardown = useProcessTeardown();

  it('quotes on 15, fills on 16, positions on 17 equal the sum of fills; every service healthy; one image per service on 11', async () => {
    const fake = teardown.add(new FakeBinanceServer({ seed: 11, depthIntervalMs: 20 }));
    await fake.start();
    const sys = createTestSystem();
    Object.assign(sys.env, fakeMarketEnv(fake), quoteNearMarketEnv());
    await startDriver(sys);
    const aeron = teardown.add(await Aeron.connect(new Context({ aeronDir: sys.aeronDir, driverTimeoutMs: 2000 })));
    const ch = 'aeron:ipc?term-length=64k';
    const [quotes, fills, positions, states] = await Promise.all(
      [15, 16, 17, 11].map((id) => aeron!.addSubscription(ch, id, { untethered: id === 11 })),
    );
    const services = ['collector', 'pricing', 'strategy', 'simulator'];
    const procs = services.map((s) => startService(sys, s));

    const quote = new QuoteDecoder();
    const fill = new FillDecoder();
    const pos = new PositionDecoder();
    const state = new StateDecoder();
    let twoSidedQuotes = 0;
    const quoteVenues = new Set<number>();
    const fillQty = new Map<string, number>();
    const fillIds: number[] = [];
    const violations: string[] = [];
    const stateSessions = new Map<string, Set<number>>();
    let positionsChecked = 0;
    const onQuote = (b: AtomicBuffer, o: number, l: number): void => {
      if (MessageHeader.templateId(b, o) !== TemplateId.QUOTE) return;
      expect(quote.wrapChecked(b, o, l)).toBe(DecodeResult.OK);
      quoteVenues.add(quote.venue());
      if (quote.hasBid() && quote.hasAsk()) {
        twoSidedQuotes++;
        if (!(quote.bidPrice() < quote.askPrice())) violations.push(`crossed quote ${quote.bidPrice()} >= ${quote.askPrice()}`);
        if (!(quote.recvTimeNs() > 0 && quote.sendTimeNs() >= quote.recvTimeNs())) violations.push('quote without a carried receive time');
      }
    };
    const onFill = (b: AtomicBuffer, o: number, l: number): void => {
      expect(fill.wrapChecked(b, o, l)).toBe(DecodeResult.OK);
      if (fill.venue() !== Venue.SIMULATOR) return;
      fillIds.push(fill.fillId());
      const sym = fill.symbol();
      fillQty.set(sym, (fillQty.get(sym) ?? 0) + (fill.side() === Side.BUY ? fill.qty() : -fill.qty()));
    };
    // A position snapshot includes fills up to lastFillId; compare with the fills seen up to that id.
    const qtyUpTo = (sym: string, lastFillId: number): number | undefined => {
      if (lastFillId > (fillIds.at(-1) ?? 0)) return undefined; // its fills are still on their way
      return fillQtyAt.get(`${sym}@${lastFillId}`) ?? (lastFillId === 0 ? 0 : undefined);
    };
    const fillQtyAt = new Map<string, number>();
    const onFillRecorded = (b: AtomicBuffer, o: number, l: number): void => {
      onFill(b, o, l);
      for (const [s, q] of fillQty) fillQtyAt.set(`${s}@${fillIds.at(-1)}`, q);
    };
    const onPosition = (b: AtomicBuffer, o: number, l: number): void => {
      expect(pos.wrapChecked(b, o, l)).toBe(DecodeResult.OK);
      if (pos.venue() !== Venue.SIMULATOR) return;
      const expected = qtyUpTo(pos.symbol(), pos.lastFillId());
      if (expected === undefined) return;
      positionsChecked++;
      if (pos.quantity() !== expected) violations.push(`${pos.symbol()} position ${pos.quantity()} != sum of fills ${expected} at fill ${pos.lastFillId()}`);
    };
    const onState = (b: AtomicBuffer, o: number, l: number, h: { sessionId: number }): void => {
      if (state.wrapChecked(b, o, l) !== DecodeResult.OK) return;
      const set = stateSessions.get(state.service()) ?? new Set<number>();
      set.add(h.sessionId);
      stateSessions.set(state.service(), set);
    };
    const qa = new FragmentAssembler(onQuote);
    const poll = (): void => {
      aeron!.doWork();
      quotes.poll(qa.handler, 100);
      fills.poll(onFillRecorded, 100);
      positions.poll(onPosition, 100);
      states.poll(onState, 100);
    };
    try {
      await waitFor(() => { poll(); return twoSidedQuotes >= 20 && fillIds.length >= 3 && positionsChecked >= 3; },
        { what: 'quotes, fills and checked positions', timeoutMs: 60_000, intervalMs: 2 });
    } catch (error) {
      const tails = procs.map((p, i) => `--- ${services[i]}:\n${p.output().split('\n').slice(-8).join('\n')}`).join('\n');
      throw new Error(`${(error as Error).message}: ${twoSidedQuotes} two-sided quotes, ${fillIds.length} fills, ${positionsChecked} positions checked\n${tails}`);
    }

    expect(violations.slice(0, 5)).toEqual([]);
    expect([...quoteVenues]).toEqual([Venue.SIMULATOR]);
    for (let i = 1; i < fillIds.length; i++) expect(fillIds[i]).toBe(fillIds[i - 1]! + 1);
    for (const name of ['mm_collector', 'mm_pricing', 'mm_strategy', 'mm_simulator']) {
      await waitFor(() => { poll(); return checkHealth(sys.aeronDir, name, 3000).live; }, { what: `${name} live`, timeoutMs: 20_000 });
      expect(stateSessions.get(name)?.size ?? 1).toBe(1);
    }
    for (const p of procs) expect(p.hasExited).toBe(false);
  });
});
