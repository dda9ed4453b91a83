import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { Aeron, CncFile, Context, type ExclusivePublication, type Subscription } from '@mm/aeron-client';
import { serviceCounters } from '../../../packages/cli/src/commands/stat.js';
import { AtomicBuffer } from '@mm/agrona';
import { FILL_RECORD_KIND, FILL_RECORD_LENGTH, FillRecord, readJournal } from '@mm/journal';
import {
  DecodeResult, EngineTopOfBookDecoder, EngineTradeDecoder, FillDecoder, PositionDecoder, QuoteEncoder, StateDecoder, Venue,
} from '@mm/protocol';
import { SystemClock } from '@mm/runtime';
import {
  createTestSystem, killAll, removeTempDirs, repoRoot, startDriver, startService, waitFor, type ChildProcessHandle, type TestSystem,
} from '@mm/test-support';
import { TcpClient } from './support/clients.js';

/**
 * The engine as the market maker's venue, as a real process on a real media driver: the test plays the strategy
 * (quotes on 15 over Aeron) and a TCP client (the engine's framing) that crosses the quotes; it reads fills (16),
 * positions (17), trades (18), tops (19) and states (11), runs `mm health matching-engine`, then kills the engine
 * with SIGKILL and restarts it: positions equal the journaled fills and fill ids continue; finally a quote that
 * crosses a resting order is a TAKER fill, and positions carry the sum of the fills' fees (default 1 bps).
 */
const E8 = 1e8;
const CH = 'aeron:ipc?term-length=64k';
const MM_USER = 999_999;

interface Fill { session: number; fillId: number; symbol: string; side: number; price: number; qty: number; quoteId: number; liquidity: number; fee: number }
interface Pos { session: number; symbol: string; lastFillId: number; qty: number; fees: number }
/** The default `[venue.fees]` (1 bps maker and taker) on a fill, 1e-8 quote units. */
const feeE8 = (price: number, qty: number): number => Math.round(price * qty * 1e-4 * E8);
const MAKER = 1;
const TAKER = 2;

class Strategy {
  readonly fills: Fill[] = [];
  readonly positions: Pos[] = [];
  readonly trades: { symbol: string; price: number; qty: number; buyUser: number; sellUser: number; aggressor: number }[] = [];
  readonly tops: { symbol: string; side: number; price: number }[] = [];
  readonly states: { symbol: string; state: number; reason: string }[] = [];
  private readonly buf = AtomicBuffer.allocate(512);
  private readonly clock = new SystemClock();
  private quoteId = 0;
  /** The client's conductor keeps running while the test awaits processes (else the driver times the client out). */
  private readonly keepAlive: NodeJS.Timeout;

  private constructor(
    private readonly aeron: Aeron,
    private readonly quotes: ExclusivePublication,
    private readonly subs: Subscription[],
  ) {
    this.keepAlive = setInterval(() => this.aeron.doWork(), 10);
  }

  static async create(sys: TestSystem): Promise<Strategy> {
    const aeron = await Aeron.connect(new Context({ aeronDir: sys.aeronDir, driverTimeoutMs: 2000 }));
    const quotes = await aeron.addExclusivePublication(CH, 15);
    const subs = await Promise.all([16, 17, 18, 19, 11].map((id) => aeron.addSubscription(CH, id)));
    return new Strategy(aeron, quotes, subs);
  }

