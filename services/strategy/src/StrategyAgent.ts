import { AtomicBuffer } from '@mm/agrona';
import {
  DecisionKind, IntensityCalibrator, QuotingEngine, type DecisionReason, type IntensityEstimate, type KillSwitchState,
  type PricingInput,
} from '@mm/models/quoting';
import {
  DecodeResult, FillDecoder, HeartbeatDecoder, INSTRUMENT_STATUS_NAMES, InstrumentDecoder, InstrumentStatus, MessageHeader,
  PositionDecoder, PricingDecoder, PricingFlags, PullReason, QuoteCause, ServiceState, Side, StateDecoder, SymbolTable, TemplateId,
  TradeDecoder, Venue, symbolBytes,
} from '@mm/protocol';
import { NOT_CONNECTED, Stage, stageTrace, type Clock, type FragmentHandler, type Publisher, type ServiceStatus, type Subscriber } from '@mm/runtime';
import { MalformedMessages } from '@mm/runtime';
import type { KillSwitchStore } from './KillSwitchStore.js';
import { QuoteProxy } from './QuoteProxy.js';
import type { StrategySettings, SymbolSettings } from './StrategyConfig.js';
import { InstrumentChange, SymbolInstrument, meetsMinNotional } from './SymbolInstrument.js';
import { VenueMonitor } from './VenueMonitor.js';
import { VenuePosition } from './VenuePosition.js';

/**
 * The strategy: pricing (14), fills (16) and position snapshots (17) of our venue, the venue's state (11) and
 * heartbeats (12), optionally trades (13) for the intensity calibration → one QuotingEngine per symbol → quotes and
 * pull-quotes on 15 (QuoteProxy: pulls are never lost).
 *
 * Rules:
 * - no quote before a position snapshot of EVERY symbol arrived from our venue (the daily loss limit needs them all)
 *   and before the symbol's own pricing; fills and positions of another venue are ignored;
 * - daily PnL = Σ symbols (venue's journal-backed daily realized − daily fees + unrealized, see VenuePosition); the
 *   total goes to every symbol's engine, so the kill switch acts on the whole strategy. An engagement is persisted
 *   (KillSwitchStore) and restored at start; it is released only by an external reset of the file;
 * - a symbol is quoted only once its instrument is known (stream 20, or a full override in config/symbols.toml) and
 *   TRADING: until then, and whenever Binance reports another status, its pricing counts as not tradable (the engine
 *   pulls with NOT_TRADABLE and quotes again at once when it is back). The engine runs on the instrument's grid
 *   (bid rounded down, ask up to the tick; the order size rounded down to the step) and is rebuilt when tick or
 *   step change; a side whose notional is under the instrument's min notional is not quoted;
 * - venue not LIVE or silent past the heartbeat timeout → engines pull (setVenueOk(false));
 * - decisions run on every input change and at least every millisecond (staleness is a matter of time);
 * - the quoting engines run on EVENT time: the largest receive time carried by the pricing and fills read so far,
 *   never this process's clock, so the throttle (min interval, refresh, rate) and the model's clock give the same
 *   quotes however fast the pipeline runs (live on Aeron = `mm backtest`); a throttled quote goes out with the first
 *   input whose event time passes the interval. A carried time far behind (a collector restarted on another host or
 *   after a reboot) rebases the event clock so it never runs backwards. Safety stays on this host's clock: pricing
 *   is stale when not received for max-pricing-age (minus pricing's own processing delay); venue heartbeats and the
 *   kill-switch file check are operational and stay on it too;
 * - event order (`event-order`, simulator venue; it publishes its progress X on 17, see SimulatorAgent): pricing for t
 *   is decided only once X ≥ t — every market event before t applied, its fills published — so each decision sees
 *   exactly the fills of the events before it, as in the one-process backtest. Such pricing waits (one message,
 *   the stream is not read past it) for at most ORDER_HOLD_NS of this host's clock; after a timeout, or while the
 *   venue is not ok, pricing is taken as it comes. Decisions on fills wait until X has passed them (the venue has
 *   published every fill of that event); each released pricing message gets its own decision;
 * - at start every quote at the venue is pulled (a previous instance may have left some), at stop again (SHUTDOWN);
 * - quote ids are strategy-wide (all symbols share one increasing sequence, also used by pulls), seeded from the
 *   wall clock (ms × 1000) so they keep increasing across restarts;
 * - state: SYNCING until pricing and snapshots of every symbol; HALTED while the kill switch is engaged; DEGRADED
 *   while a symbol is pulled for stale / not tradable pricing or the venue; LIVE otherwise.
 * Malformed messages are counted and logged (at most once a second) and skipped. Nothing is allocated per message.
 */
