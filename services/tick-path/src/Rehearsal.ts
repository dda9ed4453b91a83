/**
 * Keeps the tick's path warm in a quiet market: on this kind of VM code that last ran 10 ms ago runs ~25× slower
 * than hot (BENCHMARKS.md, cold path), so a sparse tick pays that on every step of its path. A rehearsal runs a
 * synthetic tick through scratch copies of the same classes — the Binance adapter (frame parse, depth sync), the
 * collector's publisher (book encode), PricingAgent (fair value), StrategyAgent (decision, quote encode) and
 * SimulatorAgent (the venue the scratch strategy needs to quote) — with its own manual clock. In the host they talk
 * over the host's own Aeron client on private streams (`scratchStreamIds`), so the Aeron offer, the doorbell check
 * and the image poll a real tick takes are rehearsed too; without a transport (tests) over an in-memory one. Nothing
 * reaches the product's streams, the log or the real services' state; its files live in a temp dir
 * (`mm-rehearsal-<pid>-…`, removed at close; a killed host's is removed by the next one). The scratch services read
 * the same TOML as the real ones, so the code takes the same branches.
 *
 * The scratch market: a book around a moving mid, one depth event and one trade per step (100 ms of scratch time
 * apart, so throttles and volatility sampling behave as in a 10-event-a-second market). The scratch venue's orders
 * never rest, so it never fills; should it fill anyway, the pipeline is rebuilt after MAX_FILLS so its journal and
 * position stay bounded.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { loadBacktestConfig, type BacktestConfig } from '@mm/backtest';
import { MarketDataAdapter } from '@mm/binance';
import { CollectorPublisher } from '@mm/collector';
import { PricingAgent } from '@mm/pricing';
import {
  InMemoryTransport, ManualClock, ServiceStatus, processExists, stageTrace, type Agent, type Publisher, type Subscriber, type Transport,
} from '@mm/runtime';
import { SimulatorAgent } from '@mm/simulator';
import { KillSwitchStore, StrategyAgent, toStrategySettings, type StrategySettings } from '@mm/strategy';

const STEP_NS = 100e6;
const MAX_ROUNDS = 64;
const MAX_FILLS = 1000;
/** Steps run at creation, so pricing has its volatility samples and the strategy its snapshots before the first rehearsal. */
const PRIMING_STEPS = 100;
const PRIMING_CHUNK = 5;
const LEVELS = 20;

export interface RehearsalCounters {
  readonly steps: number;
  readonly books: number;
  /** Scratch books that met back pressure (stepping faster than the driver moves the publication's limit). */
  readonly booksDropped: number;
  readonly fairValues: number;
  readonly quotes: number;
  /** Fills of the current scratch pipeline (none expected: its venue's orders never rest). */
  readonly fills: number;
  readonly rebuilds: number;
}

const DIR_PREFIX = 'mm-rehearsal-';

