/**
 * Threaded mode == single-threaded mode, byte for byte per client, on a long random stream: several clients,
 * symbols on both processors, cancels with and without symbol, duplicate ids on the same and on the other
 * processor, market orders, zero quantities, rejects decided on the I/O thread, flushes, client sweeps and
 * encoding switches. (A process test because the workers run the compiled dist/matchingWorker.js.)
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CORE_LIMITS, Encoding, symbolHi, symbolLo, type CoreLimits } from '@mm/matching';
import { DirectMatcher } from '../src/DirectMatcher.js';
import { EngineCounters } from '../src/EngineCounters.js';
import type { Matcher } from '../src/Matcher.js';
import { OutputRouter } from '../src/OutputRouter.js';
import { ThreadedMatcher, processorOf } from '../src/ThreadedMatcher.js';
import { RecordingChannel } from './support/RecordingChannel.js';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYMBOLS = ['AAPL', 'IBM', 'MSFT', 'NVDA', 'TSLA', 'ZZ', 'bac', 'xom', '1X'];
const CLIENTS = 5;

type Op = (m: Matcher) => void;

function stream(n: number, seed: number): Op[] {
  const rnd = mulberry32(seed);
  const ops: Op[] = [];
  const entered: [number, number, number, string][] = []; // client, uid, oid, symbol
  for (let i = 0; i < n; i++) {
    const c = 1 + Math.floor(rnd() * CLIENTS);
    const enc: Encoding = rnd() < 0.2 ? Encoding.BINARY : Encoding.CSV;
    const uid = c % 3 === 0 ? 7 : c; // clients 3 and 6 share a user id
    const r = rnd();
    if (r < 0.55) {
      const sym = SYMBOLS[Math.floor(rnd() * SYMBOLS.length)];
      const dup = rnd() < 0.03 && entered.length > 0;
      const oid = dup ? entered[Math.floor(rnd() * entered.length)][2] : 1 + i;
      const price = rnd() < 0.08 ? 0 : 100 + Math.floor(rnd() * 11) - 5;
      const qty = rnd() < 0.01 ? 0 : 1 + Math.floor(rnd() * 50);
      const side = rnd() < 0.5 ? 0x42 : 0x53;
      if (!dup) entered.push([c, uid, oid, sym]);
      ops.push((m) => m.newOrder(c, enc, uid, oid, symbolHi(sym), symbolLo(sym), price, qty, side));
    } else if (r < 0.85 && entered.length > 0) {
      const [oc, ou, oo, os] = entered[Math.floor(rnd() * entered.length)];
      const byOwner = rnd() < 0.8;
      const cc = byOwner ? oc : 1 + Math.floor(rnd() * CLIENTS);
      const withSym = rnd() < 0.5;
      const sym = rnd() < 0.1 ? SYMBOLS[Math.floor(rnd() * SYMBOLS.length)] : os;
      ops.push((m) => m.cancel(cc, enc, ou, oo, symbolHi(sym), symbolLo(sym), withSym, false));
    } else if (r < 0.88) {
      ops.push((m) => m.reject(c, enc, 0, 0, uid, 5, 8));
    } else if (r < 0.885) {
      ops.push((m) => m.flush(c, enc));
    } else if (r < 0.888) {
      ops.push((m) => m.cancelClientOrders(c));
    } else {
      // cancel of an id that never existed (routed by the order map to processor 0)
      ops.push((m) => m.cancel(c, enc, uid, 0x7fffff00 + i, 0, 0, false, false));
    }
  }
  return ops;
}

/** Per client the bytes it received; `aggressors`, if given, gets every trade's aggressor side byte in order. */
function run(threaded: boolean, ops: Op[], limits: CoreLimits, counters = new EngineCounters(), aggressors: number[] = []): Promise<Buffer[]> {
  const router = new OutputRouter(counters);
  router.marketData = { onTrade: (...a) => { aggressors.push(a[8]); }, onTopOfBook: () => {} };
  const chans: RecordingChannel[] = [];
  for (let c = 1; c <= CLIENTS; c++) {
    const ch = new RecordingChannel(c, '127.0.0.1');
    chans.push(ch);
    router.add(ch);
  }
  const m: Matcher = threaded ? new ThreadedMatcher(limits, router, 1 << 10) : new DirectMatcher(limits, router);
  for (let i = 0; i < ops.length; i++) {
    ops[i](m);
    if ((i & 63) === 0) m.poll();
  }
  while (m.inFlight > 0) m.poll();
  const out = chans.map((c) => c.bytes());
  return m.close().then(() => out);
}

