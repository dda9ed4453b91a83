import { afterEach, describe, expect, it } from 'vitest';
import { Aeron, Context, FragmentAssembler, type Header } from '@mm/aeron-client';
import type { AtomicBuffer } from '@mm/agrona';
import type { FakeBinanceServer } from '@mm/fake-binance';
import type { Supervisor } from '@mm/cli';
import { BookSnapshotDecoder, DecodeResult, FillDecoder, TradeDecoder, Venue } from '@mm/protocol';
import { killAll, removeTempDirs, waitFor } from '@mm/test-support';
import { figures, LOG_NAME, newSystem, rssOf, SERVICES, startFake, startServices, supervisor, tail, startTolerantDriver, Watcher } from './rig.js';

const CH = 'aeron:ipc?term-length=64k';
const STALL_MS = 4000;

/** A second reader in the test process that can stop polling (while its client stays alive). */
class Reader {
  books = 0;
  bookGaps = 0;
  trades = 0;
  tradeGaps = 0;
  readonly fillIds: number[] = [];
  private lastU = new Map<string, number>();
  private lastTradeSeq = new Map<number, number>();
  private readonly book = new BookSnapshotDecoder();
  private readonly trade = new TradeDecoder();
  private readonly fill = new FillDecoder();
  private readonly assembler = new FragmentAssembler((b, o, l) => this.onBook(b, o, l));
  private constructor(readonly aeron: Aeron, private readonly subs: Awaited<ReturnType<Aeron['addSubscription']>>[]) {}

  static async open(aeronDir: string, untethered: boolean): Promise<Reader> {
    const aeron = await Aeron.connect(new Context({ aeronDir, driverTimeoutMs: 10_000 }));
    // Keepalives while the test awaits other things; the subscriptions are polled only by poll().
    aeron.startConductorTimer(10);
    const subs = await Promise.all([10, 13, 16].map((id) => aeron.addSubscription(CH, id, { untethered })));
    return new Reader(aeron, subs);
  }

  /** Keeps the client alive (the driver would drop a silent client after its liveness timeout). */
  keepAlive(): void {
    this.aeron.doWork();
  }

  poll(): number {
    this.aeron.doWork();
    return this.subs[0]!.poll(this.assembler.handler, 500)
      + this.subs[1]!.poll((b, o, l, h) => this.onTrade(b, o, l, h), 500)
      + this.subs[2]!.poll((b, o, l) => this.onFill(b, o, l), 500);
  }

  close(): void {
    this.aeron.close();
  }

  private onBook(b: AtomicBuffer, o: number, l: number): void {
    if (this.book.wrapChecked(b, o, l) !== DecodeResult.OK) return;
    const sym = this.book.symbol();
    const prev = this.lastU.get(sym);
    // A snapshot is published after every depth event: a jump over more than one event means snapshots dropped.
    if (prev !== undefined && this.book.firstUpdateId() > prev + 1) this.bookGaps++;
    this.lastU.set(sym, this.book.lastUpdateId());
    this.books++;
  }

  private onTrade(b: AtomicBuffer, o: number, l: number, h: Header): void {
    if (this.trade.wrapChecked(b, o, l) !== DecodeResult.OK) return;
    const seq = this.trade.sequence();
    const prev = this.lastTradeSeq.get(h.sessionId);
    if (prev !== undefined && seq !== prev + 1) this.tradeGaps++;
    this.lastTradeSeq.set(h.sessionId, seq);
    this.trades++;
  }

  private onFill(b: AtomicBuffer, o: number, l: number): void {
    if (this.fill.wrapChecked(b, o, l) !== DecodeResult.OK || this.fill.venue() !== Venue.SIMULATOR) return;
    if (!this.fillIds.includes(this.fill.fillId())) this.fillIds.push(this.fill.fillId());
  }
}

/**
 * Slow consumers. An untethered reader (how the dashboard and `mm tail` read) stalled for seconds does not slow the
 * pipeline. A tethered reader stalled for seconds back-pressures the publishers of 10, 13 and 16: the collector drops
 * (conflates) book snapshots, queues trades, the simulator queues fills, memory stays bounded in every process, and
 * once the reader resumes it gets every trade and every fill, in order, and the pipeline quotes again.
 */
