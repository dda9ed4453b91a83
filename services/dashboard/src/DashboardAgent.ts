/**
 * `mm_dashboard`'s agent: reads streams 10–17 through untethered subscriptions (a paused dashboard never holds back
 * the pipeline; when it falls a whole term behind it skips ahead and loses data instead), keeps the latest values
 * and bounded histories per symbol, and at most `pushRateHz` times a second appends a chart point per changed
 * symbol and hands a compact JSON delta to the sink (the WebSocket clients).
 *
 * Hot path: `poll` → dispatcher → `SymbolState` setters copy numbers into preallocated slots; no allocation per
 * market message. Health messages (11, 12) allocate a few strings each, at about one per second per service.
 * Messages for symbols not configured, or for another venue, are counted and ignored; invalid messages are
 * counted (by the dispatcher) and never throw.
 */
import type { Clock, ServiceAgent, Streams, Subscriber, Transport } from '@mm/runtime';
import { untethered } from '@mm/runtime';
import {
  MessageDispatcher,
  SymbolTable,
  type BookSnapshotDecoder,
  type FillDecoder,
  type HeartbeatDecoder,
  type PositionDecoder,
  type PricingDecoder,
  type PullQuotesDecoder,
  type QuoteDecoder,
  type StateDecoder,
  type TradeDecoder,
} from '@mm/protocol';
import type { AtomicBuffer } from '@mm/agrona';
import { venueId, type DashboardConfig } from './DashboardConfig.js';
import { HealthTable, type HealthRowView } from './HealthTable.js';
import { FILL_COLUMNS, POINT_COLUMNS, SymbolState, type SymbolView } from './SymbolState.js';

/** Where pushes go: the HTTP server's WebSocket clients (or a test). */
export interface DashboardSink {
  readonly clientCount: number;
  broadcast(text: string): void;
}

/** The streams read, in display order of the stats. */
export const DASHBOARD_STREAMS = ['book', 'state', 'heartbeat', 'trade', 'pricing', 'quote', 'fill', 'position'] as const;
export type DashboardStream = (typeof DASHBOARD_STREAMS)[number];

export interface DashboardStats {
  /** Messages read per stream name. */
  readonly messages: Readonly<Record<DashboardStream, number>>;
  readonly invalid: number;
  readonly unknownSymbol: number;
  readonly otherVenue: number;
  readonly healthOverflow: number;
}

export interface SymbolData {
  readonly view: SymbolView;
  /** Chart points, oldest first, columns as in `pointColumns`; null = no value yet. */
  readonly points: (number | null)[][];
  readonly pointsTotal: number;
  readonly fills: number[][];
  readonly fillsTotal: number;
}

export interface DashboardSnapshot {
  readonly type: 'snapshot';
  readonly seq: number;
  readonly timeMs: number;
  readonly venue: DashboardConfig['venue'];
  readonly symbols: readonly string[];
  readonly historyLength: number;
  readonly fillHistoryLength: number;
  readonly pointColumns: readonly string[];
  readonly fillColumns: readonly string[];
  readonly data: Record<string, SymbolData>;
  readonly health: HealthRowView[];
  readonly stats: DashboardStats;
}

export interface SymbolDelta {
  readonly view: SymbolView;
  readonly points: (number | null)[][];
  readonly pointsTotal: number;
  readonly fills: number[][];
  readonly fillsTotal: number;
}

export interface DashboardDelta {
  readonly type: 'delta';
  readonly seq: number;
  readonly timeMs: number;
  readonly data: Record<string, SymbolDelta>;
  readonly health: HealthRowView[];
  readonly stats: DashboardStats;
}

export interface DashboardAgentOptions {
  readonly config: DashboardConfig;
  readonly streams: Streams;
  readonly transport: Transport;
  readonly clock: Clock;
  readonly sink?: DashboardSink;
}

interface Pushed {
  points: number;
  fills: number;
}

