import { mkdtempSync, openSync, closeSync, ftruncateSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AtomicBuffer } from '@mm/agrona';
import { DEFAULT_CORE_LIMITS, Encoding, symbolHi, symbolLo } from '@mm/matching';
import {
  DecodeResult, EngineTopOfBookDecoder, EngineTradeDecoder, FillDecoder, PositionDecoder, PullQuotesEncoder, QuoteEncoder,
  StateDecoder, Venue,
} from '@mm/protocol';
import { InMemoryTransport, ManualClock, ServiceStatus, type Publisher, type Subscriber } from '@mm/runtime';
import { FILL_JOURNAL_FILE } from '@mm/venue';
import { DirectMatcher } from '../src/DirectMatcher.js';
import { EngineCounters } from '../src/EngineCounters.js';
import { LocalQuoter } from '../src/LocalQuoter.js';
import { OutputRouter } from '../src/OutputRouter.js';
import { QuoteVenue } from '../src/QuoteVenue.js';
import { venueSymbolsOf } from '../src/QuoteVenueSymbols.js';
import { RecordingChannel } from './support/RecordingChannel.js';

const CH = 'aeron:ipc';
const E8 = 1e8;
const MM_USER = 999;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'mm-quote-venue-'));
  dirs.push(d);
  return d;
}

interface FillRow { fillId: number; orderId: number; symbol: string; side: number; price: number; qty: number; venue: number; fee: number; liquidity: number }
interface PositionRow { symbol: string; lastFillId: number; qty: number; venue: number; realized: number; fees: number; dailyFees: number }
/** Maker and taker fees of the rig (bps of notional), distinct so a wrong liquidity flag shows. */
const MAKER_BPS = 1;
const TAKER_BPS = 5;
const MAKER = 1;
const TAKER = 2;
/** The simulator's fee rule, in 1e-8 quote units. */
const feeE8 = (price: number, qty: number, bps: number): number => Math.round(price * qty * bps / 1e4 * E8);

/** The venue on an in-process engine (DirectMatcher) over the in-memory transport, with a network-style taker. */
class Rig {
  readonly transport = new InMemoryTransport();
  readonly router = new OutputRouter(new EngineCounters());
  readonly matcher = new DirectMatcher({ ...DEFAULT_CORE_LIMITS, maxOrders: 256, maxBooks: 8, maxLevelsPerBook: 64 }, this.router);
  readonly taker = new RecordingChannel(1, '127.0.0.1');
  readonly fills: FillRow[] = [];
  readonly positions: PositionRow[] = [];
  readonly trades: { symbol: string; price: number; qty: number; buyUser: number; sellUser: number; aggressor?: number }[] = [];
  readonly tops: { symbol: string; side: number; price: number; qty: number; empty: boolean }[] = [];
  readonly states: { symbol: string; state: number; reason: string }[] = [];
  readonly logs: string[] = [];
  readonly venue: QuoteVenue;
  readonly status: ServiceStatus;
  private readonly buf = AtomicBuffer.allocate(512);
  private readonly quotePub: Publisher;
  private readonly subs: { fills: Subscriber; positions: Subscriber; trades: Subscriber; tops: Subscriber; states: Subscriber };
  private nextTakerOid = 1;

  constructor(readonly clock: ManualClock, readonly dir: string, republishOnStart = 0) {
    const t = this.transport;
    this.quotePub = t.addExclusivePublicationSync(CH, 15);
    this.subs = {
      fills: t.addSubscriptionSync(CH, 16), positions: t.addSubscriptionSync(CH, 17), trades: t.addSubscriptionSync(CH, 18),
      tops: t.addSubscriptionSync(CH, 19), states: t.addSubscriptionSync(CH, 11),
    };
    this.status = new ServiceStatus('matching-engine', 0, clock, t.addExclusivePublicationSync(CH, 11), t.addExclusivePublicationSync(CH, 12), 1e9);
    this.venue = new QuoteVenue(
      { symbols: venueSymbolsOf({ BTC: { tickSize: '0.5', lotSize: '0.001' } }), positionIntervalNs: 1e9, journalDir: dir, fsync: { mode: 'every-record' }, republishOnStart,
        fees: { makerBps: MAKER_BPS, takerBps: TAKER_BPS } },
      {
        quotes: t.addSubscriptionSync(CH, 15), fills: t.addExclusivePublicationSync(CH, 16), positions: t.addExclusivePublicationSync(CH, 17),
        trades: t.addExclusivePublicationSync(CH, 18), topOfBook: t.addExclusivePublicationSync(CH, 19),
      },
      clock, this.status, (level, msg) => this.logs.push(`${level}: ${msg}`),
    );
    this.taker.setEncoding(Encoding.BINARY);
    this.router.add(this.taker);
    const quoter = new LocalQuoter(100, MM_USER, this.matcher, this.venue, () => this.router.flushAll());
    this.router.add(quoter.channel);
    this.router.marketData = this.venue;
    this.venue.start(quoter);
    this.pump();
  }

