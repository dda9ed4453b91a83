import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Aeron, Context, FragmentAssembler, type Header } from '@mm/aeron-client';
import type { AtomicBuffer } from '@mm/agrona';
import { FakeBinanceServer } from '@mm/fake-binance';
import {
  BookSnapshotDecoder, DecodeResult, HeartbeatDecoder, FillDecoder, MessageHeader, PositionDecoder, PullQuotesDecoder, QuoteDecoder, Side,
  StateDecoder, TemplateId, Venue,
} from '@mm/protocol';
import { checkHealth, Supervisor } from '@mm/cli';
import { createTestSystem, driverEnv, fakeMarketEnv, killAll, quoteNearMarketEnv, removeTempDirs, repoRoot, startDriver, waitFor, type ChildProcessHandle, type TestSystem } from '@mm/test-support';
import { afterEach } from 'vitest';

/**
 * Shared scaffolding of the fault suite: the fake Binance in-process, a test system (private Aeron and config dirs),
 * the product's services under the product's own `Supervisor` (so "restarted by the supervisor" is the real code
 * path), and a `Watcher` that reads 10/11/15/16/17 and checks the invariants every fault case relies on:
 * - every book on 10 equals the fake exchange's true book at its update id (top `BOOK_LEVELS` levels);
 * - simulator fill ids on 16 are consecutive (none lost, none duplicated), across restarts;
 * - every position on 17 equals the sum of the fills on 16 up to its lastFillId.
 * Limits: one symbol set (BTCUSDT, ETHUSDT unless given), the simulator venue only.
 */
export const BOOK_LEVELS = 10;
export const SERVICES = ['collector', 'pricing', 'strategy', 'simulator'] as const;
export type ServiceFolder = (typeof SERVICES)[number];
export const LOG_NAME: Record<ServiceFolder, string> = {
  collector: 'mm_collector', pricing: 'mm_pricing', strategy: 'mm_strategy', simulator: 'mm_simulator',
};
const CH = 'aeron:ipc?term-length=64k';

export interface FaultSystem {
  readonly fake: FakeBinanceServer;
  readonly sys: TestSystem;
  readonly sup: Supervisor;
  /** Every line each supervised process printed, by log name. */
  readonly output: Map<string, string[]>;
  /** Supervisor events (started / exited / restarting) with their time. */
  readonly events: { name: string; event: string; atMs: number; detail?: Record<string, unknown> }[];
}

/** Env that makes the four services trade quickly on the fake market, with files under the test's root. */
export function fastEnv(fake: FakeBinanceServer, sys: TestSystem): Record<string, string> {
  return {
    ...fakeMarketEnv(fake),
    ...quoteNearMarketEnv(),
    MM_COLLECTOR__BINANCE__RECONNECT_INITIAL_MS: '50',
    MM_COLLECTOR__BINANCE__RECONNECT_MAX_MS: '1000',
    MM_COLLECTOR__BINANCE__STALE_DATA_TIMEOUT_MS: '2000',
    MM_COLLECTOR__BINANCE__SNAPSHOT_TIMEOUT_MS: '1500',
    MM_COLLECTOR__BOOK__LEVELS: String(BOOK_LEVELS),
    MM_PRICING__QUALITY__MAX_BOOK_AGE_MS: '1000',
    MM_STRATEGY__QUOTING__MAX_PRICING_AGE_MS: '1000',
    MM_STRATEGY__RISK__KILL_SWITCH_FILE: join(sys.root, 'data/strategy/kill-switch.json'),
    MM_SIMULATOR__JOURNAL__DIR: join(sys.root, 'data/simulator'),
    // 2 s (test-support's default) is too tight when the shared 2-core machine is loaded (load average 10 seen): a
    // starved driver's heartbeat ages past it and a service exits. The driver-kill test sets 2 s back.
    AERON_DRIVER_TIMEOUT: '5000',
  };
}

/** The product driver with client liveness to match (5 s; unblock above it, as Aeron requires). */
export function startTolerantDriver(sys: TestSystem): Promise<ChildProcessHandle> {
  return startDriver(sys, { AERON_CLIENT_LIVENESS_TIMEOUT: '5000000000', AERON_PUBLICATION_UNBLOCK_TIMEOUT: '6000000000' });
}

export async function startFake(seed: number): Promise<FakeBinanceServer> {
  const fake = new FakeBinanceServer({ seed, depthIntervalMs: 20 });
  await fake.start();
  return fake;
}

export function script(folder: string): string {
  return join(repoRoot(), 'services', folder, 'dist/main.js');
}