export class DashboardAgent implements ServiceAgent {
  readonly roleName = 'dashboard';
  private readonly table: SymbolTable;
  private readonly states: SymbolState[] = [];
  private readonly pushed: Pushed[] = [];
  private readonly health: HealthTable;
  private readonly dispatcher: MessageDispatcher;
  private readonly venue: number;
  private readonly pushIntervalNs: number;
  private readonly fragmentLimit: number;
  private readonly counts = new Float64Array(DASHBOARD_STREAMS.length);
  private readonly handlers: ((buffer: AtomicBuffer, offset: number, length: number) => void)[];
  private nextPushNs = 0;
  private seq = 0;
  private unknownSymbol = 0;
  private otherVenue = 0;
  private sink: DashboardSink | undefined;
  private closed = false;

  static async create(options: DashboardAgentOptions): Promise<DashboardAgent> {
    const subs = await Promise.all(DASHBOARD_STREAMS.map((name) => {
      const s = options.streams[name];
      return options.transport.addSubscription(untethered(s.channel), s.streamId, { untethered: true });
    }));
    return new DashboardAgent(options, subs);
  }

  private constructor(private readonly options: DashboardAgentOptions, private readonly subscriptions: Subscriber[]) {
    const { config } = options;
    this.table = new SymbolTable(Math.max(1, config.symbols.length));
    for (const symbol of config.symbols) {
      const index = this.table.register(symbol);
      if (index === this.states.length) {
        this.states.push(new SymbolState(symbol, config.historyLength, config.fillHistoryLength));
        this.pushed.push({ points: 0, fills: 0 });
      }
    }
    this.venue = venueId(config.venue);
    this.pushIntervalNs = Math.round(1e9 / config.pushRateHz);
    this.fragmentLimit = config.pollFragmentLimit;
    this.health = new HealthTable(config.heartbeatStaleMs * 1e6);
    this.sink = options.sink;
    this.dispatcher = new MessageDispatcher({
      onBookSnapshot: (d) => this.onBook(d),
      onTrade: (d) => this.onTrade(d),
      onPricing: (d) => this.onPricing(d),
      onQuote: (d) => this.onQuote(d),
      onPullQuotes: (d) => this.onPullQuotes(d),
      onFill: (d) => this.onFill(d),
      onPosition: (d) => this.onPosition(d),
      onHeartbeat: (d) => this.onHeartbeat(d),
      onState: (d) => this.onState(d),
    });
    const dispatcher = this.dispatcher;
    const counts = this.counts;
    this.handlers = DASHBOARD_STREAMS.map((_, i) => (buffer: AtomicBuffer, offset: number, length: number) => {
      counts[i]!++;
      dispatcher.onMessage(buffer, offset, length);
    });
  }

  setSink(sink: DashboardSink | undefined): void {
    this.sink = sink;
  }

  doWork(): number {
    // The service host may run one more duty cycle after shutdown closed the subscriptions.
    if (this.closed) return 0;
    let work = 0;
    const subs = this.subscriptions;
    for (let i = 0; i < subs.length; i++) work += subs[i]!.poll(this.handlers[i]!, this.fragmentLimit);
    const now = this.options.clock.nanoTime();
    if (now >= this.nextPushNs) {
      this.nextPushNs = now + this.pushIntervalNs;
      this.push();
      work++;
    }
    return work;
  }

