import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Aeron, Context, FragmentAssembler } from '@mm/aeron-client';
import { BookSnapshotDecoder, BookTopSource, DecodeResult } from '@mm/protocol';
import { createTestSystem, killAll, removeTempDirs, sharedDir, startDriver, startService, waitFor } from '@mm/test-support';
import { recordedTickers } from './recordedTickers.js';

/**
 * The collector in replay mode on real Binance traffic (../shared/data/binance-spot, two consecutive files per
 * symbol): every book it publishes whose last update id equals a recorded bookTicker's id must have exactly that
 * ticker's best bid/ask and quantities — all of them (BTC 1072, ETH 1056 per the data's SOURCES.md). With
 * `book-ticker` on, the recorded tickers that are ahead of the book (nearly all) go out too, each exactly as recorded.
 */
describe('collector replay of recorded Binance traffic', () => {
  let aeron: Aeron | undefined;
  afterEach(async () => {
    aeron?.close();
    await killAll();
    removeTempDirs();
  });

  /** The collector replaying both recorded days of `symbol` as fast as it can, one level per side, and stream 10. */
  async function replay(symbol: string, bookTicker: boolean, term: string) {
    const data = join(sharedDir(), 'data/binance-spot');
    const files = ['20240808', '20240809'].map((d) => join(data, `${symbol.toLowerCase()}_${d}.gz`));
    const sys = createTestSystem({
      collector: `[source]\nkind = "replay"\nspeed = 0\nfiles = [${files.map((f) => JSON.stringify(f)).join(', ')}]\n[book]\nlevels = 1\nbook-ticker = ${bookTicker}\n`,
    }, [symbol], { book: term });
    await startDriver(sys);
    aeron = await Aeron.connect(new Context({ aeronDir: sys.aeronDir, driverTimeoutMs: 2000 }));
    const books = await aeron.addSubscription(`aeron:ipc?term-length=${term}`, 10);
    return { expectedTickers: recordedTickers(files), books, collector: startService(sys, 'collector') };
  }

  for (const [symbol, expected] of [['BTCUSDT', 1072], ['ETHUSDT', 1056]] as const) {
    it(`${symbol}: every book at a recorded bookTicker id equals that ticker (${expected})`, async () => {
      const { expectedTickers, books, collector } = await replay(symbol, false, '16m');
      const dec = new BookSnapshotDecoder();
      let matched = 0;
      let published = 0;
      const wrong: string[] = [];
      const asm = new FragmentAssembler((b, o, l) => {
        expect(dec.wrapChecked(b, o, l)).toBe(DecodeResult.OK);
        published++;
        const t = expectedTickers.get(dec.lastUpdateId());
        if (!t) return;
        if (dec.bidPrice(0) === t.bid && dec.bidQty(0) === t.bidQty && dec.askPrice(0) === t.ask && dec.askQty(0) === t.askQty) matched++;
        else wrong.push(`u=${dec.lastUpdateId()}`);
      });
      // The replay ends with the last depth event of the second file: 3451+3044 (BTC) / 3434+3036 (ETH) minus
      // the events before the snapshot; wait until the published count stops at that total.
      try {
        await waitFor(() => { aeron!.doWork(); books.poll(asm.handler, 1000); return matched + wrong.length >= expected; },
          { timeoutMs: 90_000, what: `${expected} books at bookTicker ids`, intervalMs: 1 });
      } catch (error) {
        throw new Error(`${(error as Error).message}: ${published} books, ${matched} matched, ${wrong.length} wrong\n` +
          collector.output().split('\n').slice(-12).join('\n'));
      }
      expect(wrong.slice(0, 5)).toEqual([]);
      expect(matched).toBe(expected);
      expect(published).toBeGreaterThan(6000);
    });

    it(`${symbol}: with book-ticker on, every recorded ticker ahead of the book goes out as recorded, ids never go back`, async () => {
      // A term of 32 MiB holds the whole replay's ~80 000 snapshots of one level, so none meets back pressure.
      const { expectedTickers, books, collector } = await replay(symbol, true, '32m');
      const lastTickerId = Math.max(...expectedTickers.keys());
      const dec = new BookSnapshotDecoder();
      let fromTicker = 0;
      let published = 0;
      let last = -1;
      const wrong: string[] = [];
      const asm = new FragmentAssembler((b, o, l) => {
        expect(dec.wrapChecked(b, o, l)).toBe(DecodeResult.OK);
        published++;
        const id = dec.lastUpdateId();
        if (id < last || (last >= 0 && dec.firstUpdateId() > last + 1)) wrong.push(`ids ${dec.firstUpdateId()}..${id} after ${last}`);
        last = id;
        const t = expectedTickers.get(id);
        if (dec.topSource() === BookTopSource.BOOK_TICKER) {
          fromTicker++;
          if (!t) wrong.push(`u=${id}: a ticker book at no recorded ticker id`);
        }
        if (t && !(dec.bidPrice(0) === t.bid && dec.bidQty(0) === t.bidQty && dec.askPrice(0) === t.ask && dec.askQty(0) === t.askQty)) {
          wrong.push(`u=${id}: not the recorded ticker`);
        }
      });
      try {
        await waitFor(() => { aeron!.doWork(); books.poll(asm.handler, 1000); return last >= lastTickerId; },
          { timeoutMs: 90_000, what: `a book at the last ticker's id ${lastTickerId}`, intervalMs: 1 });
      } catch (error) {
        throw new Error(`${(error as Error).message}: ${published} books, ${fromTicker} from tickers, last id ${last}\n` +
          collector.output().split('\n').slice(-12).join('\n'));
      }
      expect(wrong.slice(0, 5)).toEqual([]);
      // Nearly every ticker is ahead of the 100 ms depth diffs (measured: all but 3).
      expect(fromTicker).toBeGreaterThan(expectedTickers.size * 0.99);
      expect(published - fromTicker).toBeGreaterThan(6000);
    });
  }
});
