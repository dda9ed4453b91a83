/**
 * Keeps the tick's path warm in a quiet market: on this kind of VM code that last ran 10 ms ago runs ~25× slower
 * than hot (BENCHMARKS.md, cold path), so a sparse tick pays that on every step of its path. A rehearsal runs a
 * synthetic tick through scratch copies of the same classes — the Binance adapter (frame parse, depth sync), the
 * collector's publisher (book encode), PricingAgent (fair value), StrategyAgent (decision, quote encode) and
 * SimulatorAgent (the venue the scratch strategy needs to quote) — on a private in-memory transport with its own
 * manual clock. Nothing leaves it: no Aeron stream, no log line, no shared state with the real services, no file
 * outside its temp dir (`mm-rehearsal-<pid>-…`, removed at close; a killed host's is removed by the next one). The
 * scratch services read the same TOML as the real ones, so the code takes the same branches.
 *
 * The scratch market: a book around a moving mid, one depth event and one trade per step (100 ms of scratch time
 * apart, so throttles and volatility sampling behave as in a 10-event-a-second market). The scratch venue's orders
 * never rest, so it never fills; should it fill anyway, the pipeline is rebuilt after MAX_FILLS so its journal and
 * position stay bounded.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBacktestConfig, type BacktestConfig } from '@mm/backtest';
import { MarketDataAdapter } from '@mm/binance';
import { CollectorPublisher } from '@mm/collector';
import { PricingAgent } from '@mm/pricing';
import { InMemoryTransport, ManualClock, ServiceStatus, processExists, stageTrace, type Agent } from '@mm/runtime';
import { SimulatorAgent } from '@mm/simulator';
import { KillSwitchStore, StrategyAgent, toStrategySettings } from '@mm/strategy';

const STEP_NS = 100e6;
const MAX_ROUNDS = 64;
const MAX_FILLS = 1000;
/** Steps run at creation, so pricing has its volatility samples and the strategy its snapshots before the first rehearsal. */
const PRIMING_STEPS = 100;
const LEVELS = 20;

export interface RehearsalCounters {
  readonly steps: number;
  readonly books: number;
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

/** One scratch pipeline; `Rehearsal` rebuilds it when it has filled too much. */
class ScratchPipeline {
  readonly clock = new ManualClock(0, Date.now());
  private readonly transport = new InMemoryTransport({ logCapacity: 1 << 18 });
  private readonly dir: string;
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