  onClose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.subscriptions) s.close();
  }

  /** Latest values of a symbol (for tests and the snapshot API); undefined if the symbol is not configured. */
  symbolState(symbol: string): SymbolState | undefined {
    const i = this.table.indexOfName(symbol);
    return i < 0 ? undefined : this.states[i];
  }

  stats(): DashboardStats {
    const messages = {} as Record<DashboardStream, number>;
    DASHBOARD_STREAMS.forEach((name, i) => (messages[name] = this.counts[i]!));
    return {
      messages,
      invalid: this.dispatcher.invalidCount,
      unknownSymbol: this.unknownSymbol,
      otherVenue: this.otherVenue,
      healthOverflow: this.health.overflow,
    };
  }

  /**
   * Everything a page needs to start: current views, and the histories as of the last push (so the deltas that
   * follow neither repeat nor skip a point or fill).
   */
  snapshot(): DashboardSnapshot {
    const { config } = this.options;
    const data: Record<string, SymbolData> = {};
    this.states.forEach((st, i) => {
      const pushed = this.pushed[i]!;
      const fillsHeld = Math.max(0, st.fills.size - (st.fills.total - pushed.fills));
      data[st.symbol] = {
        view: st.view(),
        points: st.series.newest(Math.min(st.series.size, pushed.points)).map(nullable),
        pointsTotal: pushed.points,
        fills: st.fills.newest(st.fills.size).slice(0, fillsHeld),
        fillsTotal: pushed.fills,
      };
    });
    return {
      type: 'snapshot',
      seq: this.seq,
      timeMs: this.options.clock.epochMs(),
      venue: config.venue,
      symbols: this.states.map((s) => s.symbol),
      historyLength: config.historyLength,
      fillHistoryLength: config.fillHistoryLength,
      pointColumns: POINT_COLUMNS,
      fillColumns: FILL_COLUMNS,
      data,
      health: this.health.view(this.options.clock.nanoTime()),
      stats: this.stats(),
    };
  }

  /** Samples changed symbols into their histories and sends a delta to the sink if it has clients. */
  private push(): void {
    const clock = this.options.clock;
    const epochMs = clock.epochMs();
    const listening = this.sink !== undefined && this.sink.clientCount > 0;
    const data: Record<string, SymbolDelta> = {};
    for (let i = 0; i < this.states.length; i++) {
      const st = this.states[i]!;
      if (!st.sample(epochMs)) continue;
      const pushed = this.pushed[i]!;
      if (listening) {
        const newPoints = Math.min(st.series.total - pushed.points, st.series.size);
        const newFills = Math.min(st.fills.total - pushed.fills, st.fills.size);
        data[st.symbol] = {
          view: st.view(),
          points: st.series.newest(newPoints).map(nullable),
          pointsTotal: st.series.total,
          fills: st.fills.newest(newFills),
          fillsTotal: st.fills.total,
        };
      }
      pushed.points = st.series.total;
      pushed.fills = st.fills.total;
    }
    this.seq++;
    if (!listening) return;
    const delta: DashboardDelta = {
      type: 'delta',
      seq: this.seq,
      timeMs: epochMs,
      data,
      health: this.health.view(clock.nanoTime()),
      stats: this.stats(),
    };
    // Health ages move every push, so a delta goes out even when no symbol changed.
    this.sink!.broadcast(JSON.stringify(delta));
  }

  private stateOf(buffer: AtomicBuffer, symbolOffset: number): SymbolState | undefined {
    const i = this.table.indexOf(buffer, symbolOffset);
    if (i < 0) {
      this.unknownSymbol++;
      return undefined;
    }
    return this.states[i];
  }

  private onBook(d: BookSnapshotDecoder): void {
    this.stateOf(d.wrappedBuffer(), d.symbolOffset())?.onBook(d);
  }

  private onTrade(d: TradeDecoder): void {
    this.stateOf(d.wrappedBuffer(), d.symbolOffset())?.onTrade(d);
  }

  private onPricing(d: PricingDecoder): void {
    this.stateOf(d.wrappedBuffer(), d.symbolOffset())?.onPricing(d);
  }

  private onQuote(d: QuoteDecoder): void {
    if (d.venue() !== this.venue) { this.otherVenue++; return; }
    this.stateOf(d.wrappedBuffer(), d.symbolOffset())?.onQuote(d);
  }

  private onPullQuotes(d: PullQuotesDecoder): void {
    if (d.venue() !== this.venue) { this.otherVenue++; return; }
    if (d.allSymbols()) {
      for (let i = 0; i < this.states.length; i++) this.states[i]!.onPullQuotes();
      return;
    }
    this.stateOf(d.wrappedBuffer(), d.symbolOffset())?.onPullQuotes();
  }

  private onFill(d: FillDecoder): void {
    if (d.venue() !== this.venue) { this.otherVenue++; return; }
    this.stateOf(d.wrappedBuffer(), d.symbolOffset())?.onFill(d, this.options.clock.epochMs());
  }

  private onPosition(d: PositionDecoder): void {
    if (d.venue() !== this.venue) { this.otherVenue++; return; }
    this.stateOf(d.wrappedBuffer(), d.symbolOffset())?.onPosition(d);
  }

  private onHeartbeat(d: HeartbeatDecoder): void {
    this.health.onHeartbeat(d, this.options.clock.nanoTime());
  }

  private onState(d: StateDecoder): void {
    this.health.onState(d);
  }
}

function nullable(point: number[]): (number | null)[] {
  return point.map((v) => (Number.isNaN(v) ? null : v));
}