/** Removes the scratch dirs of hosts that were killed before they could (`mm-rehearsal-<pid>-…`). */
export function removeStaleScratchDirs(root = tmpdir()): number {
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!name.startsWith(DIR_PREFIX)) continue;
    const pid = Number.parseInt(name.slice(DIR_PREFIX.length), 10);
    if (!(pid > 0)) continue;
    if (pid === process.pid || processExists(pid)) continue;
    rmSync(join(root, name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}

/** The streams a scratch pipeline uses, in `scratchStreamIds` order. */
const SCRATCH_STREAMS = ['book', 'trade', 'state', 'heartbeat', 'pricing', 'quote', 'fill', 'position'] as const;
type ScratchStream = (typeof SCRATCH_STREAMS)[number];
/** Small terms: the scratch logs hold a few synthetic messages at a time (8 logs of 192 KiB in the Aeron dir). */
const SCRATCH_CHANNEL = 'aeron:ipc?term-length=64k';
/** The doorbell bit (stream id & 31) of the first scratch stream: bits 21–28, which no product stream (10–20) uses. */
const FIRST_SCRATCH_BIT = 21;

/**
 * Private stream ids for one host's scratch pipeline: a random multiple of 32 plus 21…28, so they ring doorbell bits
 * no service sleeps on and two hosts on one driver (one per container sharing its IPC namespace, where pids repeat)
 * almost surely differ. Were they ever to collide, the two rehearsals would only see each other's synthetic traffic.
 */
export function scratchStreamIds(random: () => number = Math.random): Record<ScratchStream, number> {
  const base = 32 * (1 + Math.floor(random() * (1 << 20))) + FIRST_SCRATCH_BIT;
  return Object.fromEntries(SCRATCH_STREAMS.map((name, i) => [name, base + i])) as Record<ScratchStream, number>;
}

export interface RehearsalOptions {
  /** The services' configuration: MM_CONFIG_DIR and overrides (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * The host's transport (its Aeron client): the scratch pipeline publishes and reads on private streams of it.
   * Default: an in-memory transport of its own.
   */
  readonly transport?: Transport;
  /** How long the scratch streams may take to connect (the driver links them; default 5 s). */
  readonly connectTimeoutMs?: number;
  /** The scratch stream ids (default `scratchStreamIds()`). */
  readonly streamIds?: Record<ScratchStream, number>;
}

/** One scratch pipeline; `Rehearsal` rebuilds it when it has filled too much. */
class ScratchPipeline {
  readonly clock = new ManualClock(0, Date.now());
  readonly adapter: MarketDataAdapter;
  readonly collector: CollectorPublisher;
  readonly pricing: PricingAgent;
  readonly strategy: StrategyAgent;
  readonly simulator: SimulatorAgent;
  private readonly agents: Agent[];
  private updateId = 1;
  private k = 0;
  private tradeId = 0;
  private prevBid = '';
  private prevAsk = '';
  /** The wave's amplitude (price units): three of the symbol's requote thresholds, so most steps requote. */
  private readonly amplitude: number;
  private readonly mid: number;

  /** Builds the pipeline on `transport` and waits until its streams are connected; the book is then live. */
  static async open(symbol: string, options: RehearsalOptions): Promise<ScratchPipeline> {
    const dir = mkdtempSync(join(tmpdir(), `${DIR_PREFIX}${process.pid}-`));
    const owned = options.transport === undefined ? new InMemoryTransport({ logCapacity: 1 << 18 }) : undefined;
    const transport = options.transport ?? owned!;
    const endpoints: (Publisher | Subscriber)[] = [];
    const close = (): void => {
      for (const e of endpoints) e.close();
      owned?.close();
      rmSync(dir, { recursive: true, force: true });
    };
    try {
      const config = loadScratchConfig(symbol, dir, options.env ?? process.env);
      const ids = options.streamIds ?? scratchStreamIds();
      // Its venue is the scratch simulator whatever the real strategy trades against (with "engine" it would wait
      // for the engine's heartbeats and never quote).
      const settings = toStrategySettings({ ...config.strategy, venue: 'simulator' }, config.symbols, 0, config.symbolOverrides);
      const calibrating = settings.symbols.some((x) => x.calibration !== undefined);
      const track = <T extends Publisher | Subscriber>(e: T): T => {
        endpoints.push(e);
        return e;
      };
      const pub = async (name: ScratchStream): Promise<Publisher> => track(await transport.addExclusivePublication(SCRATCH_CHANNEL, ids[name]));
      const sub = async (name: ScratchStream): Promise<Subscriber> => track(await transport.addSubscription(SCRATCH_CHANNEL, ids[name]));
      const pubs = {} as Record<ScratchStream, Publisher>;
      for (const name of SCRATCH_STREAMS) pubs[name] = await pub(name);
      const subs = {
        pricing: { book: await sub('book'), trade: await sub('trade'), state: await sub('state') },
        strategy: {
          pricing: await sub('pricing'), fills: await sub('fill'), positions: await sub('position'), states: await sub('state'),
          heartbeats: await sub('heartbeat'), trades: calibrating ? await sub('trade') : undefined,
        },
        simulator: { quotes: await sub('quote'), books: await sub('book'), trades: await sub('trade') },
      };
      await connected(endpoints, options.connectTimeoutMs ?? 5000, ids);
      return new ScratchPipeline(symbol, dir, config, settings, pubs, subs, close);
    } catch (error) {
      close();
      throw error;
    }
  }

  private constructor(
    symbol: string,
    dir: string,
    config: BacktestConfig,
    settings: StrategySettings,
    pubs: Record<ScratchStream, Publisher>,
    subs: {
      pricing: { book: Subscriber; trade: Subscriber; state: Subscriber };
      strategy: { pricing: Subscriber; fills: Subscriber; positions: Subscriber; states: Subscriber; heartbeats: Subscriber; trades: Subscriber | undefined };
      simulator: { quotes: Subscriber; books: Subscriber; trades: Subscriber };
    },
    private readonly closeEndpoints: () => void,
  ) {
    const threshold = Number(config.strategy.symbols[symbol]?.requoteThreshold ?? 1);
    this.amplitude = Math.max(0.05, 3 * (Number.isFinite(threshold) ? threshold : 1));
    this.mid = Math.max(100, Math.ceil(100 * this.amplitude));
    // The four scratch services share one state and one heartbeat publication (one thread writes them all).
    const status = (name: string): ServiceStatus => new ServiceStatus(name, 0, this.clock, pubs.state, pubs.heartbeat, 1e9);
    const quiet = (): void => {};
    const collectorStatus = status('mm_collector');
    this.collector = new CollectorPublisher(config.symbols, config.bookLevels, pubs.book, pubs.trade, collectorStatus, quiet);
    const pricingStatus = status('mm_pricing');
    this.pricing = new PricingAgent(config.pricing, subs.pricing.book, subs.pricing.trade, subs.pricing.state, pubs.pricing, this.clock, pricingStatus, quiet);
    const strategyStatus = status('mm_strategy');
    this.strategy = new StrategyAgent(settings, subs.strategy, pubs.quote, this.clock, strategyStatus,
      new KillSwitchStore(join(dir, 'kill-switch.json'), () => this.clock.epochMs()), quiet);
    const simulatorStatus = status('mm_simulator');
    // Its orders never come to rest (an entry latency of ~30 years of scratch time), so the scratch venue never fills,
    // whatever the quotes; it still takes every quote and publishes positions and heartbeats as a venue does.
    this.simulator = new SimulatorAgent({ ...config.simulator, entryLatencyNs: 1e18 }, {
      ...subs.simulator, fills: pubs.fill, positions: pubs.position,
    }, { dir, fsync: { mode: 'batch', maxRecords: 1_000_000, maxDelayMs: 60_000 } }, this.clock, simulatorStatus, quiet);
    this.simulator.start();
    const statusAgent = (x: ServiceStatus): Agent => ({ roleName: 'status', doWork: () => x.doWork() });
    this.agents = [
      { roleName: 'collector', doWork: () => this.collector.doWork() }, statusAgent(collectorStatus),
      this.pricing, statusAgent(pricingStatus), this.strategy, statusAgent(strategyStatus), this.simulator, statusAgent(simulatorStatus),
    ];
    this.adapter = new MarketDataAdapter([symbol], this.collector, { onSnapshotNeeded: () => {} });
    this.startBook(symbol);
  }

  /** A depth event buffered, then the snapshot it follows: the symbol is LIVE. */
  private startBook(symbol: string): void {
    this.clock.setNanoTime(STEP_NS);
    this.adapter.onFrame(this.depthFrame(symbol), this.clock.nanoTime());
    // Every snapshot level lies beyond the moving best bid and ask, which therefore never cross it.
    const level = (side: number, i: number): string => `["${(this.mid + side * (0.5 + this.amplitude + 0.01 * (i + 1))).toFixed(2)}","1.00000000"]`;
    const bids = Array.from({ length: LEVELS }, (_, i) => level(-1, i)).join(',');
    const asks = Array.from({ length: LEVELS }, (_, i) => level(1, i)).join(',');
    this.adapter.onSnapshotText(symbol, `{"lastUpdateId":${this.updateId},"bids":[${bids}],"asks":[${asks}]}`, this.clock.nanoTime());
    this.settle();
  }

  /**
   * The next depth event: the best bid and ask, a unit apart, move with a wave inside the snapshot's levels (the
   * previous event's levels removed), so the book never locks and the fair value and the quote change.
   */
  private depthFrame(symbol: string): string {
    const u = ++this.updateId;
    const k = ++this.k;
    const shift = this.amplitude * Math.sin(k / 5);
    const bid = (this.mid - 0.5 + shift).toFixed(2);
    const ask = (this.mid + 0.5 + shift).toFixed(2);
    const q = (1 + (k % 5) / 4).toFixed(8);
    const bids = this.prevBid === '' || this.prevBid === bid ? `["${bid}","${q}"]` : `["${this.prevBid}","0"],["${bid}","${q}"]`;
    const asks = this.prevAsk === '' || this.prevAsk === ask ? `["${ask}","${q}"]` : `["${this.prevAsk}","0"],["${ask}","${q}"]`;
    this.prevBid = bid;
    this.prevAsk = ask;
    return `{"stream":"${symbol.toLowerCase()}@depth@100ms","data":{"e":"depthUpdate","E":${Math.floor(this.clock.epochMs())},"s":"${symbol}","U":${u},"u":${u},"b":[${bids}],"a":[${asks}]}}`;
  }

  /** A trade between the best bid and ask (the venue's orders never rest, so it fills nothing). */
  private tradeFrame(symbol: string): string {
    const id = ++this.tradeId;
    const ms = Math.floor(this.clock.epochMs());
    return `{"stream":"${symbol.toLowerCase()}@trade","data":{"e":"trade","E":${ms},"s":"${symbol}","t":${id},"p":"${(this.mid + this.amplitude * Math.sin(this.k / 5)).toFixed(2)}","q":"0.01000000","T":${ms},"m":${(id & 1) === 0},"M":true}}`;
  }

  step(symbol: string): void {
    this.clock.setNanoTime(this.clock.nanoTime() + STEP_NS);
    this.adapter.onFrame(this.depthFrame(symbol), this.clock.nanoTime());
    this.settle();
    this.adapter.onFrame(this.tradeFrame(symbol), this.clock.nanoTime());
    this.settle();
  }

  private settle(): void {
    const agents = this.agents;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      let work = 0;
      for (let i = 0; i < agents.length; i++) work += agents[i]!.doWork();
      if (work === 0 && !this.simulator.releaseNextHeld()) return;
    }
  }

  close(): void {
    this.simulator.stop();
    this.closeEndpoints();
  }
}

