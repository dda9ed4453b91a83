import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Aeron, Context, FragmentAssembler } from '@mm/aeron-client';
import { FakeBinanceServer } from '@mm/fake-binance';
import { BookSnapshotDecoder, BookTopSource, DecodeResult } from '@mm/protocol';
import { createTestSystem, sharedDir, startDriver, startService, useProcessTeardown, waitFor } from '@mm/test-support';
import { recordedTickers } from './recordedTickers.js';

/**
 * The collector as a real process on real Binance traffic served over the WebSocket by the fake Binance: with the
 * shipped default (`[book] book-ticker = true`) it subscribes `<symbol>@bookTicker` next to the depth stream, and a
 * ticker ahead of the book goes out on 10 as that ticker's top (topSource BOOK_TICKER).
 */
describe('collector process with bookTicker', () => {
  const teardown = useProcessTeardown();

  it('subscribes @bookTicker and publishes the tickers ahead of the book as recorded', async () => {
    const file = join(sharedDir(), 'data/binance-spot', 'btcusdt_20240808.gz');
    const recorded = recordedTickers([file]);
    const fake = teardown.add(new FakeBinanceServer({ recorded: { files: [{ path: file, symbol: 'BTCUSDT' }], speed: 20 }, pingIntervalMs: 0 }));
    await fake.start();
    const sys = createTestSystem({
      collector: `[binance]\nws-url = "${fake.wsBaseUrl}"\nrest-url = "${fake.restBaseUrl}"\n[book]\nlevels = 5\n`,
    }, ['BTCUSDT']);
    await startDriver(sys);
    const collector = startService(sys, 'collector');
    const aeron = teardown.add(await Aeron.connect(new Context({ aeronDir: sys.aeronDir, driverTimeoutMs: 2000 })));
    const books = await aeron.addSubscription('aeron:ipc?term-length=64k', 10);
    const dec = new BookSnapshotDecoder();
    let fromTicker = 0;
    let fromDepth = 0;
    let last = -1;
    const wrong: string[] = [];
    const asm = new FragmentAssembler((b, o, l) => {
      expect(dec.wrapChecked(b, o, l)).toBe(DecodeResult.OK);
      const id = dec.lastUpdateId();
      if (id < last) wrong.push(`update id went back from ${last} to ${id}`);
      last = id;
      if (dec.topSource() !== BookTopSource.BOOK_TICKER) { fromDepth++; return; }
      fromTicker++;
      const t = recorded.get(id);
      const top = [dec.bidPrice(0), dec.bidQty(0), dec.askPrice(0), dec.askQty(0)].join(' ');
      if (t === undefined || top !== [t.bid, t.bidQty, t.ask, t.askQty].join(' ')) wrong.push(`u=${id}: ${top}, recorded ${t ? JSON.stringify(t) : 'no ticker'}`);
      if (dec.bidCount() !== 5 || dec.askCount() !== 5) wrong.push(`u=${id}: ${dec.bidCount()}/${dec.askCount()} levels`);
      for (let i = 1; i < 5; i++) {
        if (!(dec.bidPrice(i) < dec.bidPrice(i - 1) && dec.askPrice(i) > dec.askPrice(i - 1))) wrong.push(`u=${id}: level ${i} out of order`);
      }
    });
    try {
      await waitFor(() => { aeron.doWork(); books.poll(asm.handler, 100); return fromTicker >= 2000 && fromDepth >= 100; },
        { timeoutMs: 60_000, what: '2000 books from tickers and 100 from depth events' });
    } catch (error) {
      throw new Error(`${(error as Error).message}: ${fromTicker} from tickers, ${fromDepth} from depth\n${collector.output().split('\n').slice(-12).join('\n')}`);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  }, 90_000);
});
