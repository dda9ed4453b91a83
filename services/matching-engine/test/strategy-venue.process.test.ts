import { describe, expect, it } from 'vitest';
import { Aeron, Context } from '@mm/aeron-client';
import type { AtomicBuffer } from '@mm/agrona';
import { FakeBinanceServer } from '@mm/fake-binance';
import { DecodeResult, EngineTopOfBookDecoder, FillDecoder, PositionDecoder, Side, Venue } from '@mm/protocol';
import { createTestSystem, fakeMarketEnv, startDriver, startService, useProcessTeardown, waitFor, type ChildProcessHandle } from '@mm/test-support';
import { TcpClient } from './support/clients.js';

/**
 * The product with `--venue engine` as separate processes on the media driver, market from the fake Binance:
 * collector → pricing → strategy (MM_STRATEGY__VENUE=engine) → matching engine as venue. The strategy's quotes
 * must rest in the engine's book (seen on 19), a TCP client selling into the market maker's bid must produce
 * fills on 16 (venue ENGINE) and positions on 17 equal to the sum of those fills.
 */
describe('strategy quoting the matching engine (process)', () => {
  const teardown = useProcessTeardown();

  it('the strategy’s quotes rest in the engine; a client crossing them fills on 16; positions on 17 = sum of fills', async () => {
    const fake = teardown.add(new FakeBinanceServer({ seed: 11, depthIntervalMs: 20 }));
    await fake.start();
    const sys = createTestSystem();
    Object.assign(sys.env, fakeMarketEnv(fake), { MM_STRATEGY__VENUE: 'engine' });
    await startDriver(sys);
    const aeron = teardown.add(await Aeron.connect(new Context({ aeronDir: sys.aeronDir, driverTimeoutMs: 2000 })));
    const ch = 'aeron:ipc?term-length=64k';
    const [fills, positions, tops] = await Promise.all([16, 17, 19].map((id) => aeron.addSubscription(ch, id)));
    const keepAlive = setInterval(() => aeron?.doWork(), 10);
    const engine = startService(sys, 'matching-engine', {
      ENGINE_VENUE_ENABLED: 'true', ENGINE_TCP_PORT: '0', ENGINE_UDP_ENABLED: 'false', ENGINE_TCP_HOST: '127.0.0.1',
    });
    const procs: [string, ChildProcessHandle][] = [['matching-engine', engine], ...['collector', 'pricing', 'strategy'].map((s): [string, ChildProcessHandle] => [s, startService(sys, s)])];
    const { tcpPort } = await engine.waitForJson<{ tcpPort: number }>((o) => o.msg === 'listening', 15_000);

    const top = new EngineTopOfBookDecoder();
    const fill = new FillDecoder();
    const pos = new PositionDecoder();
    let bestBid = 0;
    const fillList: { fillId: number; signedQty: number }[] = [];
    const snapshots: { lastFillId: number; qty: number }[] = [];
    const poll = (): void => {
      aeron.doWork();
      tops.poll((b: AtomicBuffer, o: number, l: number) => {
        expect(top.wrapChecked(b, o, l)).toBe(DecodeResult.OK);
        if (top.symbol() === 'BTCUSDT' && top.side() === Side.BUY) bestBid = top.empty() ? 0 : top.price();
      }, 100);
      fills.poll((b: AtomicBuffer, o: number, l: number) => {
        expect(fill.wrapChecked(b, o, l)).toBe(DecodeResult.OK);
        expect(fill.venue()).toBe(Venue.ENGINE);
        if (fill.symbol() === 'BTCUSDT') fillList.push({ fillId: fill.fillId(), signedQty: fill.side() === Side.BUY ? fill.qty() : -fill.qty() });
      }, 100);
      positions.poll((b: AtomicBuffer, o: number, l: number) => {
        expect(pos.wrapChecked(b, o, l)).toBe(DecodeResult.OK);
        expect(pos.venue()).toBe(Venue.ENGINE);
        if (pos.symbol() === 'BTCUSDT') snapshots.push({ lastFillId: pos.lastFillId(), qty: pos.quantity() });
      }, 100);
    };
    const tails = (): string => procs.map(([n, p]) => `--- ${n}:\n${p.output().split('\n').slice(-6).join('\n')}`).join('\n');
    try {
      await waitFor(() => { poll(); return bestBid > 0; }, { what: 'the strategy’s bid in the engine’s BTCUSDT book (19)', timeoutMs: 60_000, intervalMs: 2 });
      const taker = await TcpClient.connect(tcpPort);
      teardown.add(taker);
      // Sell one lot at the best bid (the market maker's: nobody else trades here) three times.
      for (let i = 1; i <= 3; i++) {
        const before = fillList.length;
        await waitFor(() => { poll(); return bestBid > 0; }, { what: 'a bid to sell into', timeoutMs: 20_000, intervalMs: 2 });
        taker.send(`N, 7, BTCUSDT, ${bestBid}, 1, S, ${i}`);
        await waitFor(() => { poll(); return fillList.length > before; }, { what: `fill ${i} on 16`, timeoutMs: 20_000, intervalMs: 2 });
      }
      const last = fillList.at(-1)!;
      await waitFor(() => { poll(); return snapshots.some((s) => s.lastFillId === last.fillId); }, { what: 'a position covering the last fill', timeoutMs: 10_000, intervalMs: 2 });
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${tails()}`);
    } finally {
      clearInterval(keepAlive);
    }
    expect(fillList.map((f) => f.fillId)).toEqual(fillList.map((_, i) => i + 1));
    const sum = fillList.reduce((a, f) => a + f.signedQty, 0);
    expect(sum).toBe(3 * 1000); // three lots of 0.00001 BTC bought by the market maker
    expect(snapshots.filter((s) => s.lastFillId === fillList.at(-1)!.fillId).at(-1)!.qty).toBe(sum);
    for (const [, p] of procs) expect(p.hasExited).toBe(false);
  });
});
