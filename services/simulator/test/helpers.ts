import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AtomicBuffer } from '@mm/agrona';
import {
  BookSnapshotEncoder, DecodeResult, FillDecoder, PositionDecoder, PullQuotesEncoder, QuoteEncoder, StateDecoder,
  TradeEncoder, Venue, type Side,
} from '@mm/protocol';
import { InMemoryTransport, ManualClock, ServiceStatus, type Publisher, type Subscriber } from '@mm/runtime';
import { SimulatorAgent, type SimulatorIo } from '../src/SimulatorAgent.js';
import type { SimulatorSettings } from '../src/SimulatorConfig.js';

export const E8 = 1e8;
export const MS = 1e6;
const CH = 'aeron:ipc';

export interface FillRow {
  fillId: number; orderId: number; symbol: string; side: number; price: number; qty: number; fee: number;
  liquidity: number; venue: number; seq: number; fillTimeNs: number;
}
export interface PositionRow {
  symbol: string; lastFillId: number; qty: number; fees: number; avg: number; realized: number; unrealized: number;
  dailyRealized: number; dailyFees: number;
  mark: number; venue: number; seq: number; time: number;
}

export const DEFAULT_SETTINGS: SimulatorSettings = {
  entryLatencyNs: 1 * MS,
  cancelLatencyNs: 5 * MS,
  queue: { kind: 'risk-averse' },
  makerBps: -1,
  takerBps: 5,
  maxOrders: 16,
  positionIntervalNs: 1000 * MS,
  staleBookNs: 5000 * MS,
  symbols: [{ symbol: 'BTCUSDT', lotE8: 1000 }, { symbol: 'ETHUSDT', lotE8: 1000 }],
};