/** The real services' configuration for the scratch symbol, with a made-up instrument (ticks of 0.01) in `dir`. */
function loadScratchConfig(symbol: string, dir: string, env: NodeJS.ProcessEnv): BacktestConfig {
  const exchangeInfo = join(dir, 'exchangeInfo.json');
  writeFileSync(exchangeInfo, JSON.stringify({
    symbols: [{
      symbol, status: 'TRADING', baseAsset: symbol.replace(/USDT$/, ''), quoteAsset: 'USDT', filters: [
        { filterType: 'PRICE_FILTER', minPrice: '0.01000000', maxPrice: '1000000.00000000', tickSize: '0.01000000' },
        { filterType: 'LOT_SIZE', minQty: '0.00001000', maxQty: '9000.00000000', stepSize: '0.00001000' },
      ],
    }],
  }));
  return loadBacktestConfig({ symbols: [symbol], exchangeInfo, env });
}

/** Resolves once every publication has a reader and every subscription an image (the driver links them). */
async function connected(endpoints: readonly (Publisher | Subscriber)[], timeoutMs: number, ids: Record<ScratchStream, number>): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!endpoints.every((e) => e.isConnected())) {
    if (performance.now() > deadline) {
      const waiting = endpoints.filter((e) => !e.isConnected()).map((e) => e.streamId);
      throw new Error(`scratch streams ${[...new Set(waiting)].join(', ')} not connected within ${timeoutMs} ms (scratch stream ids ${Object.values(ids).join(', ')})`);
    }
    await delay(1);
  }
}