describe('fault: slow consumer', () => {
  let fake: FakeBinanceServer | undefined;
  let sup: Supervisor | undefined;
  let watcher: Watcher | undefined;
  const readers: Reader[] = [];
  afterEach(async () => {
    for (const r of readers.splice(0)) r.close();
    watcher?.detach();
    await sup?.stop();
    await fake?.stop();
    await killAll();
    removeTempDirs();
  });

  it('untethered stalls cost nothing; tethered stalls back-pressure with bounded memory and no loss', async () => {
    fake = await startFake(61);
    const { sys, output, events } = newSystem();
    const driver = await startTolerantDriver(sys);
    sup = supervisor(sys, output, events, { initialMs: 100, maxMs: 1000 });
    watcher = new Watcher(sys, fake);
    await watcher.attach();
    const w = watcher;
    await startServices(fake, sys, sup, SERVICES);
    const untethered = await Reader.open(sys.aeronDir, true);
    const tethered = await Reader.open(sys.aeronDir, false);
    readers.push(untethered, tethered);
    const pollBoth = (): void => { w.poll(); untethered.poll(); tethered.poll(); };
    await waitFor(() => { pollBoth(); return w.twoSidedQuotes >= 20 && w.fillIds.length >= 3 && tethered.trades > 0; },
      { what: 'quotes, fills and trades', timeoutMs: 60_000, intervalMs: 2 }).catch((error: Error) => {
      throw new Error(`${error.message}; ${w.summary()}; reader: ${tethered.books} books, ${tethered.trades} trades\n${tail(output, 12)}`);
    });
    const names = [...SERVICES.map((s) => LOG_NAME[s]), 'aeronmd'];
    const pids = [...SERVICES.map((s) => sup!.pidOf(LOG_NAME[s])!), driver.pid];
    const rss = (): number[] => pids.map((p) => rssOf(p));
    const rssBefore = rss();

    // Untethered stall: the pipeline keeps flowing at full speed meanwhile.
    let stallEnd = Date.now() + STALL_MS;
    const during = { books: w.booksChecked, quotes: w.twoSidedQuotes };
    await waitFor(() => { w.poll(); untethered.keepAlive(); tethered.poll(); return Date.now() >= stallEnd; }, { what: 'the untethered stall', timeoutMs: STALL_MS + 5000, intervalMs: 2 });
    const untetheredStall = { books: w.booksChecked - during.books, quotes: w.twoSidedQuotes - during.quotes };
    expect(untetheredStall.books, 'books flowing during an untethered stall').toBeGreaterThan(100);
    expect(untetheredStall.quotes, 'quotes flowing during an untethered stall').toBeGreaterThan(5);
    await waitFor(() => { pollBoth(); return untethered.poll() === 0; }, { what: 'the untethered reader caught up', timeoutMs: 10_000, intervalMs: 2 });

    // Tethered stall: publishers are held back by the stalled reader.
    const maxRss = [...rssBefore];
    const gapsBefore = { books: tethered.bookGaps, trades: tethered.tradeGaps };
    const before = { books: w.booksChecked, quotes: w.twoSidedQuotes, trades: tethered.trades };
    stallEnd = Date.now() + STALL_MS;
    await waitFor(() => {
      w.poll(); untethered.poll(); tethered.keepAlive();
      rss().forEach((v, i) => { maxRss[i] = Math.max(maxRss[i]!, v); });
      return Date.now() >= stallEnd;
    }, { what: 'the tethered stall', timeoutMs: STALL_MS + 5000, intervalMs: 5 });
    const tetheredStall = { books: w.booksChecked - before.books, quotes: w.twoSidedQuotes - before.quotes };
    // Resume: the reader catches up, then the pipeline flows again.
    const resumedAt = Date.now();
    await waitFor(() => { pollBoth(); return tethered.poll() === 0 && untethered.poll() === 0; }, { what: 'the tethered reader caught up', timeoutMs: 10_000, intervalMs: 1 });
    const catchUpMs = Date.now() - resumedAt;
    const after = { books: w.booksChecked, quotes: w.twoSidedQuotes };
    await waitFor(() => { pollBoth(); return w.booksChecked > after.books + 100 && w.twoSidedQuotes > after.quotes + 10; },
      { what: 'the pipeline flowing after the stall', timeoutMs: 30_000, intervalMs: 2 });
    await waitFor(() => { pollBoth(); return tethered.fillIds.length >= w.fillIds.length; }, { what: 'the reader has every fill', timeoutMs: 10_000, intervalMs: 2 });
    rss().forEach((v, i) => { maxRss[i] = Math.max(maxRss[i]!, v); });

    // Back pressure was real: the stalled window admitted little (the collector dropped snapshots meanwhile).
    expect(tetheredStall.books, 'books during the tethered stall (publication window only)').toBeLessThan(untetheredStall.books / 2);
    expect(tethered.bookGaps - gapsBefore.books, 'snapshots conflated by the collector').toBeGreaterThan(0);
    // No loss where loss is not allowed: every trade and every fill, in order.
    expect(tethered.tradeGaps - gapsBefore.trades, 'trade sequence gaps').toBe(0);
    expect(tethered.trades).toBeGreaterThan(before.trades);
    expect(tethered.fillIds).toEqual(w.fillIds.slice(w.fillIds.indexOf(tethered.fillIds[0]!)).slice(0, tethered.fillIds.length));
    expect(tethered.fillIds.every((id, i) => i === 0 || id === tethered.fillIds[i - 1]! + 1)).toBe(true);
    // Bounded memory: no process (services and the driver) grew by more than 64 MiB.
    const growthMiB = maxRss.map((m, i) => +((m - rssBefore[i]!) / 2 ** 20).toFixed(1));
    for (const g of growthMiB) expect(g).toBeLessThan(64);
    expect(w.violations.slice(0, 5)).toEqual([]);
    expect(events.filter((e) => e.event === 'exited')).toEqual([]);
    figures('slow-consumer', {
      stallMs: STALL_MS, untetheredStall, tetheredStall, tetheredCatchUpMs: catchUpMs, snapshotsConflated: tethered.bookGaps - gapsBefore.books,
      tradesReceived: tethered.trades, tradeGaps: tethered.tradeGaps, fillsReceived: tethered.fillIds.length,
      rssGrowthMiB: Object.fromEntries(names.map((n, i) => [n, growthMiB[i]])),
    });
  });
});