/** A supervisor whose children's output and events are kept for assertions and figures. */
export function supervisor(sys: TestSystem, output: Map<string, string[]>, events: FaultSystem['events'],
  backoff: { initialMs: number; maxMs: number }): Supervisor {
  return new Supervisor({
    runDir: join(sys.root, 'run'),
    initialBackoffMs: backoff.initialMs,
    maxBackoffMs: backoff.maxMs,
    stopTimeoutMs: 3000,
    output: (name, line) => {
      const lines = output.get(name) ?? [];
      lines.push(line);
      if (lines.length > 5000) lines.splice(0, 1000);
      output.set(name, lines);
      if (process.env.MM_TEST_VERBOSE === '1') process.stderr.write(`[${name}] ${line}\n`);
    },
    event: (name, event, detail) => { events.push({ name, event, atMs: Date.now(), ...(detail ? { detail } : {}) }); },
  });
}

/** The driver as a supervised process (as `mm start` runs it). */
export function driverSpec(sys: TestSystem): { name: string; script: string; env: Record<string, string>; ready: RegExp } {
  return { name: 'aeronmd', script: script('aeronmd'), env: driverEnv(sys), ready: /media driver started/ };
}

/** Starts the fake, the given services under a supervisor (the driver is started by the caller). */
export async function startServices(
  fake: FakeBinanceServer, sys: TestSystem, sup: Supervisor, folders: readonly ServiceFolder[], extraEnv: Record<string, string> = {},
): Promise<void> {
  const env = { ...sys.env, ...fastEnv(fake, sys), ...extraEnv };
  for (const f of folders) await sup.add({ name: LOG_NAME[f], script: script(f), env });
}

export function newSystem(): { sys: TestSystem; output: Map<string, string[]>; events: FaultSystem['events'] } {
  return { sys: createTestSystem(), output: new Map(), events: [] };
}

/** What a fault case runs against: the fake, a test system, the supervised services and the invariant watcher. */
export interface FlowingPipeline {
  readonly fake: FakeBinanceServer;
  readonly sys: TestSystem;
  readonly output: Map<string, string[]>;
  readonly events: FaultSystem['events'];
  readonly sup: Supervisor;
  readonly watcher: Watcher;
}

/** The parts a case started, stopped after each case in the order that loses nothing (watcher, services, fake). */
export interface FaultRig {
  /** Fake (seeded) + tolerant driver + supervisor (100 ms → 1 s backoff) + attached watcher + the given services. */
  startFlowingPipeline(seed: number, folders?: readonly ServiceFolder[], extraEnv?: Record<string, string>): Promise<FlowingPipeline>;
  /** Hands parts a case built itself to the same teardown. */
  track(parts: { fake?: FakeBinanceServer; sup?: Supervisor; watcher?: Watcher }): void;
}

/** Call inside a `describe`: registers the teardown with `afterEach`. */
export function useFaultRig(): FaultRig {
  let fake: FakeBinanceServer | undefined;
  let sup: Supervisor | undefined;
  let watcher: Watcher | undefined;
  afterEach(async () => {
    watcher?.detach();
    await sup?.stop();
    await fake?.stop();
    fake = undefined; sup = undefined; watcher = undefined;
    await killAll();
    removeTempDirs();
  });
  return {
    track(parts) {
      fake = parts.fake ?? fake;
      sup = parts.sup ?? sup;
      watcher = parts.watcher ?? watcher;
    },
    async startFlowingPipeline(seed, folders = SERVICES, extraEnv = {}) {
      fake = await startFake(seed);
      const { sys, output, events } = newSystem();
      await startTolerantDriver(sys);
      sup = supervisor(sys, output, events, { initialMs: 100, maxMs: 1000 });
      watcher = new Watcher(sys, fake);
      await watcher.attach();
      await startServices(fake, sys, sup, folders, extraEnv);
      return { fake, sys, output, events, sup, watcher };
    },
  };
}

export function tail(output: Map<string, string[]>, n = 8): string {
  return [...output].map(([name, lines]) => `--- ${name}:\n${lines.slice(-n).join('\n')}`).join('\n');
}

export function healthy(sys: TestSystem, logName: string, pid?: number): boolean {
  const h = checkHealth(sys.aeronDir, logName, 3000, Date.now(), 5000);
  return h.live && (pid === undefined || h.pid === pid);
}

/** Prints one figure line the README table quotes: `FAULT-FIGURES {json}`. */
export function figures(caseName: string, values: Record<string, unknown>): void {
  // eslint-disable-next-line no-console
  console.log(`FAULT-FIGURES ${JSON.stringify({ case: caseName, ...values })}`);
}

