import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MarketDataAdapter, ReplaySource, type BinanceMarketDataSink, type BookTicker, type DepthUpdate, type OrderBook } from '@mm/binance';
import { BookSnapshotDecoder, BookTopSource, DecodeResult } from '@mm/protocol';
import { InMemoryTransport, ManualClock, ServiceStatus, type Subscriber } from '@mm/runtime';
import { CollectorPublisher } from '../src/CollectorPublisher.js';

const CH = 'aeron:ipc';
const E8 = 1e8;

interface Book {
  source: number;
  first: number;
  last: number;
  eventTimeMs: number;
  bids: [number, number][];
  asks: [number, number][];
}

/** The collector's publisher behind a real adapter, fed Binance text frames; stream 10 read back decoded. */
async function rig(bookTicker: boolean, levels = 4, symbol = 'BTCUSDT') {
  const t = new InMemoryTransport();
  const clock = new ManualClock(1e9);
  const status = new ServiceStatus('mm_collector', 0, clock, await t.addExclusivePublication(CH, 11), await t.addExclusivePublication(CH, 12), 1e9);
  const books = await t.addSubscription(CH, 10);
  const publisher = new CollectorPublisher([symbol], levels, await t.addExclusivePublication(CH, 10),
    await t.addExclusivePublication(CH, 13), status, () => {}, bookTicker);
  const adapter = new MarketDataAdapter([symbol], publisher, { onSnapshotNeeded() {} });
  const dec = new BookSnapshotDecoder();
  const read = (): Book[] => {
    const out: Book[] = [];
    (books as Subscriber).poll((b, o, l) => {
      expect(dec.wrapChecked(b, o, l)).toBe(DecodeResult.OK);
      const bids: [number, number][] = [];
      const asks: [number, number][] = [];
      for (let i = 0; i < dec.bidCount(); i++) bids.push([dec.bidPrice(i) / E8, dec.bidQty(i) / E8]);
      for (let i = 0; i < dec.askCount(); i++) asks.push([dec.askPrice(i) / E8, dec.askQty(i) / E8]);
      out.push({ source: dec.topSource(), first: dec.firstUpdateId(), last: dec.lastUpdateId(), eventTimeMs: dec.eventTimeMs(), bids, asks });
    }, 100);
    return out;
  };
  const level = ([p, q]: [number, number]): string => `["${p}","${q}"]`;
  const depth = (U: number, u: number, bids: [number, number][], asks: [number, number][]): void => {
    adapter.onFrame(`{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1700000000123,"s":"BTCUSDT","U":${U},"u":${u},`
      + `"b":[${bids.map(level).join(',')}],"a":[${asks.map(level).join(',')}]}}`, clock.nanoTime());
  };
  const ticker = (u: number, bid: number, bidQty: number, ask: number, askQty: number): void => {
    adapter.onFrame(`{"stream":"btcusdt@bookTicker","data":{"u":${u},"s":"BTCUSDT","b":"${bid}","B":"${bidQty}","a":"${ask}","A":"${askQty}"}}`,
      clock.nanoTime());
  };
  const snapshot = (id: number): void => {
    expect(adapter.onSnapshotText('BTCUSDT', `{"lastUpdateId":${id},"bids":[["100","1"],["99","2"],["98","3"],["97","4"]],`
      + `"asks":[["101","1"],["102","2"],["103","3"],["104","4"]]}`, clock.nanoTime())).toBe(true);
  };
  return { adapter, publisher, read, depth, ticker, snapshot };
}