export type LogFn = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

export interface StrategyInputs {
  readonly pricing: Subscriber;
  readonly fills: Subscriber;
  readonly positions: Subscriber;
  readonly states: Subscriber;
  readonly heartbeats: Subscriber;
  /** Trades (13), only when calibration is enabled. */
  readonly trades?: Subscriber | undefined;
  /** Instruments (20). Without it only symbols with a full override in config/symbols.toml are quoted. */
  readonly instruments?: Subscriber | undefined;
}

export interface StrategyCounters {
  pricing: number;
  fills: number;
  positions: number;
  otherVenue: number;
  unknownSymbol: number;
  bad: number;
  decisions: number;
  calibrations: number;
  instruments: number;
  /** Sides not quoted because their notional was under the instrument's minimum. */
  belowMinNotional: number;
}

interface MutablePricing {
  mid: number;
  fairValue: number;
  sigma: number;
  drift: number;
  bestBidE8: number;
  bestAskE8: number;
  recvTimeNs: number;
  tradable: boolean;
  /** Set before each decision: event time minus the pricing's age on this host's clock (see wallBaseNs). */
  ageBaseNs: number;
  /** recvTimeNs translated to this process's clock (receipt minus pricing's processing delay): works across hosts. */
  wallBaseNs: number;
}

interface SymbolSlot {
  readonly index: number;
  readonly name: string;
  readonly settings: SymbolSettings;
  /** Rebuilt when the instrument's tick or step change. */
  engine: QuotingEngine;
  readonly instrument: SymbolInstrument;
  /** Pricing's own TRADABLE flag (the engine sees it ANDed with the instrument being quotable). */
  pricingTradable: boolean;
  readonly pricing: MutablePricing;
  readonly position: VenuePosition;
  readonly positionInput: { qtyE8: number; dailyPnl: number };
  readonly calibrator: IntensityCalibrator | undefined;
  hasPricing: boolean;
  dirty: boolean;
  /** A new fair value arrived since the last decision: the next quote is caused by a tick (QuoteCause.PRICING). */
  freshPricing: boolean;
  /** This host's clock at the last decision (the 1 ms re-decision runs on it, so a silent feed still goes stale). */
  lastDecideNs: number;
  /** Reason of the last decision: a pulled/held state persists in it. */
  lastReason: DecisionReason | 'none';
}

const VENUE_SERVICE: Readonly<Record<StrategySettings['venue'], string>> = { simulator: 'mm_simulator', engine: 'matching-engine' };
const VENUE_CODE: Readonly<Record<StrategySettings['venue'], Venue>> = { simulator: Venue.SIMULATOR, engine: Venue.ENGINE };
const REDECIDE_NS = 1e6;
/** Longest wait of a pricing message for the venue's progress (event order, see the module comment). */
const ORDER_HOLD_NS = 2e9;
/** Pricing carrying a time this far behind event time comes from a restarted or moved collector: rebase. */
const EVENT_CLOCK_REBASE_NS = 10e9;
const KILL_FILE_CHECK_NS = 500e6;
const SHUTDOWN_PULL_TIMEOUT_MS = 1000;

const Health = { Syncing: 1, Live: 2, Degraded: 3, Halted: 4 } as const;
type Health = (typeof Health)[keyof typeof Health];