/** Resident set size of a process in bytes from /proc (0 when it is gone). */
export function rssOf(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+) kB/.exec(text);
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Reads the pipeline's outputs from the test process and checks the invariants. `attach()` (re)connects to the
 * driver; after a driver restart the old client is dead, so the test calls `attach()` again — the counts and
 * fill bookkeeping survive it.
 */
export class Watcher {
  aeron: Aeron | undefined;
  private subs: { poll(h: (b: AtomicBuffer, o: number, l: number, hdr: Header) => void, limit: number): number }[] = [];
  /** Sessions whose messages are not the product's (a rogue publisher): skipped by every check. */
  readonly ignoreSessions = new Set<number>();
  /** The first real message seen per stream id (a copy), to derive malformed variants from. */
  readonly captured = new Map<number, Uint8Array>();
  /** Latest heartbeat (12) per service: its error and message counters. */
  readonly heartbeats = new Map<string, { errors: number; messagesIn: number; pid: number; atMs: number }>();
  private readonly heartbeat = new HeartbeatDecoder();
  readonly violations: string[] = [];
  /** The last error the client reported (shown in timeouts). */
  lastError = '';
  booksChecked = 0;
  readonly booksBySymbol = new Map<string, number>();
  /** Quotes and pulls on 15 in arrival order (symbol '' with all = true for a pull of every symbol). */
  readonly quoteLog: { kind: 'quote' | 'pull'; symbol: string; all: boolean; atMs: number }[] = [];
  twoSidedQuotes = 0;
  readonly quotesBySymbol = new Map<string, number>();
  readonly lastQuoteMs = new Map<string, number>();
  readonly pulls: { symbol: string; all: boolean; reason: number; atMs: number }[] = [];
  readonly fillIds: number[] = [];
  /** Fills received again with an id already seen and identical content (a restarted venue's republished tail). */
  repeatedFills = 0;
  private readonly fillById = new Map<number, { symbol: string; qty: number; price: number }>();
  positionsChecked = 0;
  maxPositionFillId = 0;
  /** Tick→quote latencies (ns) of two-sided quotes since the last `takeLatencies()`. */
  latencies: number[] = [];
  readonly states: { service: string; symbol: string; state: number; reason: string; atMs: number }[] = [];
  private readonly fillQty = new Map<string, number>();
  private readonly fillQtyAt = new Map<string, number>();
  private readonly book = new BookSnapshotDecoder();
  private readonly quote = new QuoteDecoder();
  private readonly pull = new PullQuotesDecoder();
  private readonly fill = new FillDecoder();
  private readonly pos = new PositionDecoder();
  private readonly state = new StateDecoder();
  private readonly lastU = new Map<string, number>();
  private readonly quoteAssembler = new FragmentAssembler((b, o, l, h) => { if (this.real(15, b, o, l, h)) this.onQuote(b, o, l); });
  private readonly bookAssembler = new FragmentAssembler((b, o, l, h) => { if (this.real(10, b, o, l, h)) this.onBook(b, o, l); });

  constructor(private readonly sys: TestSystem, private readonly fake: FakeBinanceServer | undefined) {}

  /**
   * `connectTimeoutMs`: how long to wait for a live driver (long while one is being restarted). `driverTimeoutMs`
   * also decides what counts as live at connect: while a killed driver's CnC is still there, use less than its
   * heartbeat's age, or the client connects to the dead driver.
   */
  async attach(connectTimeoutMs = 2000, driverTimeoutMs = 10_000): Promise<void> {
    this.detach();
    this.aeron = await Aeron.connect(new Context({
      aeronDir: this.sys.aeronDir, driverTimeoutMs, connectTimeoutMs, onError: (e) => { this.lastError = e.message; },
    }));
    const a = this.aeron;
    // Keepalives also while the test awaits something else (process starts, other clients connecting): a client
    // silent past the driver's liveness timeout (2 s in tests) is dropped with its subscriptions.
    a.startConductorTimer(10);
    this.subs = await Promise.all([
      a.addSubscription(CH, 10), a.addSubscription(CH, 11, { untethered: true }), a.addSubscription(CH, 15),
      a.addSubscription(CH, 16), a.addSubscription(CH, 17), a.addSubscription(CH, 12, { untethered: true }),
      a.addSubscription(CH, 13), a.addSubscription(CH, 14),
    ]);
  }

  detach(): void {
    try { this.aeron?.close(); } catch { /* the driver is gone */ }
    this.aeron = undefined;
    this.subs = [];
  }