describe('CollectorPublisher with bookTicker', () => {
  it('publishes a ticker newer than the book at once, over the book\'s deeper levels, with update ids that chain', async () => {
    const r = await rig(true);
    r.depth(1, 10, [[100, 1.5]], []);
    r.snapshot(5); // LIVE; the buffered event applies
    expect(r.read()).toEqual([{ source: BookTopSource.DEPTH, first: 1, last: 10, eventTimeMs: 1700000000123,
      bids: [[100, 1.5], [99, 2], [98, 3], [97, 4]], asks: [[101, 1], [102, 2], [103, 3], [104, 4]] }]);

    // A new better bid and a smaller best ask: the ticker's top, then the book's levels behind it.
    r.ticker(12, 100.5, 0.7, 101, 0.4);
    expect(r.read()).toEqual([{ source: BookTopSource.BOOK_TICKER, first: 11, last: 12, eventTimeMs: 0,
      bids: [[100.5, 0.7], [100, 1.5], [99, 2], [98, 3]], asks: [[101, 0.4], [102, 2], [103, 3], [104, 4]] }]);

    // Older than what is out: ignored.
    r.ticker(11, 100.2, 1, 101, 1);
    expect(r.read()).toEqual([]);
    expect(r.publisher.counters.tickersIgnored).toBe(1);

    // The best bid and ask went: levels at or better than the ticker's are left out.
    r.ticker(13, 99.5, 0.2, 100.8, 0.3);
    expect(r.read()).toEqual([{ source: BookTopSource.BOOK_TICKER, first: 13, last: 13, eventTimeMs: 0,
      bids: [[99.5, 0.2], [99, 2], [98, 3], [97, 4]], asks: [[100.8, 0.3], [101, 1], [102, 2], [103, 3]] }]);

    // A depth event older than the ticker out is applied to the book, not published ...
    r.depth(11, 12, [[100.5, 0.7]], [[101, 0.4]]);
    expect(r.read()).toEqual([]);
    expect(r.publisher.counters.booksBehindTicker).toBe(1);
    expect(r.adapter.syncOf('BTCUSDT')!.book.bestBidPrice()).toBe(100.5 * E8);
    // ... one that reaches the ticker's id is: the book is exact there; its ids overlap the ticker's, no hole.
    r.depth(13, 13, [[100.5, 0], [100, 0], [99.5, 0.2]], [[100.8, 0.3]]);
    expect(r.read()).toEqual([{ source: BookTopSource.DEPTH, first: 13, last: 13, eventTimeMs: 1700000000123,
      bids: [[99.5, 0.2], [99, 2], [98, 3], [97, 4]], asks: [[100.8, 0.3], [101, 0.4], [102, 2], [103, 3]] }]);

    // A ticker the book already reflects is not ahead; a crossed one is ignored.
    r.ticker(13, 99.5, 0.2, 100.8, 0.3);
    r.ticker(20, 105, 1, 104, 1);
    expect(r.read()).toEqual([]);
    expect(r.adapter.counters.tickersAhead).toBe(4);
    expect(r.publisher.counters).toMatchObject({ books: 4, tickerBooks: 2, booksBehindTicker: 1, tickersIgnored: 2 });
  });

  it('starts a new id chain after a resync, and ignores tickers while syncing', async () => {
    const r = await rig(true, 2);
    r.depth(1, 10, [], []);
    r.snapshot(5);
    r.ticker(12, 100, 1, 101, 1);
    expect(r.read().map((b) => [b.source, b.first, b.last])).toEqual([[BookTopSource.DEPTH, 1, 10], [BookTopSource.BOOK_TICKER, 11, 12]]);
    r.depth(50, 60, [], []); // a gap: SYNCING
    r.ticker(61, 100, 1, 101, 1);
    expect(r.read()).toEqual([]);
    r.snapshot(55); // LIVE again at 60
    r.ticker(70, 100, 2, 101, 2);
    expect(r.read().map((b) => [b.source, b.first, b.last])).toEqual([[BookTopSource.DEPTH, 50, 60], [BookTopSource.BOOK_TICKER, 61, 70]]);
  });

  it('off: tickers change nothing on stream 10', async () => {
    const r = await rig(false);
    r.depth(1, 10, [], []);
    r.snapshot(5);
    r.ticker(12, 100.5, 0.7, 101, 0.4);
    r.depth(11, 12, [[100.5, 0.7]], [[101, 0.4]]);
    expect(r.read().map((b) => [b.source, b.first, b.last, b.bids[0]])).toEqual([
      [BookTopSource.DEPTH, 1, 10, [100, 1]], [BookTopSource.DEPTH, 11, 12, [100.5, 0.7]],
    ]);
    expect(r.publisher.counters).toMatchObject({ tickerBooks: 0, booksBehindTicker: 0 });
  });
});