  constructor(symbol: string, env: NodeJS.ProcessEnv) {
    this.dir = mkdtempSync(join(tmpdir(), `${DIR_PREFIX}${process.pid}-`));
    try {
      const config = this.load(symbol, env);
      const threshold = Number(config.strategy.symbols[symbol]?.requoteThreshold ?? 1);
      this.amplitude = Math.max(0.05, 3 * (Number.isFinite(threshold) ? threshold : 1));
      this.mid = Math.max(100, Math.ceil(100 * this.amplitude));
      const t = this.transport;
      const s = config.streams;
      const pub = (x: { channel: string; streamId: number }) => t.addExclusivePublicationSync(x.channel, x.streamId);
      const sub = (x: { channel: string; streamId: number }) => t.addSubscriptionSync(x.channel, x.streamId);
      const status = (name: string): ServiceStatus => new ServiceStatus(name, 0, this.clock, pub(s.state), pub(s.heartbeat), 1e9);
      const quiet = (): void => {};
      const collectorStatus = status('mm_collector');
      this.collector = new CollectorPublisher(config.symbols, config.bookLevels, pub(s.book), pub(s.trade), collectorStatus, quiet);
      const pricingStatus = status('mm_pricing');
      this.pricing = new PricingAgent(config.pricing, sub(s.book), sub(s.trade), sub(s.state), pub(s.pricing), this.clock, pricingStatus, quiet);
      // Its venue is the scratch simulator whatever the real strategy trades against (with "engine" it would wait
      // for the engine's heartbeats and never quote).
      const settings = toStrategySettings({ ...config.strategy, venue: 'simulator' }, config.symbols, 0, config.symbolOverrides);
      const calibrating = settings.symbols.some((x) => x.calibration !== undefined);
      const strategyStatus = status('mm_strategy');
      const quotes = pub(s.quote);
      this.strategy = new StrategyAgent(settings, {
        pricing: sub(s.pricing), fills: sub(s.fill), positions: sub(s.position), states: sub(s.state), heartbeats: sub(s.heartbeat),
        trades: calibrating ? sub(s.trade) : undefined,
      }, quotes, this.clock, strategyStatus, new KillSwitchStore(join(this.dir, 'kill-switch.json'), () => this.clock.epochMs()), quiet);
      const simulatorStatus = status('mm_simulator');
      // Its orders never come to rest (an entry latency of ~30 years of scratch time), so the scratch venue never fills,
      // whatever the quotes; it still takes every quote and publishes positions and heartbeats as a venue does.
      this.simulator = new SimulatorAgent({ ...config.simulator, entryLatencyNs: 1e18 }, {
        quotes: sub(s.quote), books: sub(s.book), trades: sub(s.trade), fills: pub(s.fill), positions: pub(s.position),
      }, { dir: this.dir, fsync: { mode: 'batch', maxRecords: 1_000_000, maxDelayMs: 60_000 } }, this.clock, simulatorStatus, quiet);
      this.simulator.start();
      const statusAgent = (x: ServiceStatus): Agent => ({ roleName: 'status', doWork: () => x.doWork() });
      this.agents = [
        { roleName: 'collector', doWork: () => this.collector.doWork() }, statusAgent(collectorStatus),
        this.pricing, statusAgent(pricingStatus), this.strategy, statusAgent(strategyStatus), this.simulator, statusAgent(simulatorStatus),
      ];
      this.adapter = new MarketDataAdapter([symbol], this.collector, { onSnapshotNeeded: () => {} });
      this.startBook(symbol);
    } catch (error) {
      rmSync(this.dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** The real services' configuration for the scratch symbol, with a made-up instrument (ticks of 0.01). */
  private load(symbol: string, env: NodeJS.ProcessEnv): BacktestConfig {
    const exchangeInfo = join(this.dir, 'exchangeInfo.json');
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
    this.transport.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export class Rehearsal {
  private pipeline: ScratchPipeline;
  private steps = 0;
  private rebuilds = 0;
  private base = { books: 0, fairValues: 0, quotes: 0 };

  /**
   * Builds the scratch pipeline for `symbol` from the services' configuration (`env`: MM_CONFIG_DIR and overrides)
   * and primes it (≈ 50 ms once: pricing's volatility samples, the strategy's snapshots).
   */
  constructor(
    private readonly symbol: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    removeStaleScratchDirs();
    this.pipeline = this.build();
  }

  private build(): ScratchPipeline {
    stageTrace.muted = true;
    try {
      const p = new ScratchPipeline(this.symbol, this.env);
      for (let i = 0; i < PRIMING_STEPS; i++) p.step(this.symbol);
      return p;
    } finally {
      stageTrace.muted = false;
    }
  }

  /** One synthetic tick through the scratch path (its stage marks dropped: they are not a real tick's). */
  step(): void {
    stageTrace.muted = true;
    try {
      this.pipeline.step(this.symbol);
    } finally {
      stageTrace.muted = false;
    }
    this.steps++;
    if (this.pipeline.simulator.counters.fills > MAX_FILLS) {
      const c = this.counters();
      this.base = { books: c.books, fairValues: c.fairValues, quotes: c.quotes };
      this.pipeline.close();
      this.pipeline = this.build();
      this.rebuilds++;
    }
  }

  counters(): RehearsalCounters {
    const p = this.pipeline;
    return {
      steps: this.steps,
      books: this.base.books + p.collector.counters.books,
      fairValues: this.base.fairValues + p.pricing.counters.published,
      quotes: this.base.quotes + p.simulator.counters.quotes,
      fills: p.simulator.counters.fills,
      rebuilds: this.rebuilds,
    };
  }

  close(): void {
    this.pipeline.close();
  }
}