  poll(): void {
    if (this.aeron === undefined || this.aeron.isClosed) return;
    try {
      this.aeron.doWork();
      const [books, states, quotes, fills, positions, heartbeats, trades, pricing] = this.subs;
      books!.poll(this.bookAssembler.handler, 200);
      states!.poll((b, o, l, h) => { if (this.real(11, b, o, l, h)) this.onState(b, o, l); }, 100);
      quotes!.poll(this.quoteAssembler.handler, 200);
      fills!.poll((b, o, l, h) => { if (this.real(16, b, o, l, h)) this.onFill(b, o, l); }, 200);
      positions!.poll((b, o, l, h) => { if (this.real(17, b, o, l, h)) this.onPosition(b, o, l); }, 200);
      heartbeats!.poll((b, o, l, h) => { if (this.real(12, b, o, l, h)) this.onHeartbeat(b, o, l); }, 100);
      trades!.poll((b, o, l, h) => { this.real(13, b, o, l, h); }, 200);
      pricing!.poll((b, o, l, h) => { this.real(14, b, o, l, h); }, 200);
    } catch {
      // The driver went away; the test re-attaches.
    }
  }

  /** Polls until `cond` holds, failing with the supervised processes' last lines. */
  async until(what: string, cond: () => boolean, timeoutMs: number, output?: Map<string, string[]>): Promise<void> {
    try {
      await waitFor(() => { this.poll(); return cond(); }, { what, timeoutMs, intervalMs: 2 });
    } catch (error) {
      throw new Error(`${(error as Error).message}; ${this.summary()}${output ? `\n${tail(output)}` : ''}`);
    }
  }

  summary(): string {
    return `books checked ${this.booksChecked}, two-sided quotes ${this.twoSidedQuotes}, fills ${this.fillIds.length}, ` +
      `positions checked ${this.positionsChecked}, violations ${this.violations.slice(0, 3).join('; ')}` +
      `${this.aeron?.isClosed ? ', reader client CLOSED' : ''}${this.lastError ? `, last client error: ${this.lastError}` : ''}`;
  }

  takeLatencies(): number[] {
    const l = this.latencies;
    this.latencies = [];
    return l;
  }

  booksOf(symbol: string): number {
    return this.booksBySymbol.get(symbol) ?? 0;
  }

  quotesOf(symbol: string): number {
    return this.quotesBySymbol.get(symbol) ?? 0;
  }

  /** False for a rogue session's message; keeps a copy of the first real message of each stream. */
  private real(stream: number, b: AtomicBuffer, o: number, l: number, h: { sessionId: number }): boolean {
    if (this.ignoreSessions.has(h.sessionId)) return false;
    if (!this.captured.has(stream)) this.captured.set(stream, b.bytes.slice(o, o + l));
    return true;
  }

  private onHeartbeat(b: AtomicBuffer, o: number, l: number): void {
    const d = this.heartbeat;
    if (d.wrapChecked(b, o, l) !== DecodeResult.OK) return;
    this.heartbeats.set(d.service(), { errors: d.errors(), messagesIn: d.messagesIn(), pid: d.pid(), atMs: Date.now() });
  }

  private onBook(b: AtomicBuffer, o: number, l: number): void {
    const d = this.book;
    if (d.wrapChecked(b, o, l) !== DecodeResult.OK) { this.violations.push('undecodable book on 10'); return; }
    if (this.fake === undefined) return;
    const sym = d.symbol();
    const u = d.lastUpdateId();
    const prev = this.lastU.get(sym);
    if (prev !== undefined && u < prev) this.violations.push(`${sym}: book update id went back from ${prev} to ${u}`);
    this.lastU.set(sym, u);
    const truth = this.fake.trueBookAt(sym, u);
    if (truth === undefined) { this.violations.push(`${sym}: no true book at ${u}`); return; }
    const nb = Math.min(BOOK_LEVELS, truth.bids.length);
    const na = Math.min(BOOK_LEVELS, truth.asks.length);
    if (d.bidCount() !== nb || d.askCount() !== na) this.violations.push(`${sym}@${u}: ${d.bidCount()}/${d.askCount()} levels, exchange ${nb}/${na}`);
    for (let i = 0; i < Math.min(d.bidCount(), nb); i++) {
      if (d.bidPrice(i) !== truth.bids[i]![0] || d.bidQty(i) !== truth.bids[i]![1]) { this.violations.push(`${sym}@${u}: bid ${i} differs from the exchange`); break; }
    }
    for (let i = 0; i < Math.min(d.askCount(), na); i++) {
      if (d.askPrice(i) !== truth.asks[i]![0] || d.askQty(i) !== truth.asks[i]![1]) { this.violations.push(`${sym}@${u}: ask ${i} differs from the exchange`); break; }
    }
    this.booksChecked++;
    this.booksBySymbol.set(sym, (this.booksBySymbol.get(sym) ?? 0) + 1);
  }