export class StrategyAgent {
  readonly roleName = 'strategy';
  readonly counters: StrategyCounters = {
    pricing: 0, fills: 0, positions: 0, otherVenue: 0, unknownSymbol: 0, bad: 0, decisions: 0, calibrations: 0,
    instruments: 0, belowMinNotional: 0,
  };
  readonly proxy: QuoteProxy;
  readonly venueMonitor: VenueMonitor;
  private readonly venue: Venue;
  private readonly table: SymbolTable;
  private readonly slots: SymbolSlot[];
  private readonly pricingDecoder = new PricingDecoder();
  private readonly fillDecoder = new FillDecoder();
  private readonly positionDecoder = new PositionDecoder();
  private readonly stateDecoder = new StateDecoder();
  private readonly heartbeatDecoder = new HeartbeatDecoder();
  private readonly tradeDecoder = new TradeDecoder();
  private readonly instrumentDecoder = new InstrumentDecoder();
  private readonly estimate: IntensityEstimate = { ok: false, A: 0, k: 0, points: 0 };
  private readonly onPricingFragment: FragmentHandler;
  private readonly onFillFragment: FragmentHandler;
  private readonly onPositionFragment: FragmentHandler;
  private readonly onStateFragment: FragmentHandler;
  private readonly onHeartbeatFragment: FragmentHandler;
  private readonly onTradeFragment: FragmentHandler;
  private readonly onInstrumentFragment: FragmentHandler;
  private nextQuoteId: number;
  private venueOk = false;
  private killEngaged = false;
  private nextKillCheckNs = 0;
  private nextCalibrationNs: number;
  private snapshots = 0;
  private priced = 0;
  private instrumentsKnown = 0;
  private stopping = false;
  private health: Health | 0 = 0;
  private healthDetail = '';
  private lastRefusalLogNs = Number.NEGATIVE_INFINITY;
  /** Event time: the largest receive time carried by the pricing and fills read, plus eventOffsetNs (ns). */
  private eventNs = 0;
  /** Grows when the carried times jump far back (see observePricingTime), so eventNs never runs backwards. */
  private eventOffsetNs = 0;
  /** The simulator venue's progress (snapshot time on 17): every market event before it applied. 0 = unknown. */
  private venueProgressNs = 0;
  /** Receive time of the newest fill read (decisions on fills wait until venueProgressNs has passed it). */
  private lastFillRecvNs = 0;
  /** A pricing message waiting for the venue's progress (event order), with its arrival on this host's clock. */
  private readonly heldPricing = AtomicBuffer.allocate(512);
  private heldPricingLength = 0;
  private heldPricingSinceNs = 0;
  /** After a timed-out wait, pricing up to this time is taken as it comes. */
  private orderSkipUntilNs = 0;
  private readonly orderedVenue: boolean;

  private readonly malformed: MalformedMessages;
  constructor(
    private readonly settings: StrategySettings,
    private readonly inputs: StrategyInputs,
    quotes: Publisher,
    private readonly clock: Clock,
    private readonly status: ServiceStatus,
    private readonly store: KillSwitchStore,
    private readonly log: LogFn,
  ) {
    this.malformed = new MalformedMessages(status, clock, log);
    this.venue = VENUE_CODE[settings.venue];
    this.orderedVenue = settings.venue === 'simulator' && settings.eventOrder === true;
    this.venueMonitor = new VenueMonitor(VENUE_SERVICE[settings.venue], settings.heartbeatTimeoutNs);
    this.table = new SymbolTable(Math.max(1, settings.symbols.length));
    for (const s of settings.symbols) this.table.register(s.symbol);
    this.slots = settings.symbols.map((s, index) => this.newSlot(s, index));
    this.proxy = new QuoteProxy(quotes, this.venue, settings.symbols.map((s) => symbolBytes(s.symbol)), clock);
    this.nextQuoteId = Math.max(1, Math.floor(clock.epochMs()) * 1000);
    const now = clock.nanoTime();
    this.nextCalibrationNs = now + settings.calibrationIntervalNs;
    for (const s of this.slots) s.engine.setVenueOk(false);

    const stored = store.load();
    if (stored.problem !== undefined) log('error', `kill switch engaged: ${stored.problem}`, { file: store.file });
    if (stored.state.engaged) {
      this.engageAll(stored.state, false);
      log('warn', 'kill switch restored ENGAGED from disk: no quotes until it is reset (mm reset-kill-switch)', { file: store.file, reason: stored.state.reason });
    }

    this.onPricingFragment = (b, o, l) => this.onPricing(b, o, l);
    this.onFillFragment = (b, o, l) => this.onFill(b, o, l);
    this.onPositionFragment = (b, o, l) => this.onPosition(b, o, l);
    this.onStateFragment = (b, o, l) => this.onState(b, o, l);
    this.onHeartbeatFragment = (b, o, l) => this.onHeartbeat(b, o, l);
    this.onTradeFragment = (b, o, l) => this.onTrade(b, o, l);
    this.onInstrumentFragment = (b, o, l) => this.onInstrument(b, o, l);
    for (const s of this.slots) {
      if (s.instrument.known) {
        this.instrumentsKnown++;
        this.rebuildEngine(s);
      }
      if (!s.instrument.known && !inputs.instruments) log('error', `${s.name}: no instrument stream and no full override in config/symbols.toml: it will not be quoted`);
    }

    // Whatever a previous instance left at the venue goes first.
    this.proxy.pullAll(this.takeQuoteId(), now, PullReason.STATE_CHANGE);
    this.proxy.flush();
    this.updateHealth(now);
  }