  quote(symbol: string, quoteId: number, bid: number, bidQty: number, ask: number, askQty: number, venue: Venue = Venue.ENGINE): this {
    const e = new QuoteEncoder().wrap(this.buf, 0).symbol(symbol).quoteId(quoteId).sendTimeNs(this.clock.nanoTime())
      .bidPrice(Math.round(bid * E8)).bidQty(Math.round(bidQty * E8)).askPrice(Math.round(ask * E8)).askQty(Math.round(askQty * E8)).venue(venue);
    expect(this.quotePub.offer(this.buf, 0, e.encodedLength())).toBeGreaterThan(0);
    return this.pump();
  }

  pull(symbol: string | null, venue: Venue = Venue.ENGINE): this {
    const e = new PullQuotesEncoder().wrap(this.buf, 0).quoteId(0).sendTimeNs(this.clock.nanoTime()).symbol(symbol ?? '').allSymbols(symbol === null).venue(venue);
    expect(this.quotePub.offer(this.buf, 0, e.encodedLength())).toBeGreaterThan(0);
    return this.pump();
  }

  /** A TCP/UDP client's order, as EngineSession submits it (engine ticks and lots). */
  take(symbol: string, side: 'B' | 'S', priceTicks: number, qtyLots: number): this {
    this.matcher.newOrder(this.taker.id, Encoding.BINARY, 7, this.nextTakerOid++, symbolHi(symbol), symbolLo(symbol), priceTicks, qtyLots, side.charCodeAt(0));
    this.router.flushAll();
    return this.pump();
  }

  book(symbol: string): { bid: number; bidQty: number; ask: number; askQty: number } {
    const c = this.matcher.core;
    const b = c.bookOf(symbolHi(symbol), symbolLo(symbol));
    return { bid: c.bestPrice(b, 0x42), bidQty: c.bestQty(b, 0x42), ask: c.bestPrice(b, 0x53), askQty: c.bestQty(b, 0x53) };
  }

  pump(): this {
    for (let i = 0; i < 4; i++) {
      this.venue.doWork();
      this.status.doWork();
    }
    const fd = new FillDecoder(), pd = new PositionDecoder(), td = new EngineTradeDecoder(), bd = new EngineTopOfBookDecoder(), sd = new StateDecoder();
    this.subs.fills.poll((b, o, l) => {
      expect(fd.wrapChecked(b, o, l)).toBe(DecodeResult.OK);
      this.fills.push({ fillId: fd.fillId(), orderId: fd.orderId(), symbol: fd.symbol(), side: fd.side(), price: fd.price(), qty: fd.qty(), venue: fd.venue(), fee: fd.fee(), liquidity: fd.liquidity() });
    }, 1000);
    this.subs.positions.poll((b, o, l) => {
      expect(pd.wrapChecked(b, o, l)).toBe(DecodeResult.OK);
      this.positions.push({ symbol: pd.symbol(), lastFillId: pd.lastFillId(), qty: pd.quantity(), venue: pd.venue(), realized: pd.realizedPnl(), fees: pd.fees(), dailyFees: pd.dailyFees() });
    }, 1000);
    this.subs.trades.poll((b, o, l) => {
      expect(td.wrapChecked(b, o, l)).toBe(DecodeResult.OK);
      this.trades.push({ symbol: td.symbol(), price: td.price(), qty: td.qty(), buyUser: td.buyUserId(), sellUser: td.sellUserId(), aggressor: td.aggressorSide() });
    }, 1000);
    this.subs.tops.poll((b, o, l) => {
      expect(bd.wrapChecked(b, o, l)).toBe(DecodeResult.OK);
      this.tops.push({ symbol: bd.symbol(), side: bd.side(), price: bd.price(), qty: bd.totalQty(), empty: bd.empty() });
    }, 1000);
    this.subs.states.poll((b, o, l) => {
      expect(sd.wrapChecked(b, o, l)).toBe(DecodeResult.OK);
      this.states.push({ symbol: sd.symbol(), state: sd.state(), reason: sd.reason() });
    }, 1000);
    return this;
  }