  poll(): void {
    this.aeron.doWork();
    const [fills, positions, trades, tops, states] = this.subs as [Subscription, Subscription, Subscription, Subscription, Subscription];
    const f = new FillDecoder();
    fills.poll((b, o, l, h) => {
      expect(f.wrapChecked(b, o, l)).toBe(DecodeResult.OK);
      expect(f.venue()).toBe(Venue.ENGINE);
      this.fills.push({ session: h.sessionId, fillId: f.fillId(), symbol: f.symbol(), side: f.side(), price: f.price(), qty: f.qty(), quoteId: f.orderId(), liquidity: f.liquidity(), fee: f.fee() });
    }, 100);
    const p = new PositionDecoder();
    positions.poll((b, o, l, h) => {
      expect(p.wrapChecked(b, o, l)).toBe(DecodeResult.OK);
      expect(p.venue()).toBe(Venue.ENGINE);
      this.positions.push({ session: h.sessionId, symbol: p.symbol(), lastFillId: p.lastFillId(), qty: p.quantity(), fees: p.fees() });
    }, 100);
    const t = new EngineTradeDecoder();
    trades.poll((b, o, l) => {
      expect(t.wrapChecked(b, o, l)).toBe(DecodeResult.OK);
      this.trades.push({ symbol: t.symbol(), price: t.price(), qty: t.qty(), buyUser: t.buyUserId(), sellUser: t.sellUserId(), aggressor: t.aggressorSide() });
    }, 100);
    const tb = new EngineTopOfBookDecoder();
    tops.poll((b, o, l) => {
      expect(tb.wrapChecked(b, o, l)).toBe(DecodeResult.OK);
      this.tops.push({ symbol: tb.symbol(), side: tb.side(), price: tb.price() });
    }, 100);
    const s = new StateDecoder();
    states.poll((b, o, l) => {
      if (s.wrapChecked(b, o, l) === DecodeResult.OK && s.service() === 'matching-engine') this.states.push({ symbol: s.symbol(), state: s.state(), reason: s.reason() });
    }, 100);
  }

  /** Quotes BTCUSDT at the engine; returns the quote id once the publication accepted it. */
  async quote(bid: number, bidQty: number, ask: number, askQty: number): Promise<number> {
    const id = ++this.quoteId;
    await waitFor(() => {
      this.poll();
      if (!this.quotes.isConnected()) return false;
      const e = new QuoteEncoder().wrap(this.buf, 0).symbol('BTCUSDT').quoteId(id).venue(Venue.ENGINE).sendTimeNs(this.clock.nanoTime())
        .bidPrice(bid * E8).bidQty(bidQty * E8).askPrice(ask * E8).askQty(askQty * E8);
      return this.quotes.offer(this.buf, 0, e.encodedLength()) > 0;
    }, { what: `quote ${id} accepted by stream 15`, timeoutMs: 10_000, intervalMs: 2 });
    return id;
  }

  async until(what: string, cond: () => boolean, timeoutMs = 10_000): Promise<void> {
    await waitFor(() => {
      this.poll();
      return cond();
    }, { what, timeoutMs, intervalMs: 2 });
  }

  close(): void {
    clearInterval(this.keepAlive);
    this.aeron.close();
  }
}

function journaled(path: string): { fillId: number; side: number; qty: number }[] {
  const out: { fillId: number; side: number; qty: number }[] = [];
  const r = new FillRecord();
  readJournal(path, FILL_RECORD_KIND, FILL_RECORD_LENGTH, (b, o) => {
    r.wrap(b, o);
    out.push({ fillId: r.fillId(), side: r.side(), qty: r.qty() });
  });
  return out;
}

const signedSum = (fills: readonly { side: number; qty: number }[]): number => fills.reduce((a, f) => a + (f.side === 1 ? f.qty : -f.qty), 0);

/** `mm health matching-engine` (the CLI process), without blocking the test's event loop. */
async function mmHealth(sys: TestSystem): Promise<number> {
  try {
    await promisify(execFile)(process.execPath, [join(repoRoot(), 'packages/cli/dist/main.js'), 'health', 'matching-engine'], {
      env: { ...process.env, ...sys.env }, timeout: 10_000,
    });
    return 0;
  } catch (error) {
    return typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : -1;
  }
}