export class Rehearsal {
  /** Undefined while a rebuild is under way. */
  private pipeline: ScratchPipeline | undefined;
  private rebuildError: Error | undefined;
  private closed = false;
  private steps = 0;
  private rebuilds = 0;
  private base = { books: 0, booksDropped: 0, fairValues: 0, quotes: 0 };

  /**
   * Builds the scratch pipeline for `symbol` from the services' configuration (`options.env`), connects its streams
   * and primes it (≈ 50 ms once: pricing's volatility samples, the strategy's snapshots).
   */
  static async create(symbol: string, options: RehearsalOptions = {}): Promise<Rehearsal> {
    removeStaleScratchDirs();
    const r = new Rehearsal(symbol, options);
    r.pipeline = await r.build();
    return r;
  }

  private constructor(
    private readonly symbol: string,
    private readonly options: RehearsalOptions,
  ) {}

  private async build(): Promise<ScratchPipeline> {
    const p = await ScratchPipeline.open(this.symbol, this.options);
    try {
      // In chunks, one per event-loop turn: a real tick arriving meanwhile waits for a chunk, not the whole priming
      // (≈ 50 ms), and the driver moves the scratch publications' limits in between.
      for (let i = 0; i < PRIMING_STEPS; i += PRIMING_CHUNK) {
        stageTrace.muted = true;
        try {
          for (let k = i; k < Math.min(i + PRIMING_CHUNK, PRIMING_STEPS); k++) p.step(this.symbol);
        } finally {
          stageTrace.muted = false;
        }
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      return p;
    } catch (error) {
      p.close();
      throw error;
    }
  }

  /**
   * One synthetic tick through the scratch path (its stage marks dropped: they are not a real tick's); nothing while
   * a rebuild is under way. Throws what a rebuild failed with.
   */
  step(): void {
    if (this.rebuildError !== undefined) throw this.rebuildError;
    const p = this.pipeline;
    if (p === undefined) return;
    stageTrace.muted = true;
    try {
      p.step(this.symbol);
    } finally {
      stageTrace.muted = false;
    }
    this.steps++;
    if (p.simulator.counters.fills > MAX_FILLS) {
      const c = this.counters();
      this.base = { books: c.books, booksDropped: c.booksDropped, fairValues: c.fairValues, quotes: c.quotes };
      p.close();
      this.pipeline = undefined;
      this.rebuilds++;
      this.build().then((next) => {
        if (this.closed) next.close();
        else this.pipeline = next;
      }, (error: unknown) => {
        this.rebuildError = error instanceof Error ? error : new Error(String(error));
      });
    }
  }

  counters(): RehearsalCounters {
    const p = this.pipeline;
    return {
      steps: this.steps,
      books: this.base.books + (p?.collector.counters.books ?? 0),
      booksDropped: this.base.booksDropped + (p?.collector.counters.booksDropped ?? 0),
      fairValues: this.base.fairValues + (p?.pricing.counters.published ?? 0),
      quotes: this.base.quotes + (p?.simulator.counters.quotes ?? 0),
      fills: p?.simulator.counters.fills ?? 0,
      rebuilds: this.rebuilds,
    };
  }

  close(): void {
    this.closed = true;
    this.pipeline?.close();
    this.pipeline = undefined;
  }
}
