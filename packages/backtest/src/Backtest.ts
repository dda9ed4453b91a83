import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReplaySource, type BinanceMarketDataSink, type BookTicker, type DepthUpdate, type OrderBook, type SyncState, type Trade } from '@mm/binance';
import { CollectorPublisher } from '@mm/collector';
import { PricingAgent } from '@mm/pricing';
import { ServiceState } from '@mm/protocol';
import { InMemoryTransport, ManualClock, ServiceStatus, loadSymbols, type Agent } from '@mm/runtime';
import { SimulatorAgent } from '@mm/simulator';
import { KillSwitchStore, StrategyAgent, toStrategySettings } from '@mm/strategy';
import type { BacktestObserver } from './BacktestEvents.js';
import { loadBacktestConfig, type BacktestConfig, type BacktestConfigOptions } from './BacktestConfig.js';
import { earliestTime, symbolOfFile, symbolPrefixOfFile } from './DataFiles.js';
import { DataTime } from './DataTime.js';
import { EventLog } from './EventLog.js';
import { ReportBuilder } from './Report.js';
import { StreamTap } from './StreamTap.js';
import { SummaryBuilder, type Summary } from './Summary.js';

/**
 * One backtest in one process: a recording through the product's own code — the replay source and Binance
 * adapter (parsing, depth sync), the collector's publisher (10/13), PricingAgent (14), StrategyAgent (15) and
 * SimulatorAgent (16/17) — on the in-memory transport, with a ManualClock that shows data time.
 *
 * Determinism: time only moves to a recorded event's receive time (ns after the first line); before each event is
 * handed to the collector, and after it, every agent's `doWork()` runs in pipeline order until a whole round does
 * no work, so the outcome depends only on the data and the config, never on CPU speed. Between events more than
 * `maxStepMs` apart the clock advances in steps of that size (agents run at each), so time-driven behaviour —
 * heartbeats, order activation after the simulator's latency, stale-pricing pulls, position snapshots — happens
 * within one step of when it would live. The simulator's latencies are applied in data time.
 *
 * `from`: events before it warm up the book sync and pricing only; the strategy and the venue are created at the
 * first step at or after it (fresh: no position, an empty journal), like a service started at that moment.
 * `to`: no event after it is delivered. The summary period is [first step at/after from, last event].
 *
 * Limits: recordings are loaded whole (ReplaySource); the journal and kill-switch file go to a temp dir that is
 * removed at the end. The strategy's kill switch starts released.
 */
export interface BacktestOptions extends BacktestConfigOptions {
  /** Recordings (hftbacktest's or the product's format). */
  readonly files: readonly string[];
  /** ISO time or epoch ms; default: the start of the data. */
  readonly from?: string | undefined;
  /** ISO time or epoch ms; default: the end of the data. */
  readonly to?: string | undefined;
  /** Largest clock step between events, ms (default 10). */
  readonly maxStepMs?: number | undefined;
  /** Extra observers of the output streams (e.g. the report). */
  readonly observers?: readonly BacktestObserver[] | undefined;
}

export interface BacktestResult {
  readonly summary: Summary;
  readonly log: EventLog;
  readonly report: ReportBuilder;
  readonly time: DataTime;
  /** The summary period in data time (ns after the first line). */
  readonly startNs: number;
  readonly endNs: number;
  readonly config: BacktestConfig;
  /** Recording lines delivered to the adapter. */
  readonly lines: number;
  /** Book and trade events handed to the collector. */
  readonly marketEvents: number;
  /** Data time covered by the delivered lines, ns. */
  readonly dataSpanNs: number;
  readonly wallMs: number;
  /** Warnings and errors the agents logged (first 1000), in data time. */
  readonly messages: readonly string[];
  readonly counters: {
    readonly collector: Readonly<Record<string, number>>;
    readonly pricing: Readonly<Record<string, number>>;
    readonly strategy: Readonly<Record<string, number>> | undefined;
    readonly simulator: Readonly<Record<string, number>> | undefined;
    readonly tapBad: number;
  };
}

const MAX_ROUNDS = 10_000;
const MAX_MESSAGES = 1000;