  private newSlot(s: SymbolSettings, index: number): SymbolSlot {
    return {
      index,
      name: s.symbol,
      settings: s,
      engine: new QuotingEngine(s.model, s.engine),
      instrument: new SymbolInstrument(s.symbol, s.orderQtyE8, s.override, statusCodeOf),
      pricingTradable: false,
      pricing: { mid: 0, fairValue: 0, sigma: 0, drift: 0, bestBidE8: 0, bestAskE8: 0, recvTimeNs: 0, tradable: false, ageBaseNs: 0, wallBaseNs: 0 },
      position: new VenuePosition(),
      positionInput: { qtyE8: 0, dailyPnl: 0 },
      calibrator: s.calibration ? new IntensityCalibrator(s.calibration) : undefined,
      hasPricing: false,
      dirty: false,
      freshPricing: false,
      lastDecideNs: Number.NEGATIVE_INFINITY,
      lastReason: 'none',
    };
  }

  get killSwitchEngaged(): boolean {
    return this.killEngaged;
  }

  /** The engine of a symbol (tests, diagnostics). */
  engineOf(symbol: string): QuotingEngine | undefined {
    return this.slots.find((s) => s.name === symbol)?.engine;
  }

  positionOf(symbol: string): VenuePosition | undefined {
    return this.slots.find((s) => s.name === symbol)?.position;
  }

  doWork(): number {
    const inputs = this.inputs;
    // Positions (the venue's progress) and fills first: pricing waiting for them is read after (see decidePricing).
    let work = inputs.positions.poll(this.onPositionFragment, 64);
    work += inputs.fills.poll(this.onFillFragment, 64);
    work += inputs.states.poll(this.onStateFragment, 16);
    work += inputs.heartbeats.poll(this.onHeartbeatFragment, 16);
    if (inputs.trades) work += inputs.trades.poll(this.onTradeFragment, 64);
    if (inputs.instruments) work += inputs.instruments.poll(this.onInstrumentFragment, 16);
    const now = this.clock.nanoTime();
    if (this.stopping) return work + this.proxy.flush();

    const venueOk = this.venueMonitor.ok(now);
    if (venueOk !== this.venueOk) {
      this.venueOk = venueOk;
      for (let i = 0; i < this.slots.length; i++) {
        const s = this.slots[i]!;
        s.engine.setVenueOk(venueOk);
        s.dirty = true;
      }
      if (venueOk) this.log('info', `venue ${this.venueMonitor.service} ok: quoting allowed`);
      else this.log('warn', `venue problem: ${this.venueMonitor.problem(now)}: pulling quotes`);
    }
    if (now >= this.nextKillCheckNs) {
      this.nextKillCheckNs = now + KILL_FILE_CHECK_NS;
      work += this.checkKillSwitchFile();
    }
    const deciding = this.slots.length > 0 && this.snapshots === this.slots.length;
    if (deciding && !this.fillsPending()) work += this.decideAll(now);
    work += this.decidePricing(now, deciding);
    if (this.settings.calibrationIntervalNs > 0 && now >= this.nextCalibrationNs) {
      this.nextCalibrationNs = now + this.settings.calibrationIntervalNs;
      this.calibrate();
    }
    work += this.proxy.flush();
    if (this.proxy.pending > 0 && now - this.lastRefusalLogNs > 1e9) {
      this.lastRefusalLogNs = now;
      // Not connected: the venue has not subscribed yet (normal at start-up); anything else is back pressure.
      if (this.proxy.lastRefusal === NOT_CONNECTED) this.log('info', 'stream 15 has no subscriber yet (venue not up): holding messages', { pending: this.proxy.pending });
      else this.log('warn', 'stream 15 refused a message; retrying', { result: this.proxy.lastRefusal, pending: this.proxy.pending });
    }
    this.updateHealth(now);
    return work;
  }

