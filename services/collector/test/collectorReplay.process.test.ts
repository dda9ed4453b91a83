import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Aeron, Context, FragmentAssembler } from '@mm/aeron-client';
import { toFixed8 } from '@mm/protocol';
import { BookSnapshotDecoder, DecodeResult } from '@mm/protocol';
import { createTestSystem, killAll, removeTempDirs, sharedDir, startDriver, startService, waitFor } from '@mm/test-support';

/**
 * The collector in replay mode on real Binance traffic (../shared/data/binance-spot, two consecutive files per
 * symbol): every book it publishes whose last update id equals a recorded bookTicker's id must have exactly that
 * ticker's best bid/ask and quantities — all of them (BTC 1072, ETH 1056 per the data's SOURCES.md).
 */
interface Ticker { bid: number; bidQty: number; ask: number; askQty: number }

function tickers(files: string[]): Map<number, Ticker> {
  const out = new Map<number, Ticker>();
  for (const f of files) {
    for (const line of gunzipSync(readFileSync(f)).toString('utf8').split('\n')) {
      const i = line.indexOf(' ');
      if (i < 0 || !line.includes('@bookTicker')) continue;
      const d = JSON.parse(line.slice(i + 1)).data as { u: number; b: string; B: string; a: string; A: string };
      out.set(d.u, { bid: toFixed8(d.b), bidQty: toFixed8(d.B), ask: toFixed8(d.a), askQty: toFixed8(d.A) });
    }
  }
  return out;
}

describe('collector replay of recorded Binance traffic', () => {
  let aeron: Aeron | undefined;
  afterEach(async () => {
    aeron?.close();
    await killAll();
    removeTempDirs();
  });

  for (const [symbol, expected] of [['BTCUSDT', 1072], ['ETHUSDT', 1056]] as const) {
    it(`${symbol}: every book at a recorded bookTicker id equals that ticker (${expected})`, async () => {
      const data = join(sharedDir(), 'data/binance-spot');
      const files = ['20240808', '20240809'].map((d) => join(data, `${symbol.toLowerCase()}_${d}.gz`));
      const expectedTickers = tickers(files);
      const sys = createTestSystem({
        collector: `[source]\nkind = "replay"\nspeed = 0\nfiles = [${files.map((f) => JSON.stringify(f)).join(', ')}]\n[book]\nlevels = 1\n`,
      }, [symbol], { book: '16m' });
      await startDriver(sys);
      aeron = await Aeron.connect(new Context({ aeronDir: sys.aeronDir, driverTimeoutMs: 2000 }));
      const books = await aeron.addSubscription('aeron:ipc?term-length=16m', 10);
      const collector = startService(sys, 'collector');
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
  }
});