/** Symbols of a backtest: explicit, else those named by the files that are configured, else the configured ones. */
function chooseSymbols(files: readonly string[], explicit: readonly string[] | undefined, configured: readonly string[]): readonly string[] {
  if (explicit !== undefined && explicit.length > 0) return explicit;
  const named = [...new Set(files.map((f) => symbolPrefixOfFile(f)).filter((s): s is string => s !== undefined))];
  const known = named.filter((s) => configured.includes(s));
  return known.length > 0 ? known.sort() : configured;
}

export async function runBacktest(options: BacktestOptions): Promise<BacktestResult> {
  if (options.files.length === 0) throw new RangeError('a backtest needs at least one recording (--data)');
  const wallStart = performance.now();
  const configured = loadSymbols({ ...(options.configDir !== undefined ? { configDir: options.configDir } : {}), ...(options.env !== undefined ? { env: options.env } : {}) }).symbols;
  const symbols = chooseSymbols(options.files, options.symbols, configured);
  const config = loadBacktestConfig({ ...options, symbols });
  const time = new DataTime(await earliestTime(options.files));
  const fromNs = options.from !== undefined ? Math.max(0, time.parse(options.from, '--from')) : 0;
  const toNs = options.to !== undefined ? time.parse(options.to, '--to') : Number.POSITIVE_INFINITY;
  if (!(toNs > fromNs)) throw new RangeError(`--to (${options.to}) must be after --from (${options.from ?? 'the start of the data'})`);
  const maxStepNs = (options.maxStepMs ?? 10) * 1e6;
  if (!(maxStepNs > 0)) throw new RangeError(`maxStepMs must be > 0, got ${options.maxStepMs}`);

  const run = new BacktestRun(config, time, fromNs, maxStepNs, options.observers ?? []);
  const source = new ReplaySource({
    files: options.files.map((path) => {
      const symbol = symbolOfFile(path, symbols);
      return symbol !== undefined ? { path, symbol } : { path };
    }),
    symbols, clock: run.clock, pace: 'recorded', speed: 1,
  });
  try {
    await source.start(run.sink);
    const lines = source.pump(toNs);
    const summary = run.finish();
    return {
      summary, log: run.log, report: run.report, time, startNs: run.startNs, endNs: run.clock.nanoTime(), config, lines, marketEvents: run.marketEvents, dataSpanNs: run.clock.nanoTime(),
      wallMs: performance.now() - wallStart, messages: run.messages, counters: run.counters(),
    };
  } finally {
    await source.stop();
    run.close();
  }
}

/** The wiring of one run; agents run in pipeline order by `settle`. */
class BacktestRun {
  readonly clock: ManualClock;
  readonly log: EventLog;
  readonly report: ReportBuilder;
  readonly messages: string[] = [];
  startNs = 0;
  readonly sink: BinanceMarketDataSink;
  marketEvents = 0;
  private readonly transport = new InMemoryTransport({ logCapacity: 1 << 21 });
  private readonly tempDir = mkdtempSync(join(tmpdir(), 'mm-backtest-'));
  private readonly summary: SummaryBuilder;
  private readonly tap: StreamTap;
  private readonly collector: CollectorPublisher;
  private readonly pricing: PricingAgent;
  private strategy: StrategyAgent | undefined;
  private simulator: SimulatorAgent | undefined;
  private agents: Agent[];
  private trading = false;
  private settledAtNs = -1;