  /** Shutdown: pull every quote at the venue (reason SHUTDOWN), retrying on back pressure for up to a second. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.proxy.pullAll(this.takeQuoteId(), this.clock.nanoTime(), PullReason.SHUTDOWN);
    const deadline = Date.now() + SHUTDOWN_PULL_TIMEOUT_MS;
    while (this.proxy.flush() >= 0 && this.proxy.pending > 0) {
      if (Date.now() >= deadline) {
        this.log('error', 'could not publish the shutdown pull-quotes within 1 s', { result: this.proxy.lastRefusal });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  private takeQuoteId(): number {
    return this.nextQuoteId++;
  }

  /**
   * Reads pricing one message at a time, each decided on its own (event order); a message the venue's progress has
   * not reached yet is held and nothing after it is read (see the module comment).
   */
  private decidePricing(now: number, deciding: boolean): number {
    let work = 0;
    for (let n = 0; n < 64 && !this.fillsPending(); n++) {
      // What was decided before goes out first: the proxy keeps only a symbol's latest pending quote, and the venue
      // must see each decision, as it would if this pricing had come a moment later.
      work += this.proxy.flush();
      if (this.heldPricingLength > 0) {
        this.pricingDecoder.wrap(this.heldPricing, 0);
        const t = this.pricingDecoder.recvTimeNs();
        if (!this.mustWait(t)) {
          // fall through: apply it
        } else if (now - this.heldPricingSinceNs >= ORDER_HOLD_NS) {
          this.orderSkipUntilNs = t;
          this.log('warn', 'venue progress did not reach a pricing in time: taking pricing as it comes until it catches up', { recvTimeNs: t, venueProgressNs: this.venueProgressNs });
        } else {
          break;
        }
        const length = this.heldPricingLength;
        this.heldPricingLength = 0;
        this.applyPricing(this.heldPricing, 0, length);
      } else if (this.inputs.pricing.poll(this.onPricingFragment, 1) === 0) {
        break;
      } else if (this.heldPricingLength > 0) {
        work++;
        continue;
      }
      work++;
      if (deciding) work += this.decideAll(now);
    }
    return work;
  }

  /** True while pricing at t must wait for the simulator venue's progress (event order). */
  private mustWait(t: number): boolean {
    return this.orderedVenue && this.venueOk && this.venueProgressNs > 0 && t > this.venueProgressNs && t > this.orderSkipUntilNs;
  }

  /** A fill was read whose event the venue has not finished (more of its fills may follow): decide after it. */
  private fillsPending(): boolean {
    return this.orderedVenue && this.venueOk && this.venueProgressNs > 0 && this.lastFillRecvNs >= this.venueProgressNs;
  }

  private decideAll(now: number): number {
    let total = 0;
    for (let i = 0; i < this.slots.length; i++) total += this.slots[i]!.position.dailyPnl();
    let work = 0;
    for (let i = 0; i < this.slots.length; i++) {
      const s = this.slots[i]!;
      if (!s.hasPricing) continue;
      if (!s.dirty && now - s.lastDecideNs < REDECIDE_NS) continue;
      s.dirty = false;
      const cause = s.freshPricing ? QuoteCause.PRICING : QuoteCause.REDECIDE;
      s.freshPricing = false;
      s.lastDecideNs = now;
      s.positionInput.qtyE8 = s.position.qtyE8;
      s.positionInput.dailyPnl = total;
      const p = s.pricing;
      p.ageBaseNs = this.eventNs - (now - p.wallBaseNs);
      const d = s.engine.decide(p as PricingInput, s.positionInput, this.eventNs);
      this.counters.decisions++;
      s.lastReason = d.reason;
      if (d.kind === DecisionKind.Quote) {
        let bidQty = d.bidQtyE8;
        let askQty = d.askQtyE8;
        const minNotional = s.instrument.minNotionalE8;
        if (bidQty > 0 && !meetsMinNotional(d.bidPriceE8, bidQty, minNotional)) { bidQty = 0; this.counters.belowMinNotional++; }
        if (askQty > 0 && !meetsMinNotional(d.askPriceE8, askQty, minNotional)) { askQty = 0; this.counters.belowMinNotional++; }
        if (bidQty > 0 || askQty > 0) {
          stageTrace.mark(Stage.STRATEGY_DECIDED, d.recvTimeNs);
          this.proxy.quote(i, this.takeQuoteId(), d.recvTimeNs, bidQty > 0 ? d.bidPriceE8 : 0, bidQty, askQty > 0 ? d.askPriceE8 : 0, askQty, cause);
        } else {
          // Nothing left above the minimum: whatever is resting goes, and the engine must not count it as sent.
          this.proxy.pull(i, this.takeQuoteId(), d.recvTimeNs, PullReason.NOT_TRADABLE);
          s.engine.throttle.reset();
        }
        work++;
      } else if (d.kind === DecisionKind.Pull) {
        this.proxy.pull(i, this.takeQuoteId(), d.recvTimeNs, d.pullCode as PullReason);
        work++;
        if (d.reason !== 'kill-switch') this.log('warn', `${s.name}: quotes pulled (${d.reason})`);
      }
      if (!this.killEngaged && s.engine.killSwitch.engaged) {
        this.engageAll(s.engine.killSwitch.state(), true);
        this.log('error', `kill switch ENGAGED: daily PnL ${total.toFixed(2)} <= -${this.settings.dailyLossLimit}; quotes pulled until reset`, { file: this.store.file });
      }
    }
    return work;
  }

