import { closeSync, ftruncateSync, openSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Aeron, Context, type ExclusivePublication, type Subscription } from '@mm/aeron-client';
import { AtomicBuffer } from '@mm/agrona';
import { FILL_RECORD_KIND, FILL_RECORD_LENGTH, FillRecord, readJournal } from '@mm/journal';
import {
  BookSnapshotEncoder, DecodeResult, FillDecoder, PositionDecoder, QuoteEncoder, Side, StateDecoder, TradeEncoder, Venue,
} from '@mm/protocol';
import { SystemClock } from '@mm/runtime';
import {
  createTestSystem, killAll, removeTempDirs, startDriver, startService, waitFor, type ChildProcessHandle, type TestSystem,
} from '@mm/test-support';
import { checkHealth } from '../../../packages/cli/src/commands/health.js';

/**
 * The simulator as a real process on a real media driver: the test plays the collector (books 10, trades 13) and
 * the strategy (quotes 15) over Aeron and reads fills (16), positions (17) and states (11). Each round quotes one
 * side of one symbol and prints a trade through it, so every round that reaches the venue fills once. The venue is
 * killed with SIGKILL mid-flow and restarted; its journal is the truth both sides are checked against.
 */
const E8 = 1e8;
const CH = 'aeron:ipc?term-length=64k';
const SYMBOLS = ['BTCUSDT', 'ETHUSDT'] as const;
const TOP: Record<string, [number, number]> = { BTCUSDT: [100, 101], ETHUSDT: [10, 10.1] };

interface Fill { session: number; fillId: number; symbol: string; side: number; price: number; qty: number; fee: number; orderId: number }
interface Pos { session: number; symbol: string; lastFillId: number; qty: number; fees: number }
interface Journaled { fillId: number; symbol: string; side: number; price: number; qty: number; fee: number; orderId: number }

function readFills(path: string): Journaled[] {
  const out: Journaled[] = [];
  const r = new FillRecord();
  readJournal(path, FILL_RECORD_KIND, FILL_RECORD_LENGTH, (b, o) => {
    r.wrap(b, o);
    out.push({ fillId: r.fillId(), symbol: r.symbol(), side: r.side(), price: r.price(), qty: r.qty(), fee: r.fee(), orderId: r.quoteId() });
  });
  return out;
}

function sums(fills: readonly Journaled[]): Record<string, { qty: number; fees: number; lastFillId: number }> {
  const out: Record<string, { qty: number; fees: number; lastFillId: number }> = {};
  for (const s of SYMBOLS) out[s] = { qty: 0, fees: 0, lastFillId: 0 };
  for (const f of fills) {
    const s = out[f.symbol]!;
    s.qty += f.side === Side.BUY ? f.qty : -f.qty;
    s.fees += f.fee;
    s.lastFillId = Math.max(s.lastFillId, f.fillId);
  }
  return out;
}

class Harness {
  readonly fills: Fill[] = [];
  readonly positions: Pos[] = [];
  readonly states: { symbol: string; state: number; reason: string }[] = [];
  private readonly buf = AtomicBuffer.allocate(2048);
  private readonly clock = new SystemClock();
  private round = 0;
  private quoteId = 0;
  sent = 0;
  private constructor(
    private readonly aeron: Aeron,
    private readonly books: ExclusivePublication,
    private readonly trades: ExclusivePublication,
    private readonly quotes: ExclusivePublication,
    private readonly fillSub: Subscription,
    private readonly positionSub: Subscription,
    private readonly stateSub: Subscription,
  ) {}

  static async create(sys: TestSystem): Promise<Harness> {
    const aeron = await Aeron.connect(new Context({ aeronDir: sys.aeronDir, driverTimeoutMs: 2000 }));
    const [books, trades, quotes] = await Promise.all([
      aeron.addExclusivePublication(CH, 10), aeron.addExclusivePublication(CH, 13), aeron.addExclusivePublication(CH, 15),
    ]);
    const [fills, positions, states] = await Promise.all([
      aeron.addSubscription(CH, 16), aeron.addSubscription(CH, 17), aeron.addSubscription(CH, 11),
    ]);
    return new Harness(aeron, books, trades, quotes, fills, positions, states);
  }