  constructor(
    private readonly config: BacktestConfig,
    private readonly time: DataTime,
    private readonly fromNs: number,
    private readonly maxStepNs: number,
    observers: readonly BacktestObserver[],
  ) {
    this.clock = new ManualClock(0, time.anchorEpochMs);
    const t = this.transport;
    const s = config.streams;
    this.log = new EventLog(time);
    this.summary = new SummaryBuilder(config.symbols, time);
    this.report = new ReportBuilder(config.symbols);
    this.tap = new StreamTap(config.symbols, {
      pricing: t.addSubscriptionSync(s.pricing.channel, s.pricing.streamId),
      quotes: t.addSubscriptionSync(s.quote.channel, s.quote.streamId),
      fills: t.addSubscriptionSync(s.fill.channel, s.fill.streamId),
      positions: t.addSubscriptionSync(s.position.channel, s.position.streamId),
      books: observers.some((o) => o.onBook !== undefined) ? t.addSubscriptionSync(s.book.channel, s.book.streamId) : undefined,
    }, this.clock, [this.log, this.summary, this.report, ...observers]);

    const collectorStatus = this.status('mm_collector', config.heartbeatIntervalNs.collector);
    this.collector = new CollectorPublisher(config.symbols, config.bookLevels, t.addExclusivePublicationSync(s.book.channel, s.book.streamId),
      t.addExclusivePublicationSync(s.trade.channel, s.trade.streamId), collectorStatus, this.logger('collector'),
      config.bookTicker);
    const pricingStatus = this.status('mm_pricing', config.heartbeatIntervalNs.pricing);
    this.pricing = new PricingAgent(config.pricing, t.addSubscriptionSync(s.book.channel, s.book.streamId),
      t.addSubscriptionSync(s.trade.channel, s.trade.streamId), t.addSubscriptionSync(s.state.channel, s.state.streamId),
      t.addExclusivePublicationSync(s.pricing.channel, s.pricing.streamId), this.clock, pricingStatus, this.logger('pricing'));
    pricingStatus.setState(ServiceState.SYNCING, 'waiting for books');
    const collector = this.collector;
    this.agents = [
      { roleName: 'collector', doWork: () => collector.doWork() }, statusAgent(collectorStatus), this.pricing, statusAgent(pricingStatus), this.tap,
    ];

    const run = this;
    this.sink = {
      onBook(book: OrderBook, event: DepthUpdate): void {
        run.advanceTo(event.recvNs);
        run.marketEvents++;
        run.collector.onBook(book, event);
        run.settle();
      },
      onTopAhead(book: OrderBook, ticker: BookTicker, recvNs: number): void {
        run.advanceTo(recvNs);
        run.marketEvents++;
        run.collector.onTopAhead(book, ticker, recvNs);
        run.settle();
      },
      onTrade(trade: Trade, recvNs: number): void {
        run.advanceTo(recvNs);
        run.marketEvents++;
        run.collector.onTrade(trade, recvNs);
        run.settle();
      },
      onSymbolState(symbol: string, state: SyncState, reason: string): void {
        run.collector.onSymbolState(symbol, state, reason);
        run.settle();
      },
      onBadFrame(reason: string): void {
        run.collector.onBadFrame(reason);
      },
      onSourceEvent(event: string, detail: string): void {
        run.collector.onSourceEvent(event, detail);
      },
    };
  }

  /** Moves data time to `tNs` in steps of at most maxStepNs, settling the pipeline at each. */
  advanceTo(tNs: number): void {
    const clock = this.clock;
    const target = Math.max(tNs, clock.nanoTime());
    while (target - clock.nanoTime() > this.maxStepNs) {
      clock.setNanoTime(clock.nanoTime() + this.maxStepNs);
      this.settle();
    }
    clock.setNanoTime(target);
    if (this.settledAtNs !== target) this.settle();
  }