  /** Puts every engine in the given engaged state; persists it when it is new. */
  private engageAll(state: KillSwitchState, persist: boolean): void {
    this.killEngaged = true;
    for (let i = 0; i < this.slots.length; i++) {
      const s = this.slots[i]!;
      if (!s.engine.killSwitch.engaged) s.engine.killSwitch.restore(state);
      s.dirty = true;
    }
    if (persist) {
      const problem = this.store.save(state);
      if (problem !== undefined) this.log('error', problem);
    }
  }

  private checkKillSwitchFile(): number {
    if (!this.killEngaged) return 0;
    if (this.store.hasUnsaved) {
      const problem = this.store.retry();
      if (problem !== undefined) this.log('error', problem);
      return 0;
    }
    if (!this.store.wasResetExternally()) return 0;
    this.killEngaged = false;
    for (let i = 0; i < this.slots.length; i++) {
      const s = this.slots[i]!;
      s.engine.killSwitch.reset();
      s.dirty = true;
    }
    this.log('warn', 'kill switch reset from outside: quoting resumes (it engages again if the daily loss is still beyond the limit)', { file: this.store.file });
    return 1;
  }

  private calibrate(): void {
    for (let i = 0; i < this.slots.length; i++) {
      const s = this.slots[i]!;
      if (!s.calibrator) continue;
      s.calibrator.advanceTo(this.clock.nanoTime());
      const e = s.calibrator.estimate(this.estimate);
      if (e.ok && s.engine.setIntensity(e.A, e.k)) {
        this.counters.calibrations++;
        this.log('info', `${s.name}: intensity recalibrated`, { A: e.A, k: e.k, points: e.points });
      }
    }
  }

  // ---- inbound ----

  private onPricing(buffer: AtomicBuffer, offset: number, length: number): void {
    const d = this.pricingDecoder;
    if (MessageHeader.templateId(buffer, offset) !== TemplateId.PRICING || d.wrapChecked(buffer, offset, length) !== DecodeResult.OK) {
      return this.bad('pricing', buffer, offset, length);
    }
    if (this.mustWait(d.recvTimeNs()) && length <= this.heldPricing.capacity) {
      this.heldPricing.copyFrom(0, buffer, offset, length);
      this.heldPricingLength = length;
      this.heldPricingSinceNs = this.clock.nanoTime();
      return;
    }
    this.applyPricing(buffer, offset, length);
  }

  private applyPricing(buffer: AtomicBuffer, offset: number, length: number): void {
    const d = this.pricingDecoder;
    if (d.wrapChecked(buffer, offset, length) !== DecodeResult.OK) return this.bad('pricing', buffer, offset, length);
    this.status.messagesIn++;
    const s = this.lookup(d.symbolIndex(this.table));
    if (!s) return;
    this.counters.pricing++;
    stageTrace.mark(Stage.STRATEGY_PRICING, d.recvTimeNs());
    const p = s.pricing;
    p.mid = d.mid();
    p.fairValue = d.fairValue();
    p.sigma = d.sigma();
    p.drift = d.drift();
    p.bestBidE8 = d.bestBidPrice();
    p.bestAskE8 = d.bestAskPrice();
    p.recvTimeNs = d.recvTimeNs();
    this.observePricingTime(p.recvTimeNs);
    // Pricing's own delay (publish − market event, one host's clock) subtracted from our receipt time.
    p.wallBaseNs = this.clock.nanoTime() - (d.publishTimeNs() - d.recvTimeNs());
    s.pricingTradable = (d.flags() & PricingFlags.TRADABLE) !== 0;
    p.tradable = s.pricingTradable && s.instrument.quotable;
    if (!s.hasPricing) {
      s.hasPricing = true;
      this.priced++;
    }
    s.dirty = true;
    s.freshPricing = true;
    s.calibrator?.advanceTo(p.recvTimeNs);
  }

  private onPosition(buffer: AtomicBuffer, offset: number, length: number): void {
    const d = this.positionDecoder;
    if (MessageHeader.templateId(buffer, offset) !== TemplateId.POSITION || d.wrapChecked(buffer, offset, length) !== DecodeResult.OK) {
      return this.bad('position', buffer, offset, length);
    }
    this.status.messagesIn++;
    if (d.venue() !== this.venue) {
      this.counters.otherVenue++;
      return;
    }
    const s = this.lookup(d.symbolIndex(this.table));
    if (!s) return;
    this.counters.positions++;
    // The simulator's snapshot time is its progress; recvTimeNs is that of its last fill.
    if (d.timeNs() > this.venueProgressNs) this.venueProgressNs = d.timeNs();
    this.observeFillTime(d.recvTimeNs());
    if (!s.position.hasSnapshot) this.snapshots++;
    s.position.onSnapshot(d.lastFillId(), d.quantity(), d.dailyRealizedPnl(), d.dailyFees(), d.unrealizedPnl());
    s.dirty = true;
  }