  private onQuote(b: AtomicBuffer, o: number, l: number): void {
    const t = MessageHeader.templateId(b, o);
    if (t === TemplateId.PULL_QUOTES) {
      if (this.pull.wrapChecked(b, o, l) !== DecodeResult.OK) return;
      this.pulls.push({ symbol: this.pull.symbol(), all: this.pull.allSymbols(), reason: this.pull.reason(), atMs: Date.now() });
      this.quoteLog.push({ kind: 'pull', symbol: this.pull.symbol(), all: this.pull.allSymbols(), atMs: Date.now() });
      return;
    }
    if (t !== TemplateId.QUOTE) return;
    const q = this.quote;
    if (q.wrapChecked(b, o, l) !== DecodeResult.OK) { this.violations.push('undecodable quote on 15'); return; }
    const sym = q.symbol();
    this.quotesBySymbol.set(sym, (this.quotesBySymbol.get(sym) ?? 0) + 1);
    this.lastQuoteMs.set(sym, Date.now());
    this.quoteLog.push({ kind: 'quote', symbol: sym, all: false, atMs: Date.now() });
    if (q.hasBid() && q.hasAsk()) {
      this.twoSidedQuotes++;
      if (!(q.bidPrice() < q.askPrice())) this.violations.push(`crossed quote ${q.bidPrice()} >= ${q.askPrice()}`);
      if (q.recvTimeNs() > 0 && q.sendTimeNs() >= q.recvTimeNs()) this.latencies.push(q.sendTimeNs() - q.recvTimeNs());
    }
  }

  private onFill(b: AtomicBuffer, o: number, l: number): void {
    const f = this.fill;
    if (f.wrapChecked(b, o, l) !== DecodeResult.OK) { this.violations.push('undecodable fill on 16'); return; }
    if (f.venue() !== Venue.SIMULATOR) return;
    const id = f.fillId();
    const sym = f.symbol();
    const signed = f.side() === Side.BUY ? f.qty() : -f.qty();
    const last = this.fillIds.at(-1);
    if (last !== undefined && id <= last) {
      // A restarted simulator republishes its journal's tail: the same fill again is skipped (as consumers do);
      // a different fill under a used id is a duplicate.
      const seen = this.fillById.get(id);
      if (seen === undefined || seen.symbol !== sym || seen.qty !== signed || seen.price !== f.price()) this.violations.push(`fill id ${id} reused for a different fill`);
      else this.repeatedFills++;
      return;
    }
    // Every test starts with an empty journal: the first fill is id 1, so sums from here are complete.
    if (last === undefined && id !== 1) this.violations.push(`first fill seen is ${id}, not 1 (fills lost before it)`);
    if (last !== undefined && id !== last + 1) this.violations.push(`fill id ${id} after ${last} (fills lost)`);
    this.fillIds.push(id);
    this.fillById.set(id, { symbol: sym, qty: signed, price: f.price() });
    this.fillQty.set(sym, (this.fillQty.get(sym) ?? 0) + signed);
    for (const [s, q] of this.fillQty) this.fillQtyAt.set(`${s}@${id}`, q);
  }

  private onPosition(b: AtomicBuffer, o: number, l: number): void {
    const p = this.pos;
    if (p.wrapChecked(b, o, l) !== DecodeResult.OK) { this.violations.push('undecodable position on 17'); return; }
    if (p.venue() !== Venue.SIMULATOR) return;
    const lastFillId = p.lastFillId();
    this.maxPositionFillId = Math.max(this.maxPositionFillId, lastFillId);
    // Fills the test saw start at the first id it received; a snapshot from before that cannot be compared.
    const first = this.fillIds[0];
    if (first === undefined || lastFillId < first || lastFillId > this.fillIds.at(-1)!) return;
    const expected = this.fillQtyAt.get(`${p.symbol()}@${lastFillId}`) ?? 0;
    this.positionsChecked++;
    if (p.quantity() !== expected) this.violations.push(`${p.symbol()} position ${p.quantity()} != sum of fills ${expected} at fill ${lastFillId}`);
  }

  private onState(b: AtomicBuffer, o: number, l: number): void {
    const s = this.state;
    if (s.wrapChecked(b, o, l) !== DecodeResult.OK) return;
    this.states.push({ service: s.service(), symbol: s.symbol(), state: s.state(), reason: s.reason(), atMs: Date.now() });
  }
}