async function startEngine(sys: TestSystem, threaded: boolean): Promise<{ proc: ChildProcessHandle; tcpPort: number }> {
  const proc = startService(sys, 'matching-engine', {
    ENGINE_VENUE_ENABLED: 'true', ENGINE_TCP_PORT: '0', ENGINE_UDP_PORT: '0', ENGINE_TCP_HOST: '127.0.0.1', ENGINE_UDP_HOST: '127.0.0.1',
    ENGINE_THREADED: String(threaded),
  });
  const l = await proc.waitForJson<{ tcpPort: number }>((o) => o.msg === 'listening', 15_000);
  return { proc, tcpPort: l.tcpPort };
}

describe.each([false, true])('matching engine as the market maker’s venue (process, threaded %s)', (threaded) => {
  let s: Strategy | undefined;
  const clients: TcpClient[] = [];
  afterEach(async () => {
    s?.close();
    s = undefined;
    for (const c of clients.splice(0)) c.close();
    await killAll();
    removeTempDirs();
  });

  it('quote stream replacement and fills on 16; positions on 17, trades on 18, health; kill -9 and restart continue from the journal', async () => {
    const sys = createTestSystem();
    const journalPath = join(sys.root, 'data/matching-engine/fills.journal');
    await startDriver(sys);
    let engine = await startEngine(sys, threaded);
    const strategy = (s = await Strategy.create(sys));

    await waitFor(async () => (await mmHealth(sys)) === 0, { what: 'mm health matching-engine live', timeoutMs: 20_000, intervalMs: 50 });

    const q1 = await strategy.quote(100, 0.5, 101, 0.5).catch((e: unknown) => {
      throw new Error(`${(e as Error).message}\nengine output:\n${engine.proc.output()}`);
    });
    await strategy.until('our first quote on the book (19)', () => strategy.tops.some((t) => t.symbol === 'BTCUSDT' && t.price === 10_000));
    const q2 = await strategy.quote(99, 0.3, 102, 0.3); // replaces q1
    await strategy.until('the replacement on the book (19)', () => strategy.tops.some((t) => t.symbol === 'BTCUSDT' && t.price === 9_900));

    const taker = await TcpClient.connect(engine.tcpPort);
    clients.push(taker);
    // Sells 0.3 down to 98: only the replacing bid (0.3 at 99) is there; q1's bid at 100 is gone.
    taker.send('N, 7, BTCUSDT, 9800, 30000, S, 1');
    await strategy.until('our fill on 16', () => strategy.fills.length >= 1);
    expect(strategy.fills.map(({ session: _s, ...f }) => f)).toEqual([{ fillId: 1, symbol: 'BTCUSDT', side: 1, price: 99 * E8, qty: 0.3 * E8, quoteId: q2, liquidity: MAKER, fee: feeE8(99, 0.3) }]);
    expect(q1).not.toBe(q2);
    await strategy.until('a position covering fill 1 on 17', () => strategy.positions.some((p) => p.lastFillId === 1 && p.qty === 0.3 * E8));
    await strategy.until('the trade on 18', () => strategy.trades.some((t) => t.price === 9_900 && t.qty === 30_000 && t.buyUser === MM_USER && t.sellUser === 7 && t.aggressor === 2));
    await taker.waitForLine((l) => l.startsWith('T, BTCUSDT'));
    // The engine's own counters are in the driver's counters file, where `mm stat` shows them.
    await waitFor(() => {
      const cnc = CncFile.openReadOnly(sys.aeronDir);
      try {
        return serviceCounters(cnc.countersReader).find((l) => /^matching-engine counters: .*messagesIn=\d/.test(l) && /tcpAccepted=1\b/.test(l));
      } finally {
        cnc.close();
      }
    }, { what: 'the engine counters in the CnC file (mm stat)', timeoutMs: 5_000 });

    // Buy through our ask: fill 2.
    taker.send('N, 7, BTCUSDT, 10200, 10000, B, 2');
    await strategy.until('fill 2', () => strategy.fills.some((f) => f.fillId === 2));
    await strategy.until('a position covering fill 2', () => strategy.positions.some((p) => p.lastFillId === 2));

    engine.proc.kill('SIGKILL');
    await engine.proc.waitForExit(5000);
    const before = journaled(journalPath);
    expect(before.map((f) => f.fillId)).toEqual([1, 2]);
    const oldSessions = new Set(strategy.positions.map((p) => p.session));
    const oldFills = strategy.fills.slice();

    engine = await startEngine(sys, threaded);
    await strategy.until('a snapshot from the restarted engine', () => strategy.positions.some((p) => !oldSessions.has(p.session) && p.symbol === 'BTCUSDT'));
    const recovered = strategy.positions.find((p) => !oldSessions.has(p.session) && p.symbol === 'BTCUSDT')!;
    expect([recovered.lastFillId, recovered.qty]).toEqual([2, signedSum(before)]);
    await strategy.until('restart announced on 11', () => strategy.states.some((x) => x.symbol === 'BTCUSDT' && x.reason === 'restart: resting orders cancelled'));
    await strategy.until('LIVE again after the restart', () => strategy.states.some((x) => x.symbol === '' && x.state === 3));
    // The journal's tail is published again at start (same ids and content; consumers skip ids they have).
    const isNew = (f: Fill): boolean => !oldFills.some((o) => o.session === f.session);
    await strategy.until('the journal tail republished', () => strategy.fills.filter(isNew).length >= 2);
    expect(strategy.fills.filter(isNew).map(({ session: _s, ...f }) => f)).toEqual(oldFills.map(({ session: _s, ...f }) => f));

    // The strategy re-quotes; a new client crosses: ids continue at 3.
    await strategy.quote(100, 0.2, 101, 0.2);
    await strategy.until('the new quote on the book', () => strategy.tops.some((t) => t.symbol === 'BTCUSDT' && t.price === 10_100));
    const taker2 = await TcpClient.connect(engine.tcpPort);
    clients.push(taker2);
    taker2.send('N, 8, BTCUSDT, 10000, 5000, S, 1');
    await strategy.until('fill 3 from the restarted engine', () => strategy.fills.some((f) => f.fillId === 3));
    await strategy.until('a position covering fill 3', () => strategy.positions.some((p) => p.lastFillId === 3));
    const all = journaled(journalPath);
    expect(all.map((f) => f.fillId)).toEqual([1, 2, 3]);
    expect(strategy.positions.filter((p) => p.lastFillId === 3).at(-1)!.qty).toBe(signedSum(all));

    // A quote that crosses a resting order on entry is the taker (fill 4, taker fee); positions carry every fee.
    taker2.send('N, 8, BTCUSDT, 10050, 7000, S, 2');
    await taker2.waitForLine((l) => l === 'A, BTCUSDT, 8, 2');
    await strategy.quote(100.6, 0.1, 101, 0.2);
    await strategy.until('fill 4: our bid took the resting sell', () => strategy.fills.some((f) => f.fillId === 4));
    expect(strategy.fills.find((f) => f.fillId === 4)).toMatchObject({ side: 1, price: 100.5 * E8, qty: 7_000_000, liquidity: TAKER, fee: feeE8(100.5, 0.07) });
    await strategy.until('a trade on 18 with our bid as the aggressor', () => strategy.trades.some((t) => t.price === 10_050 && t.buyUser === MM_USER && t.aggressor === 1));
    const feeSum = [1, 2, 3, 4].reduce((a, id) => a + strategy.fills.find((f) => f.fillId === id)!.fee, 0);
    expect(feeSum).toBeGreaterThan(0);
    await strategy.until('a position covering fill 4 with the sum of the fees', () => strategy.positions.some((p) => p.lastFillId === 4 && p.fees === feeSum));

    // SYNCING for one snapshot interval after the restart, then LIVE again.
    await waitFor(async () => (await mmHealth(sys)) === 0, { what: 'mm health matching-engine live after the restart', timeoutMs: 20_000, intervalMs: 50 });

    engine.proc.kill('SIGTERM');
    expect((await engine.proc.waitForExit(5000)).code).toBe(0);
  });
});