  private onFill(buffer: AtomicBuffer, offset: number, length: number): void {
    const d = this.fillDecoder;
    if (MessageHeader.templateId(buffer, offset) !== TemplateId.FILL || d.wrapChecked(buffer, offset, length) !== DecodeResult.OK) {
      return this.bad('fill', buffer, offset, length);
    }
    this.status.messagesIn++;
    if (d.venue() !== this.venue) {
      this.counters.otherVenue++;
      return;
    }
    const s = this.lookup(d.symbolIndex(this.table));
    if (!s) return;
    this.counters.fills++;
    if (d.recvTimeNs() > this.lastFillRecvNs) this.lastFillRecvNs = d.recvTimeNs();
    this.observeFillTime(d.recvTimeNs());
    const qty = d.side() === Side.BUY ? d.qty() : -d.qty();
    if (s.position.onFill(d.fillId(), qty, d.fee())) s.dirty = true;
  }

  private onState(buffer: AtomicBuffer, offset: number, length: number): void {
    const d = this.stateDecoder;
    if (MessageHeader.templateId(buffer, offset) !== TemplateId.STATE || d.wrapChecked(buffer, offset, length) !== DecodeResult.OK) {
      return this.bad('state', buffer, offset, length);
    }
    // State changes are rare: comparing strings here allocates only then.
    if (d.service() !== this.venueMonitor.service || d.symbol() !== '') return;
    this.venueMonitor.onState(d.state());
  }

  private onHeartbeat(buffer: AtomicBuffer, offset: number, length: number): void {
    const d = this.heartbeatDecoder;
    if (MessageHeader.templateId(buffer, offset) !== TemplateId.HEARTBEAT || d.wrapChecked(buffer, offset, length) !== DecodeResult.OK) {
      return this.bad('heartbeat', buffer, offset, length);
    }
    // One heartbeat per service per second: the string compare is cheap at that rate.
    if (d.service() !== this.venueMonitor.service) return;
    this.venueMonitor.onHeartbeat(d.state(), this.clock.nanoTime());
  }

  private onTrade(buffer: AtomicBuffer, offset: number, length: number): void {
    const d = this.tradeDecoder;
    if (MessageHeader.templateId(buffer, offset) !== TemplateId.TRADE || d.wrapChecked(buffer, offset, length) !== DecodeResult.OK) {
      return this.bad('trade', buffer, offset, length);
    }
    this.status.messagesIn++;
    const index = d.symbolIndex(this.table);
    if (index < 0) return;
    const s = this.slots[index]!;
    if (!s.calibrator || !s.hasPricing || !(s.pricing.mid > 0)) return;
    s.calibrator.onTrade(d.price() / 1e8, s.pricing.mid, d.recvTimeNs());
  }

  private onInstrument(buffer: AtomicBuffer, offset: number, length: number): void {
    const d = this.instrumentDecoder;
    if (MessageHeader.templateId(buffer, offset) !== TemplateId.INSTRUMENT || d.wrapChecked(buffer, offset, length) !== DecodeResult.OK) {
      return this.bad('instrument', buffer, offset, length);
    }
    this.status.messagesIn++;
    const index = d.symbolIndex(this.table);
    if (index < 0) return; // another strategy's symbol: instruments cover every symbol the collector trades
    const s = this.slots[index]!;
    this.counters.instruments++;
    const inst = s.instrument;
    const wasKnown = inst.known;
    const wasQuotable = inst.quotable;
    const status = d.status();
    // Republished every few seconds: only a change does work (the status text is looked up, never built).
    const change = inst.apply(d.tickSize(), d.stepSize(), d.minQty(), d.minNotional(), status, INSTRUMENT_STATUS_NAMES[status] ?? 'UNKNOWN');
    if (change === InstrumentChange.NONE) return;
    if (!wasKnown) this.instrumentsKnown++;
    if (change === InstrumentChange.GRID) this.rebuildEngine(s);
    else s.engine.throttle.reset(); // new minimums or status: decide afresh, not against the last quote
    s.pricing.tradable = s.pricingTradable && inst.quotable;
    s.dirty = true;
    const text = `${s.name} instrument: tick ${inst.tickE8}, step ${inst.stepE8}, min qty ${inst.minQtyE8}, min notional ${inst.minNotionalE8} (1e-8 units), ${inst.statusText}, order size ${inst.orderQtyE8}`;
    if (inst.quotable) this.log(wasQuotable || !wasKnown ? 'info' : 'warn', `${text}${wasKnown && !wasQuotable ? ': quoting again' : ''}`);
    else this.log('warn', `${text}: not quoted: ${inst.problem}`);
  }