  lastPosition(symbol: string): PositionRow | undefined {
    return this.positions.filter((p) => p.symbol === symbol).at(-1);
  }
}

function newRig(dir = tempDir(), clock = new ManualClock(1e9, Date.UTC(2026, 10, 21, 12)), republishOnStart = 0): Rig {
  return new Rig(clock, dir, republishOnStart);
}

describe('QuoteVenue', () => {
  it('a new quote replaces the resting bid and ask; a quote with zero size cancels that side', () => {
    const r = newRig();
    r.quote('BTCUSDT', 1, 100, 0.5, 101, 0.25);
    // BTCUSDT defaults: tick 0.01, lot 0.00001.
    expect(r.book('BTCUSDT')).toEqual({ bid: 10_000, bidQty: 50_000, ask: 10_100, askQty: 25_000 });
    r.quote('BTCUSDT', 2, 99.5, 0.1, 100.5, 0.2);
    expect(r.book('BTCUSDT')).toEqual({ bid: 9_950, bidQty: 10_000, ask: 10_050, askQty: 20_000 });
    expect(r.matcher.core.restingOrders).toBe(2);
    r.quote('BTCUSDT', 3, 99.5, 0, 100.5, 0.2);
    expect(r.book('BTCUSDT').bidQty).toBe(0);
    expect(r.matcher.core.restingOrders).toBe(1);
    expect(r.venue.counters.quotes).toBe(3);
  });

  it('pull-quotes cancels the venue’s orders (one symbol or all); other venues’ quotes and pulls are ignored', () => {
    const r = newRig();
    r.quote('BTCUSDT', 1, 100, 1, 101, 1).quote('ETHUSDT', 2, 10, 1, 11, 1);
    expect(r.matcher.core.restingOrders).toBe(4);
    r.quote('BTCUSDT', 3, 90, 1, 91, 1, Venue.SIMULATOR).pull(null, Venue.SIMULATOR);
    expect(r.book('BTCUSDT')).toEqual({ bid: 10_000, bidQty: 100_000, ask: 10_100, askQty: 100_000 });
    expect(r.venue.counters.ignoredOtherVenue).toBe(2);
    r.pull('ETHUSDT');
    expect(r.matcher.core.restingOrders).toBe(2);
    expect(r.book('ETHUSDT').bidQty).toBe(0);
    r.pull(null);
    expect(r.matcher.core.restingOrders).toBe(0);
  });

  it('scales per symbol and rounds toward passivity: bid down, ask up, quantity down', () => {
    const r = newRig();
    // BTC from the config: tick 0.5, lot 0.001.
    r.quote('BTC', 1, 100.74, 0.0029, 101.01, 0.0011);
    expect(r.book('BTC')).toEqual({ bid: 201, bidQty: 2, ask: 203, askQty: 1 });
    // Less than one lot on the ask: that side is cancelled.
    r.quote('BTC', 2, 100.74, 0.0029, 101.01, 0.0009);
    expect(r.book('BTC')).toMatchObject({ bid: 201, askQty: 0 });
    // Unknown symbols and crossed quotes do nothing.
    r.quote('XRPUSDT', 3, 1, 1, 2, 1).quote('BTC', 4, 101, 1, 100, 1);
    expect(r.venue.counters).toMatchObject({ unknownSymbol: 1, badQuotes: 1 });
    expect(r.book('BTC')).toMatchObject({ bid: 201, askQty: 0 });
  });

  it('warns (rate-limited) and counts a quote price off the venue grid, which it rounds toward passivity', () => {
    const r = newRig();
    // BTC from the config: tick 0.5. On the grid: no warning.
    r.quote('BTC', 1, 100.5, 0.001, 101, 0.001);
    expect(r.venue.counters.offGridQuotes).toBe(0);
    expect(r.logs.filter((l) => /off the venue's grid/.test(l))).toEqual([]);
    r.quote('BTC', 2, 100.74, 0.001, 101, 0.001);
    expect(r.book('BTC')).toMatchObject({ bid: 201, ask: 202 });
    expect(r.venue.counters.offGridQuotes).toBe(1);
    const warned = r.logs.filter((l) => /off the venue's grid/.test(l));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatch(/^warn: quote 2 BTC: price off the venue's grid \(tick 50000000e-8 from \[venue\.symbols\.BTC\]\): bid 10074000000e-8 → 201 ticks, ask 10100000000e-8 → 202 ticks, rounded toward passivity; .*\(1 such quotes\)$/);
    // Within the second: counted, not logged again; a second later: logged.
    r.quote('BTC', 3, 100.5, 0.001, 101.01, 0.001);
    expect(r.venue.counters.offGridQuotes).toBe(2);
    expect(r.logs.filter((l) => /off the venue's grid/.test(l))).toHaveLength(1);
    r.clock.advanceNs(1.1e9);
    r.quote('BTC', 4, 100.5, 0.001, 101.01, 0.001);
    expect(r.logs.filter((l) => /off the venue's grid/.test(l)).at(-1)).toMatch(/quote 4 BTC: .*ask 10101000000e-8 → 203 ticks.*\(3 such quotes\)/);
  });

  it('a client order crossing our quote fills: journal, fill on 16 with venue ENGINE, position on 17 = sum of fills; 18/19 published', () => {
    const r = newRig();
    r.quote('BTCUSDT', 41, 100, 0.5, 101, 0.25);
    const topsBefore = r.tops.length;
    expect(topsBefore).toBeGreaterThan(0);
    r.take('BTCUSDT', 'S', 9_900, 20_000); // sells 0.2 at our bid 100
    r.take('BTCUSDT', 'B', 10_200, 5_000); // buys 0.05 at our ask 101
    expect(r.fills).toEqual([
      { fillId: 1, orderId: 41, symbol: 'BTCUSDT', side: 1, price: 100 * E8, qty: 0.2 * E8, venue: Venue.ENGINE, fee: feeE8(100, 0.2, MAKER_BPS), liquidity: MAKER },
      { fillId: 2, orderId: 41, symbol: 'BTCUSDT', side: 2, price: 101 * E8, qty: 0.05 * E8, venue: Venue.ENGINE, fee: feeE8(101, 0.05, MAKER_BPS), liquidity: MAKER },
    ]);
    const sum = r.fills.reduce((a, f) => a + (f.side === 1 ? f.qty : -f.qty), 0);
    expect(r.lastPosition('BTCUSDT')).toMatchObject({ lastFillId: 2, qty: sum, venue: Venue.ENGINE });
    expect(r.lastPosition('BTCUSDT')!.realized).toBeCloseTo(0.05 * (101 - 100), 9);
    expect(r.trades).toEqual([
      { symbol: 'BTCUSDT', price: 10_000, qty: 20_000, buyUser: MM_USER, sellUser: 7, aggressor: 2 },
      { symbol: 'BTCUSDT', price: 10_100, qty: 5_000, buyUser: 7, sellUser: MM_USER, aggressor: 1 },
    ]);
    expect(r.tops.slice(topsBefore)).toContainEqual({ symbol: 'BTCUSDT', side: 1, price: 10_000, qty: 30_000, empty: false });
    // Trades of other clients are market data too.
    r.take('ETHUSDT', 'S', 500, 3);
    r.matcher.newOrder(r.taker.id, Encoding.BINARY, 8, 99, symbolHi('ETHUSDT'), symbolLo('ETHUSDT'), 500, 1, 0x42);
    r.router.flushAll();
    r.pump();
    expect(r.trades.at(-1)).toEqual({ symbol: 'ETHUSDT', price: 500, qty: 1, buyUser: 8, sellUser: 7, aggressor: 1 });
    expect(r.fills).toHaveLength(2);
    // Snapshots at least once a second even without change.
    const n = r.positions.length;
    r.clock.advanceNs(1.1e9);
    r.pump();
    expect(r.positions.length).toBeGreaterThan(n);
  });

  it('a quote that crosses a resting order is a TAKER fill with the taker fee; positions (17) carry the fills\' fees', () => {
    const dir = tempDir();
    const clock = new ManualClock(1e9, Date.UTC(2026, 10, 21, 12));
    const r = newRig(dir, clock);
    r.take('BTCUSDT', 'S', 10_000, 30_000); // a client offers 0.3 at 100
    r.quote('BTCUSDT', 7, 100, 0.5, 101, 0.25); // our bid crosses it: takes 0.3, rests 0.2
    r.take('BTCUSDT', 'S', 10_000, 5_000); // a client hits our resting bid: 0.05
    const takerFee = feeE8(100, 0.3, TAKER_BPS);
    const makerFee = feeE8(100, 0.05, MAKER_BPS);
    expect(takerFee).not.toBe(feeE8(100, 0.3, MAKER_BPS));
    expect(r.fills.map((f) => [f.fillId, f.side, f.qty, f.liquidity, f.fee])).toEqual([
      [1, 1, 0.3 * E8, TAKER, takerFee],
      [2, 1, 0.05 * E8, MAKER, makerFee],
    ]);
    expect(r.trades.map((t) => t.aggressor)).toEqual([1, 2]); // our bid, then the client's sell
    expect(r.lastPosition('BTCUSDT')).toMatchObject({ lastFillId: 2, qty: 0.35 * E8, fees: takerFee + makerFee, dailyFees: takerFee + makerFee });
    r.venue.stop();
    // The fees are journaled: a restart rebuilds the same position.
    clock.advanceNs(1e9);
    const b = newRig(dir, clock);
    expect(b.lastPosition('BTCUSDT')).toMatchObject({ lastFillId: 2, qty: 0.35 * E8, fees: takerFee + makerFee });
    b.venue.stop();
  });

  it('a restart rebuilds positions from the journal, continues fill ids, drops a torn tail and announces the cancelled orders', () => {
    const dir = tempDir();
    const clock = new ManualClock(1e9, Date.UTC(2026, 10, 21, 12));
    const a = newRig(dir, clock);
    a.quote('BTCUSDT', 1, 100, 1, 101, 1);
    a.take('BTCUSDT', 'S', 10_000, 30_000).take('BTCUSDT', 'S', 10_000, 20_000);
    a.venue.stop();
    expect(a.fills.map((f) => f.fillId)).toEqual([1, 2]);
    // A torn last record (a crash mid-write).
    const path = join(dir, FILL_JOURNAL_FILE);
    const fd = openSync(path, 'r+');
    ftruncateSync(fd, statSync(path).size - 5);
    closeSync(fd);

    clock.advanceNs(1e9);
    const b = newRig(dir, clock, 8);
    expect(b.logs.some((l) => /tail dropped/.test(l))).toBe(true);
    expect(b.lastPosition('BTCUSDT')).toMatchObject({ lastFillId: 1, qty: 0.3 * E8 });
    expect(b.states).toContainEqual({ symbol: 'BTCUSDT', state: 2, reason: 'restart: resting orders cancelled' });
    expect(b.status.state).toBe(2); // SYNCING for one snapshot interval, then LIVE
    clock.advanceNs(1.1e9);
    b.pump();
    expect(b.status.state).toBe(3);
    b.quote('BTCUSDT', 2, 100, 1, 101, 1).take('BTCUSDT', 'S', 10_000, 10_000);
    // Fill 1 again (the journal's tail, republished at start; consumers skip ids they have), then the new fill 2.
    expect(b.fills.map((f) => [f.fillId, f.qty])).toEqual([[1, 0.3 * E8], [2, 0.1 * E8]]);
    expect(b.venue.counters.republishedFills).toBe(1);
    expect(b.lastPosition('BTCUSDT')).toMatchObject({ lastFillId: 2, qty: 0.4 * E8 });
    b.venue.stop();
  });

  it('ignores quotes sent before it started and counts malformed messages', () => {
    const clock = new ManualClock(5e9, 0);
    const r = newRig(tempDir(), clock);
    const b = AtomicBuffer.allocate(256);
    const e = new QuoteEncoder().wrap(b, 0).symbol('BTCUSDT').quoteId(1).sendTimeNs(1e9).bidPrice(100 * E8).bidQty(E8).venue(Venue.ENGINE);
    const pub = r.transport.addExclusivePublicationSync(CH, 15);
    pub.offer(b, 0, e.encodedLength());
    pub.offer(AtomicBuffer.allocate(16), 0, 16);
    r.pump();
    expect(r.venue.counters.staleQuotes).toBe(1);
    expect(r.matcher.core.restingOrders).toBe(0);
    expect(r.status.errors).toBeGreaterThanOrEqual(1);
  });
});