// Real Binance spot traffic with its @bookTicker stream (see ../shared/data/binance-spot/SOURCES.md).
const dataDir = join(dirname(fileURLToPath(import.meta.url)), '../../../../shared/data/binance-spot');

describe('CollectorPublisher with bookTicker on recorded Binance traffic', () => {
  for (const sym of ['btcusdt', 'ethusdt']) {
    it(`${sym}: every snapshot is the ticker's top or the exact book, never crossed, ids never go back and never skip`, async () => {
      const r = await rig(true, 20, sym.toUpperCase());
      const tops: string[] = [];
      const problems: string[] = [];
      let prevLast = -1;
      let tickerBooks = 0;
      let depthBooks = 0;
      const check = (expectTop: string): void => {
        for (const b of r.read()) {
          const top = `${b.bids[0]} / ${b.asks[0]}`;
          if (top !== expectTop) problems.push(`${b.last}: top ${top}, expected ${expectTop}`);
          if (b.bids[0]![0] >= b.asks[0]![0]) problems.push(`${b.last}: crossed`);
          if (prevLast >= 0 && (b.first > prevLast + 1 || b.last < prevLast)) problems.push(`${b.last}: ids ${b.first}..${b.last} after ${prevLast}`);
          for (let i = 1; i < b.bids.length; i++) if (!(b.bids[i]![0] < b.bids[i - 1]![0])) problems.push(`${b.last}: bids out of order`);
          for (let i = 1; i < b.asks.length; i++) if (!(b.asks[i]![0] > b.asks[i - 1]![0])) problems.push(`${b.last}: asks out of order`);
          prevLast = b.last;
          if (b.source === BookTopSource.BOOK_TICKER) tickerBooks++; else depthBooks++;
          tops.push(top);
        }
      };
      const sink: BinanceMarketDataSink = {
        bookDepth: r.publisher.bookDepth,
        onBook(book: OrderBook, ev: DepthUpdate) {
          r.publisher.onBook(book, ev);
          check(`${[book.bestBidPrice() / E8, book.bestBidQty() / E8]} / ${[book.bestAskPrice() / E8, book.bestAskQty() / E8]}`);
        },
        onTopAhead(book: OrderBook, t: BookTicker, recvNs: number) {
          r.publisher.onTopAhead(book, t, recvNs);
          check(`${[t.bidPrice / E8, t.bidQty / E8]} / ${[t.askPrice / E8, t.askQty / E8]}`);
        },
        onTrade() {},
        onSymbolState(symbol, state, reason) { r.publisher.onSymbolState(symbol, state, reason); },
      };
      const files = ['20240808', '20240809'].map((d) => ({ path: join(dataDir, `${sym}_${d}.gz`), symbol: sym }));
      const replay = new ReplaySource({ files, symbols: [sym], pace: 'fast', clock: new ManualClock() });
      await replay.start(sink);
      replay.runToEnd();
      expect(problems.slice(0, 5)).toEqual([]);
      // Nearly every ticker is ahead of the 100 ms depth diffs (measured: all but 3 of each recording's).
      const tickers = replay.adapterOrNull!.counters.bookTickers;
      expect(tickerBooks).toBeGreaterThan(tickers * 0.99);
      expect(depthBooks).toBeGreaterThan(5000);
      expect(tops.length).toBe(tickerBooks + depthBooks);
    }, 60_000);
  }
});