  /** A new engine on the instrument's grid; kill switch, venue state and the (possibly calibrated) model carry over. */
  private rebuildEngine(s: SymbolSlot): void {
    const inst = s.instrument;
    if (!inst.quotable && !(inst.tickE8 > 0 && inst.stepE8 > 0 && inst.orderQtyE8 > 0)) return;
    const c = s.settings.engine;
    const old = s.engine;
    try {
      s.engine = new QuotingEngine(s.settings.model, {
        ...c, builder: { ...c.builder, tickE8: inst.tickE8, lotE8: inst.stepE8, orderQtyE8: inst.orderQtyE8 },
      });
    } catch (error) {
      this.log('error', `${s.name}: cannot quote on the instrument's grid: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    s.engine.setVenueOk(this.venueOk);
    if (old.killSwitch.engaged) s.engine.killSwitch.restore(old.killSwitch.state());
  }

  /** Fills only move event time forward (a republished journal tail carries old times). */
  private observeFillTime(recvTimeNs: number): void {
    if (recvTimeNs + this.eventOffsetNs > this.eventNs) this.eventNs = recvTimeNs + this.eventOffsetNs;
  }

  private observePricingTime(recvTimeNs: number): void {
    const t = recvTimeNs + this.eventOffsetNs;
    if (t > this.eventNs) this.eventNs = t;
    else if (t < this.eventNs - EVENT_CLOCK_REBASE_NS) this.eventOffsetNs += this.eventNs - t;
  }

  private lookup(index: number): SymbolSlot | undefined {
    if (index < 0) {
      this.counters.unknownSymbol++;
      return undefined;
    }
    return this.slots[index];
  }

  private bad(what: string, buffer: AtomicBuffer, offset: number, length: number): void {
    this.counters.bad++;
    this.malformed.report(what, buffer, offset, length);
  }

  // ---- service state ----

  private updateHealth(now: number): void {
    let health: Health;
    let detail = '';
    if (this.killEngaged) {
      health = Health.Halted;
    } else if (this.snapshots < this.slots.length || this.priced < this.slots.length || this.instrumentsKnown < this.slots.length) {
      health = Health.Syncing;
    } else {
      health = Health.Live;
      for (let i = 0; i < this.slots.length; i++) {
        const slot = this.slots[i]!;
        const r = slot.lastReason;
        if (r === 'stale' || r === 'not-tradable' || r === 'venue') {
          health = Health.Degraded;
          detail = r === 'not-tradable' && !slot.instrument.quotable ? `${slot.name} ${slot.instrument.problem}` : r;
          break;
        }
      }
    }
    if (health === this.health && detail === this.healthDetail) return;
    this.health = health;
    this.healthDetail = detail;
    switch (health) {
      case Health.Halted:
        this.status.setState(ServiceState.HALTED, 'kill switch engaged (daily loss limit); reset required');
        break;
      case Health.Syncing:
        this.status.setState(ServiceState.SYNCING, `waiting for positions (${this.snapshots}/${this.slots.length}), pricing (${this.priced}/${this.slots.length}) and instruments (${this.instrumentsKnown}/${this.slots.length})`);
        break;
      case Health.Degraded:
        this.status.setState(ServiceState.DEGRADED, detail === 'venue' ? `quotes pulled: ${this.venueMonitor.problem(now)}`
          : detail === 'stale' || detail === 'not-tradable' ? `quotes pulled: ${detail} pricing` : `quotes pulled: ${detail}`);
        break;
      default:
        this.status.setState(ServiceState.LIVE, `quoting ${this.slots.length} symbols at ${this.settings.venue}`);
    }
  }
}

const STATUS_CODE_BY_TEXT: Readonly<Record<string, number>> = Object.fromEntries(
  Object.entries(INSTRUMENT_STATUS_NAMES).map(([code, name]) => [name, Number(code)]),
);

/** symbols.toml status text → stream-20 code (UNKNOWN when this version does not know it). */
function statusCodeOf(text: string): number {
  return STATUS_CODE_BY_TEXT[text] ?? InstrumentStatus.UNKNOWN;
}