  poll(): void {
    this.aeron.doWork();
    const f = new FillDecoder();
    this.fillSub.poll((b, o, l, h) => {
      expect(f.wrapChecked(b, o, l)).toBe(DecodeResult.OK);
      expect(f.venue()).toBe(Venue.SIMULATOR);
      this.fills.push({ session: h.sessionId, fillId: f.fillId(), symbol: f.symbol(), side: f.side(), price: f.price(), qty: f.qty(), fee: f.fee(), orderId: f.orderId() });
    }, 100);
    const p = new PositionDecoder();
    this.positionSub.poll((b, o, l, h) => {
      expect(p.wrapChecked(b, o, l)).toBe(DecodeResult.OK);
      expect(p.venue()).toBe(Venue.SIMULATOR);
      this.positions.push({ session: h.sessionId, symbol: p.symbol(), lastFillId: p.lastFillId(), qty: p.quantity(), fees: p.fees() });
    }, 100);
    const s = new StateDecoder();
    this.stateSub.poll((b, o, l) => {
      if (s.wrapChecked(b, o, l) === DecodeResult.OK && s.service() === 'mm_simulator') {
        this.states.push({ symbol: s.symbol(), state: s.state(), reason: s.reason() });
      }
    }, 100);
  }

  /** One round: books, a one-sided quote, a trade through it (skipped while the venue is not subscribed). */
  pump(): void {
    this.poll();
    if (!this.quotes.isConnected() || !this.trades.isConnected() || !this.books.isConnected()) return;
    const k = this.round++;
    const symbol = SYMBOLS[k % 2]!;
    const [bid, ask] = TOP[symbol]!;
    for (const s of SYMBOLS) {
      const [b, a] = TOP[s]!;
      const e = new BookSnapshotEncoder().wrap(this.buf, 0).symbol(s).firstUpdateId(k).lastUpdateId(k)
        .levels([b * E8], [5 * E8], 1, [a * E8], [5 * E8], 1);
      this.books.offer(this.buf, 0, e.encodedLength());
    }
    const buy = k % 3 !== 2;
    const q = new QuoteEncoder().wrap(this.buf, 0).symbol(symbol).quoteId(++this.quoteId).venue(Venue.SIMULATOR)
      .sendTimeNs(this.clock.nanoTime());
    if (buy) q.bidPrice(bid * E8).bidQty(0.01 * E8);
    else q.askPrice(ask * E8).askQty(0.01 * E8);
    if (this.quotes.offer(this.buf, 0, q.encodedLength()) < 0) return;
    const t = new TradeEncoder().wrap(this.buf, 0).symbol(symbol).tradeId(k)
      .price(Math.round((buy ? bid * 0.99 : ask * 1.01) * E8)).qty(1 * E8).aggressorSide(buy ? Side.SELL : Side.BUY);
    if (this.trades.offer(this.buf, 0, t.encodedLength()) > 0) this.sent++;
  }

  async until(what: string, cond: () => boolean, opts: { pump?: boolean; timeoutMs?: number } = {}): Promise<void> {
    await waitFor(() => {
      if (opts.pump) this.pump();
      else this.poll();
      return cond();
    }, { what, timeoutMs: opts.timeoutMs ?? 20_000, intervalMs: 2 });
  }

  /** The first snapshot of each symbol published by `session` (one simulator process). */
  snapshotsOf(session: number): Map<string, Pos> {
    const m = new Map<string, Pos>();
    for (const p of this.positions) if (p.session === session && !m.has(p.symbol)) m.set(p.symbol, p);
    return m;
  }

  close(): void {
    this.aeron.close();
  }
}

function configFor(journalDir: string): string {
  return [
    '[latency]', 'entry-us = 0', 'cancel-us = 0',
    '[queue]', 'model = "risk-averse"',
    '[fees]', 'maker-bps = -1', 'taker-bps = 5',
    '[journal]', `dir = "${journalDir}"`,
    '[positions]', 'publish-interval-ms = 200',
  ].join('\n');
}