describe('threaded mode', () => {
  it('routes symbols A–M (and non-letters) to processor 0, N–Z to 1, case-insensitively', () => {
    expect(['AAPL', 'mSFT', '1X', 'IBM'].map((s) => processorOf(symbolHi(s)))).toEqual([0, 0, 0, 0]);
    expect(['NVDA', 'tsla', 'ZZ', 'xom'].map((s) => processorOf(symbolHi(s)))).toEqual([1, 1, 1, 1]);
  });

  it('applies the per-user open-order limit across processors exactly as one core (seed 4, limit 25)', async () => {
    const ops = stream(40_000, 4);
    const limits = { ...DEFAULT_CORE_LIMITS, maxOrders: 1 << 16, maxBooks: 32, maxLevelsPerBook: 256, maxOpenOrdersPerUser: 25 };
    const sc = new EngineCounters();
    const tc = new EngineCounters();
    const single = await run(false, ops, limits, sc);
    const threaded = await run(true, ops, limits, tc);
    // The limit is actually hit, the same number of times.
    expect(sc.rejectsByReason[6]).toBeGreaterThan(20);
    expect(tc.rejectsByReason[6]).toBe(sc.rejectsByReason[6]);
    for (let c = 0; c < CLIENTS; c++) expect(threaded[c].equals(single[c]), `client ${c + 1}`).toBe(true);
  });

  it('applies max-orders and max-books globally across processors exactly as one core (seed 5)', async () => {
    const ops = stream(30_000, 5);
    // 9 symbols over both processors, 6 books; at most 40 resting orders in all.
    const limits = { ...DEFAULT_CORE_LIMITS, maxOrders: 40, maxBooks: 6, maxLevelsPerBook: 256 };
    const sc = new EngineCounters();
    const tc = new EngineCounters();
    const single = await run(false, ops, limits, sc);
    const threaded = await run(true, ops, limits, tc);
    expect(sc.rejectsByReason[6]).toBeGreaterThan(1000);
    expect(tc.rejectsByReason[6]).toBe(sc.rejectsByReason[6]);
    for (let c = 0; c < CLIENTS; c++) expect(threaded[c].equals(single[c]), `client ${c + 1}`).toBe(true);
  });

  it('fills the order pool and the books across both processors: the next limit order or new symbol is refused (6)', async () => {
    const limits = { ...DEFAULT_CORE_LIMITS, maxOrders: 4, maxBooks: 3, maxLevelsPerBook: 16 };
    const sym = (s: string): [number, number] => [symbolHi(s), symbolLo(s)];
    const ops: Op[] = [
      // Books AAPL (processor 0) and NVDA (1); ZZ (1) is the third and last book.
      (m) => m.newOrder(1, Encoding.CSV, 1, 1, ...sym('AAPL'), 100, 1, 0x42),
      (m) => m.newOrder(1, Encoding.CSV, 1, 2, ...sym('AAPL'), 99, 1, 0x42),
      (m) => m.newOrder(2, Encoding.CSV, 2, 1, ...sym('NVDA'), 100, 1, 0x53),
      (m) => m.newOrder(2, Encoding.CSV, 2, 2, ...sym('ZZ'), 100, 1, 0x53),
      // 4 resting in all: limit orders on either processor are refused, a market order is not.
      (m) => m.newOrder(3, Encoding.CSV, 3, 1, ...sym('NVDA'), 101, 1, 0x53),
      (m) => m.newOrder(3, Encoding.CSV, 3, 2, ...sym('AAPL'), 98, 1, 0x42),
      (m) => m.newOrder(3, Encoding.CSV, 3, 3, ...sym('NVDA'), 0, 1, 0x42),
      (m) => m.newOrder(3, Encoding.CSV, 3, 4, ...sym('AAPL'), 97, 1, 0x42),
      // A fourth symbol: no book left (6); a duplicate id in a new symbol is 5 first.
      (m) => m.newOrder(4, Encoding.CSV, 4, 1, ...sym('IBM'), 100, 1, 0x42),
      (m) => m.newOrder(4, Encoding.CSV, 1, 1, ...sym('TSLA'), 100, 1, 0x42),
      (m) => m.newOrder(4, Encoding.CSV, 4, 2, ...sym('IBM'), 0, 1, 0x42),
    ];
    const single = await run(false, ops, limits);
    const threaded = await run(true, ops, limits);
    const text = (b: Buffer): string[] => b.toString().trimEnd().split('\n');
    // After the market order 3 rest, so the next limit order is accepted (the best bid is unchanged: no B).
    expect(text(single[2])).toEqual(['R, NVDA, 3, 1, 6', 'R, AAPL, 3, 2, 6', 'A, NVDA, 3, 3', 'T, NVDA, 3, 3, 2, 1, 100, 1', 'B, NVDA, S, -, -', 'A, AAPL, 3, 4']);
    expect(text(single[3])).toEqual(['R, IBM, 4, 1, 6', 'R, TSLA, 1, 1, 5', 'R, IBM, 4, 2, 6']);
    for (let c = 0; c < CLIENTS; c++) expect(threaded[c].equals(single[c]), `client ${c + 1}: ${threaded[c].toString()} vs ${single[c].toString()}`).toBe(true);
  });

  for (const seed of [1, 2, 3]) {
    it(`gives every client the same bytes as single-threaded (seed ${seed}, 60k messages)`, async () => {
      const ops = stream(60_000, seed);
      const limits = { ...DEFAULT_CORE_LIMITS, maxOrders: 1 << 16, maxBooks: 32, maxLevelsPerBook: 256 };
      const singleAggressors: number[] = [];
      const threadedAggressors: number[] = [];
      const single = await run(false, ops, limits, new EngineCounters(), singleAggressors);
      const threaded = await run(true, ops, limits, new EngineCounters(), threadedAggressors);
      // The aggressor side (not on the wire) crosses the workers' rings too.
      expect(new Set(singleAggressors)).toEqual(new Set([0x42, 0x53]));
      expect(threadedAggressors).toEqual(singleAggressors);
      for (let c = 0; c < CLIENTS; c++) {
        expect(single[c].length, `client ${c + 1} produced output`).toBeGreaterThan(1000);
        expect(threaded[c].equals(single[c]), `client ${c + 1}: ${threaded[c].length} vs ${single[c].length} bytes`).toBe(true);
      }
    });
  }
});