  /** Runs every agent in pipeline order until a whole round does no work. */
  settle(): void {
    const now = this.clock.nanoTime();
    if (!this.trading && now >= this.fromNs) this.startTrading(now);
    const agents = this.agents;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      let work = 0;
      for (let i = 0; i < agents.length; i++) work += agents[i]!.doWork();
      // Idle: the strategy has reacted to everything the venue applied; the venue's next held event goes now.
      if (work === 0 && !(this.simulator?.releaseNextHeld() ?? false)) {
        this.settledAtNs = now;
        return;
      }
    }
    throw new Error(`backtest pipeline still busy after ${MAX_ROUNDS} rounds at ${this.time.iso(now)}: an agent reports work forever`);
  }

  /** The strategy and the venue start now, fresh (their late subscriptions join at the current positions). */
  private startTrading(now: number): void {
    this.trading = true;
    const t = this.transport;
    const s = this.config.streams;
    // Event order: the strategy decides on pricing only once the venue has applied the events before it, which is
    // what a settled one-process pipeline does anyway; on here so the live pipeline with event-order matches it.
    const settings = { ...toStrategySettings(this.config.strategy, this.config.symbols, now, this.config.symbolOverrides), eventOrder: true };
    const calibrating = settings.symbols.some((x) => x.calibration !== undefined);
    const strategyStatus = this.status('mm_strategy', this.config.heartbeatIntervalNs.strategy);
    const store = new KillSwitchStore(join(this.tempDir, 'kill-switch.json'), () => this.clock.epochMs());
    const strategyInputs = {
      pricing: t.addSubscriptionSync(s.pricing.channel, s.pricing.streamId),
      fills: t.addSubscriptionSync(s.fill.channel, s.fill.streamId),
      positions: t.addSubscriptionSync(s.position.channel, s.position.streamId),
      states: t.addSubscriptionSync(s.state.channel, s.state.streamId),
      heartbeats: t.addSubscriptionSync(s.heartbeat.channel, s.heartbeat.streamId),
      trades: calibrating ? t.addSubscriptionSync(s.trade.channel, s.trade.streamId) : undefined,
    };
    const quotes = t.addExclusivePublicationSync(s.quote.channel, s.quote.streamId);
    const simulatorInputs = {
      quotes: t.addSubscriptionSync(s.quote.channel, s.quote.streamId),
      books: t.addSubscriptionSync(s.book.channel, s.book.streamId),
      trades: t.addSubscriptionSync(s.trade.channel, s.trade.streamId),
    };
    const simulatorStatus = this.status('mm_simulator', this.config.heartbeatIntervalNs.simulator);
    this.summary.begin(now);
    this.startNs = now;
    this.tap.recording = true;
    this.strategy = new StrategyAgent(settings, strategyInputs, quotes, this.clock, strategyStatus, store, this.logger('strategy'));
    strategyStatus.setState(ServiceState.SYNCING, 'waiting for pricing and position snapshots');
    this.simulator = new SimulatorAgent(
      // Market events wait for the strategy without a time limit: settle releases the next one when all is idle.
      { ...this.config.simulator, holdNs: Number.POSITIVE_INFINITY },
      {
        ...simulatorInputs,
        fills: t.addExclusivePublicationSync(s.fill.channel, s.fill.streamId),
        positions: t.addExclusivePublicationSync(s.position.channel, s.position.streamId),
      },
      // Nothing outlives the run: batch the fsyncs so the journal costs a write per fill, not a disk flush.
      { dir: this.tempDir, fsync: { mode: 'batch', maxRecords: 1_000_000, maxDelayMs: 60_000 } },
      this.clock,
      simulatorStatus,
      this.logger('simulator'),
    );
    this.simulator.start();
    this.agents = [
      this.agents[0]!, this.agents[1]!, this.pricing, this.agents[3]!, this.tap,
      this.strategy, statusAgent(strategyStatus), this.tap,
      this.simulator, statusAgent(simulatorStatus), this.tap,
    ];
  }

  finish(): Summary {
    this.settle();
    if (!this.trading) throw new RangeError(`the data ends (${this.time.iso(this.clock.nanoTime())}) before --from (${this.time.iso(this.fromNs)})`);
    this.simulator?.stop();
    return this.summary.finish(this.clock.nanoTime());
  }

  counters(): BacktestResult['counters'] {
    return {
      collector: { ...this.collector.counters },
      pricing: { ...this.pricing.counters },
      strategy: this.strategy ? { ...this.strategy.counters } : undefined,
      simulator: this.simulator ? { ...this.simulator.counters } : undefined,
      tapBad: this.tap.bad,
    };
  }

  close(): void {
    this.transport.close();
    rmSync(this.tempDir, { recursive: true, force: true });
  }

  private status(name: string, heartbeatIntervalNs: number): ServiceStatus {
    const s = this.config.streams;
    return new ServiceStatus(name, 0, this.clock, this.transport.addExclusivePublicationSync(s.state.channel, s.state.streamId),
      this.transport.addExclusivePublicationSync(s.heartbeat.channel, s.heartbeat.streamId), heartbeatIntervalNs);
  }

  private logger(service: string): (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void {
    return (level, msg, fields) => {
      if (level === 'info' || this.messages.length >= MAX_MESSAGES) return;
      this.messages.push(`${this.time.iso(this.clock.nanoTime())} ${level} ${service}: ${msg}${fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : ''}`);
    };
  }
}

function statusAgent(status: ServiceStatus): Agent {
  return { roleName: 'status', doWork: () => status.doWork() };
}