describe('simulator process', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    h?.close();
    h = undefined;
    await killAll();
    removeTempDirs();
  });

  it('fills quotes against the market, survives kill -9: positions equal the journaled fills and ids continue', async () => {
    const sys = createTestSystem();
    const journalDir = join(sys.root, 'journal');
    writeFileSync(join(sys.configDir, 'simulator.toml'), configFor(journalDir));
    const journalPath = join(journalDir, 'fills.journal');
    await startDriver(sys);
    let sim: ChildProcessHandle = startService(sys, 'simulator');
    h = await Harness.create(sys);
    const harness = h;

    await harness.until('30 fills from the first simulator', () => harness.fills.length >= 30, { pump: true });
    await harness.until('simulator healthy (LIVE, heartbeat fresh)', () => checkHealth(sys.aeronDir, 'mm_simulator', 3000).live, { pump: true });
    // Positions from the running venue equal the sum of the fills it published so far.
    await harness.until('a snapshot covering the latest fill', () => {
      const last = harness.fills.at(-1)!;
      return harness.positions.some((p) => p.symbol === last.symbol && p.lastFillId === last.fillId);
    }, { timeoutMs: 5000 });
    const upTo = harness.positions.at(-1)!;
    const expectedSoFar = sums(harness.fills.filter((f) => f.fillId <= upTo.lastFillId))[upTo.symbol]!;
    expect([upTo.qty, upTo.fees]).toEqual([expectedSoFar.qty, expectedSoFar.fees]);

    // kill -9 in the middle of the flow.
    for (let i = 0; i < 20; i++) harness.pump();
    sim.kill('SIGKILL');
    await sim.waitForExit(5000);
    harness.poll();
    const journaled = readFills(journalPath);
    expect(journaled.length).toBeGreaterThanOrEqual(harness.fills.length);
    expect(journaled.map((f) => f.fillId)).toEqual(journaled.map((_, i) => i + 1)); // no repeat, no skip
    // Every fill published before the kill is in the journal, identical.
    const byId = new Map(journaled.map((f) => [f.fillId, f]));
    for (const f of harness.fills) {
      const { session: _s, ...fields } = f;
      expect(byId.get(f.fillId)).toEqual(fields);
    }
    const K = journaled.length;
    const expected = sums(journaled);
    // Each publication has its own Aeron session: anything from a new session comes from the restarted process.
    const oldFillSessions = new Set(harness.fills.map((f) => f.session));
    const oldPositionSessions = new Set(harness.positions.map((p) => p.session));

    sim = startService(sys, 'simulator');
    await harness.until('snapshots of both symbols from the restarted simulator', () => {
      const p = harness.positions.find((x) => !oldPositionSessions.has(x.session));
      return p !== undefined && harness.snapshotsOf(p.session).size === SYMBOLS.length;
    });
    const secondSession = harness.positions.find((p) => !oldPositionSessions.has(p.session))!.session;
    // The first snapshots of the restarted venue include at least every fill journaled before the kill, and equal
    // the sum of the journaled fills they include (it may already have handled rounds its predecessor left unread).
    const recovered = harness.snapshotsOf(secondSession);
    const journalNow = readFills(journalPath);
    expect(journalNow.slice(0, K)).toEqual(journaled);
    for (const s of SYMBOLS) {
      const p = recovered.get(s)!;
      expect(p.lastFillId).toBeGreaterThanOrEqual(expected[s]!.lastFillId);
      const included = sums(journalNow.filter((f) => f.fillId <= p.lastFillId))[s]!;
      expect([s, p.qty, p.fees, p.lastFillId]).toEqual([s, included.qty, included.fees, included.lastFillId]);
    }
    await harness.until('restart announced per symbol on 11', () =>
      SYMBOLS.every((s) => harness.states.some((st) => st.symbol === s && st.reason === 'restart: resting orders cancelled')));

    // The flow resumes: ids continue from the journal.
    const before = harness.fills.length;
    await harness.until('20 fills from the restarted simulator', () => harness.fills.length >= before + 20, { pump: true });
    // The restarted venue first republishes its journal's tail (journal.republish-on-start): the same fills again.
    const newSession = harness.fills.filter((f) => !oldFillSessions.has(f.session));
    for (const { session: _s, ...fields } of newSession.filter((x) => x.fillId <= K)) expect(byId.get(fields.fillId)).toEqual(fields);
    const after = newSession.filter((f) => f.fillId > K);
    expect(after.map((f) => f.fillId)).toEqual(after.map((_, i) => K + 1 + i));

    // Quiesce, then stop cleanly: the last snapshots and the journal agree with the sum of all journaled fills.
    await harness.until('snapshots covering the last fills', () => {
      const all = sums(harness.fills);
      return SYMBOLS.every((s) => harness.positions.some((p) => p.session === secondSession && p.symbol === s && p.lastFillId === all[s]!.lastFillId));
    }, { timeoutMs: 5000 });
    sim.kill('SIGTERM');
    expect((await sim.waitForExit(5000)).code).toBe(0);
    harness.poll();
    const final = readFills(journalPath);
    expect(final.map((f) => f.fillId)).toEqual(final.map((_, i) => i + 1));
    const total = sums(final);
    for (const s of SYMBOLS) {
      const last = harness.positions.filter((p) => p.session === secondSession && p.symbol === s).at(-1)!;
      expect([s, last.qty, last.fees, last.lastFillId]).toEqual([s, total[s]!.qty, total[s]!.fees, total[s]!.lastFillId]);
    }
  });

  it('recovers from a journal truncated mid-record: only the torn fill is dropped and its id is issued again', async () => {
    const sys = createTestSystem();
    const journalDir = join(sys.root, 'journal');
    writeFileSync(join(sys.configDir, 'simulator.toml'), configFor(journalDir));
    const journalPath = join(journalDir, 'fills.journal');
    await startDriver(sys);
    let sim = startService(sys, 'simulator');
    h = await Harness.create(sys);
    const harness = h;
    await harness.until('10 fills', () => harness.fills.length >= 10, { pump: true });
    sim.kill('SIGKILL');
    await sim.waitForExit(5000);
    const journaled = readFills(journalPath);
    const size = statSync(journalPath).size;
    const fd = openSync(journalPath, 'r+');
    ftruncateSync(fd, size - 50); // inside the last 104-byte record
    closeSync(fd);
    const kept = journaled.slice(0, -1);
    const expected = sums(kept);

    harness.poll();
    const oldFillSessions = new Set(harness.fills.map((f) => f.session));
    const oldPositionSessions = new Set(harness.positions.map((p) => p.session));
    sim = startService(sys, 'simulator');
    await sim.waitForLine(/torn tail dropped/, 10_000);
    const fresh = (): Pos[] => harness.positions.filter((p) => !oldPositionSessions.has(p.session));
    await harness.until('snapshots of both symbols after recovery', () => SYMBOLS.every((s) => fresh().some((p) => p.symbol === s)));
    const journalNow = readFills(journalPath);
    for (const s of SYMBOLS) {
      const p = fresh().find((x) => x.symbol === s)!;
      expect(p.lastFillId).toBeGreaterThanOrEqual(expected[s]!.lastFillId);
      const included = sums(journalNow.filter((f) => f.fillId <= p.lastFillId))[s]!;
      expect([s, p.qty, p.fees, p.lastFillId]).toEqual([s, included.qty, included.fees, included.lastFillId]);
    }
    // The torn record is gone; the restarted venue may already have appended fills (an IPC subscriber can join at
    // the position its killed predecessor had reached and handle the rounds it left unread).
    const now = readFills(journalPath);
    expect(now.slice(0, kept.length)).toEqual(kept);
    expect(now.map((f) => f.fillId)).toEqual(now.map((_, i) => i + 1));
    // Fills up to kept.length from the new session are the republished journal tail; the first new one reuses the torn id.
    const newFill = (f: { session: number; fillId: number }): boolean => !oldFillSessions.has(f.session) && f.fillId > kept.length;
    await harness.until('a fill after recovery', () => harness.fills.some(newFill), { pump: true });
    expect(harness.fills.find(newFill)!.fillId).toBe(kept.length + 1);
    sim.kill('SIGTERM');
    expect((await sim.waitForExit(5000)).code).toBe(0);
  });
});