const tempDirs: string[] = [];
export function tempJournalDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'mm-sim-'));
  tempDirs.push(d);
  return join(d, 'journal');
}
export function removeJournalDirs(): void {
  for (const d of tempDirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/**
 * A simulator agent on the in-memory transport with a manual clock: scripted books, trades, quotes and pulls in,
 * decoded fills, positions and state changes out.
 */
export class Rig {
  readonly transport = new InMemoryTransport();
  readonly logs: { level: string; msg: string }[] = [];
  readonly fills: FillRow[] = [];
  readonly positions: PositionRow[] = [];
  readonly states: { service: string; symbol: string; state: number; reason: string }[] = [];
  agent!: SimulatorAgent;
  status!: ServiceStatus;
  private readonly buf = AtomicBuffer.allocate(4096);
  private quotePub!: Publisher;
  private bookPub!: Publisher;
  private tradePub!: Publisher;
  private fillSub!: Subscriber;
  private positionSub!: Subscriber;
  private stateSub!: Subscriber;
  fillPublisher!: Publisher;

  constructor(
    readonly clock: ManualClock,
    readonly journalDir: string,
    readonly settings: SimulatorSettings = DEFAULT_SETTINGS,
  ) {}

  static async create(opts: { clock?: ManualClock; journalDir?: string; settings?: Partial<SimulatorSettings>; wrapFills?: (p: Publisher) => Publisher; republishOnStart?: number } = {}): Promise<Rig> {
    const r = new Rig(opts.clock ?? new ManualClock(1e9, Date.UTC(2026, 10, 21, 12)), opts.journalDir ?? tempJournalDir(), { ...DEFAULT_SETTINGS, ...opts.settings });
    const t = r.transport;
    r.quotePub = t.addExclusivePublicationSync(CH, 15);
    r.bookPub = t.addExclusivePublicationSync(CH, 10);
    r.tradePub = t.addExclusivePublicationSync(CH, 13);
    r.fillSub = t.addSubscriptionSync(CH, 16);
    r.positionSub = t.addSubscriptionSync(CH, 17);
    r.stateSub = t.addSubscriptionSync(CH, 11);
    const io: SimulatorIo = {
      quotes: t.addSubscriptionSync(CH, 15),
      books: t.addSubscriptionSync(CH, 10),
      trades: t.addSubscriptionSync(CH, 13),
      fills: (opts.wrapFills ?? ((p) => p))(t.addExclusivePublicationSync(CH, 16)),
      positions: t.addExclusivePublicationSync(CH, 17),
    };
    r.fillPublisher = io.fills;
    r.status = new ServiceStatus('mm_simulator', 0, r.clock, t.addExclusivePublicationSync(CH, 11), t.addExclusivePublicationSync(CH, 12), 1e9);
    r.agent = new SimulatorAgent(r.settings, io, { dir: r.journalDir, fsync: { mode: 'every-record' }, republishOnStart: opts.republishOnStart ?? 0 }, r.clock, r.status,
      (level, msg) => r.logs.push({ level, msg }));
    r.agent.start();
    r.drain();
    return r;
  }

  /** Books with [price, qty] levels in price units / base units. */
  /** A book received now, or at the event time `recvTimeNs`. */
  book(symbol: string, bids: [number, number][], asks: [number, number][], recvTimeNs = this.clock.nanoTime()): this {
    const e = new BookSnapshotEncoder().wrap(this.buf, 0).sequence(0).symbol(symbol).recvTimeNs(recvTimeNs)
      .firstUpdateId(1).lastUpdateId(1)
      .levels(bids.map((b) => Math.round(b[0] * E8)), bids.map((b) => Math.round(b[1] * E8)), bids.length,
        asks.map((a) => Math.round(a[0] * E8)), asks.map((a) => Math.round(a[1] * E8)), asks.length);
    this.bookPub.offer(this.buf, 0, e.encodedLength());
    return this;
  }

  trade(symbol: string, price: number, qty: number, aggressor: Side, recvTimeNs = this.clock.nanoTime()): this {
    const e = new TradeEncoder().wrap(this.buf, 0).symbol(symbol).recvTimeNs(recvTimeNs)
      .price(Math.round(price * E8)).qty(Math.round(qty * E8)).aggressorSide(aggressor);
    this.tradePub.offer(this.buf, 0, e.encodedLength());
    return this;
  }

  /** recvTimeNs: the event time the quote carries (0 = untimed: the venue uses its own clock). */
  quote(symbol: string, quoteId: number, bid: number, bidQty: number, ask: number, askQty: number, venue: Venue = Venue.SIMULATOR, recvTimeNs = 0): this {
    const e = new QuoteEncoder().wrap(this.buf, 0).symbol(symbol).quoteId(quoteId).sendTimeNs(this.clock.nanoTime()).recvTimeNs(recvTimeNs)
      .bidPrice(Math.round(bid * E8)).bidQty(Math.round(bidQty * E8)).askPrice(Math.round(ask * E8)).askQty(Math.round(askQty * E8))
      .venue(venue);
    this.quotePub.offer(this.buf, 0, e.encodedLength());
    return this;
  }

  pull(symbol: string | null, venue: Venue = Venue.SIMULATOR, recvTimeNs = 0): this {
    const e = new PullQuotesEncoder().wrap(this.buf, 0).symbol(symbol ?? '').allSymbols(symbol === null).venue(venue).recvTimeNs(recvTimeNs);
    this.quotePub.offer(this.buf, 0, e.encodedLength());
    return this;
  }

  /** Raw bytes on the quote stream (malformed-input tests). */
  raw(bytes: number[]): this {
    for (let i = 0; i < bytes.length; i++) this.buf.putUint8(i, bytes[i]!);
    this.quotePub.offer(this.buf, 0, bytes.length);
    return this;
  }

  /** Runs a duty cycle now (handling what was sent), then, if `ms` > 0, moves the clock by `ms` and runs another. */
  step(ms = 0): this {
    this.cycle();
    if (ms > 0) {
      this.clock.advanceNs(Math.round(ms * MS));
      this.cycle();
    }
    return this;
  }

  private cycle(): void {
    this.agent.doWork();
    this.status.doWork();
    this.drain();
  }

  drain(): void {
    const f = new FillDecoder();
    this.fillSub.poll((b, o, l) => {
      if (f.wrapChecked(b, o, l) !== DecodeResult.OK) throw new Error('bad fill message');
      this.fills.push({
        fillId: f.fillId(), orderId: f.orderId(), symbol: f.symbol(), side: f.side(), price: f.price(), qty: f.qty(),
        fee: f.fee(), liquidity: f.liquidity(), venue: f.venue(), seq: f.sequence(), fillTimeNs: f.fillTimeNs(),
      });
    }, 10_000);
    const p = new PositionDecoder();
    this.positionSub.poll((b, o, l) => {
      if (p.wrapChecked(b, o, l) !== DecodeResult.OK) throw new Error('bad position message');
      this.positions.push({
        symbol: p.symbol(), lastFillId: p.lastFillId(), qty: p.quantity(), fees: p.fees(), avg: p.averagePrice(),
        realized: p.realizedPnl(), unrealized: p.unrealizedPnl(), mark: p.markPrice(), venue: p.venue(), seq: p.sequence(),
        dailyRealized: p.dailyRealizedPnl(), dailyFees: p.dailyFees(), time: p.timeNs(),
      });
    }, 10_000);
    const s = new StateDecoder();
    this.stateSub.poll((b, o, l) => {
      if (s.wrapChecked(b, o, l) === DecodeResult.OK) this.states.push({ service: s.service(), symbol: s.symbol(), state: s.state(), reason: s.reason() });
    }, 10_000);
  }

  lastPosition(symbol: string): PositionRow | undefined {
    for (let i = this.positions.length - 1; i >= 0; i--) if (this.positions[i]!.symbol === symbol) return this.positions[i];
    return undefined;
  }

  close(): void {
    this.agent.stop();
  }
}

/** Positions computed independently from a list of fills: signed quantity and fee sums per symbol. */
export function sumOfFills(fills: readonly FillRow[]): Map<string, { qty: number; fees: number; lastFillId: number }> {
  const out = new Map<string, { qty: number; fees: number; lastFillId: number }>();
  for (const f of fills) {
    const s = out.get(f.symbol) ?? { qty: 0, fees: 0, lastFillId: 0 };
    s.qty += f.side === 1 ? f.qty : -f.qty;
    s.fees += f.fee;
    s.lastFillId = Math.max(s.lastFillId, f.fillId);
    out.set(f.symbol, s);
  }
  return out;
}
