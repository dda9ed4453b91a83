import WebSocket from 'ws';
import type { Clock, MarketDataSource } from '@mm/runtime';
import { FrameKind, FrameParser } from './FrameParser.js';
import { MarketDataAdapter, type BinanceMarketDataSink } from './MarketDataAdapter.js';
import { SyncState } from './DepthSync.js';
import { Backoff } from './Backoff.js';
import { OutgoingRateLimiter } from './OutgoingRateLimiter.js';

/**
 * The live Binance spot market-data source: ONE combined-stream WebSocket carrying `<sym>@depth@100ms` and
 * `<sym>@trade` for every symbol, REST depth snapshots, and the documented spot sync per symbol (`DepthSync` via
 * `MarketDataAdapter`, shared with replay).
 *
 * Connection care:
 * - Reconnect with exponential backoff + jitter; the backoff resets once a connection delivers data.
 * - Stale-data watchdog: no frame for `staleDataTimeoutMs` → the connection is dropped and re-established.
 * - Rollover (Binance closes connections at 24 h) and `serverShutdown`: a NEXT connection is opened while the
 *   current one keeps flowing. Frames of the next connection are queued until, for every LIVE symbol, it has
 *   delivered a depth event with U ≤ book id + 1 (it overlaps what was applied); then the queue is fed through the
 *   adapter, which drops what was already applied (depth u ≤ id, trade id ≤ last), and the old connection is closed.
 *   So the switch has no gap and no duplicate. If it never overlaps within `rolloverTimeoutMs`, it switches anyway
 *   and the sync rules turn any hole into a resync.
 * - REST: 429 honours `Retry-After`; 418 blocks all snapshot requests for max(Retry-After, `banBackoffMs`); other
 *   failures retry with backoff; at most one request in flight per symbol and `minSnapshotIntervalMs` between them.
 * - Outgoing messages (pongs) go through a ≤ 5/s limiter per connection; `ws`'s automatic pong is disabled.
 *
 * Times: receive times come from the injected clock (`nanoTime()`, monotonic). Timers are real (setTimeout).
 */

export const BINANCE_ENDPOINTS = {
  production: { ws: 'wss://stream.binance.com:9443', rest: 'https://api.binance.com' },
  marketDataOnly: { ws: 'wss://data-stream.binance.vision', rest: 'https://data-api.binance.vision' },
  testnet: { ws: 'wss://stream.testnet.binance.vision', rest: 'https://testnet.binance.vision' },
} as const;

export interface BinanceClientOptions {
  symbols: readonly string[];
  clock: Clock;
  /** Base without path, e.g. `wss://stream.binance.com:9443`. */
  wsBaseUrl?: string;
  restBaseUrl?: string;
  depthSpeed?: '100ms' | '1000ms';
  snapshotLimit?: number;
  /** Extra streams on the same connection (e.g. `btcusdt@bookTicker` for recording or checks). */
  extraStreams?: readonly string[];
  reconnectInitialMs?: number;
  reconnectMaxMs?: number;
  staleDataTimeoutMs?: number;
  /** Open the next connection when the current one is this old (Binance cuts at 24 h). */
  maxConnectionAgeMs?: number;
  rolloverTimeoutMs?: number;
  snapshotTimeoutMs?: number;
  minSnapshotIntervalMs?: number;
  banBackoffMs?: number;
  maxBufferedEvents?: number;
  random?: () => number;
  /** Sees every raw frame with its receive time (e.g. `Recorder`). */
  onRawFrame?: (text: string, recvNs: number, symbolOfSnapshot: string) => void;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

interface Connection {
  id: number;
  ws: WebSocket;
  openedAtNs: number;
  lastFrameNs: number;
  isNext: boolean;
  retired: boolean;
  gotData: boolean;
  queue: [Buffer, number][];
  /** Next connection only: U of the first depth event it delivered, per symbol. */
  firstDepthU: Map<string, number>;
  limiter: OutgoingRateLimiter;
}

export interface ClientCounters {
  connectionsOpened: number;
  reconnects: number;
  staleDisconnects: number;
  rollovers: number;
  snapshotRequests: number;
  snapshotFailures: number;
  rateLimited429: number;
  banned418: number;
  pongsSent: number;
  pongsDropped: number;
}

export class BinanceMarketDataClient implements MarketDataSource<BinanceMarketDataSink> {
  readonly name = 'binance-live';
  readonly counters: ClientCounters = {
    connectionsOpened: 0, reconnects: 0, staleDisconnects: 0, rollovers: 0, snapshotRequests: 0,
    snapshotFailures: 0, rateLimited429: 0, banned418: 0, pongsSent: 0, pongsDropped: 0,
  };
  private adapter: MarketDataAdapter | null = null;
  private sink: BinanceMarketDataSink | null = null;
  private current: Connection | null = null;
  private next: Connection | null = null;
  private nextConnId = 1;
  private stopped = true;
  private readonly backoff: Backoff;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private watchdogTimer: NodeJS.Timeout | null = null;
  private rolloverTimer: NodeJS.Timeout | null = null;
  private rolloverDeadline: NodeJS.Timeout | null = null;
  private readonly peekParser = new FrameParser();
  private readonly snapshotInFlight = new Set<string>();
  private readonly snapshotWanted = new Set<string>();
  private readonly snapshotTimers = new Map<string, NodeJS.Timeout>();
  private readonly snapshotNotBeforeMs = new Map<string, number>();
  private readonly snapshotBackoff = new Map<string, Backoff>();
  private restBlockedUntilMs = 0;
  private readonly aborts = new Set<AbortController>();
  private readonly url: string;
  private readonly o: Required<Omit<BinanceClientOptions, 'onRawFrame' | 'log' | 'extraStreams' | 'symbols' | 'clock'>>;

  constructor(private readonly options: BinanceClientOptions) {
    if (options.symbols.length === 0) throw new RangeError('BinanceMarketDataClient needs at least one symbol');
    for (const s of options.symbols) {
      if (!/^[A-Za-z0-9]{2,20}$/.test(s)) throw new RangeError(`invalid Binance symbol "${s}"`);
    }
    this.o = {
      wsBaseUrl: options.wsBaseUrl ?? BINANCE_ENDPOINTS.marketDataOnly.ws,
      restBaseUrl: options.restBaseUrl ?? BINANCE_ENDPOINTS.marketDataOnly.rest,
      depthSpeed: options.depthSpeed ?? '100ms',
      snapshotLimit: options.snapshotLimit ?? 5000,
      reconnectInitialMs: options.reconnectInitialMs ?? 250,
      reconnectMaxMs: options.reconnectMaxMs ?? 30_000,
      staleDataTimeoutMs: options.staleDataTimeoutMs ?? 10_000,
      maxConnectionAgeMs: options.maxConnectionAgeMs ?? (23 * 60 + 50) * 60_000,
      rolloverTimeoutMs: options.rolloverTimeoutMs ?? 10_000,
      snapshotTimeoutMs: options.snapshotTimeoutMs ?? 10_000,
      minSnapshotIntervalMs: options.minSnapshotIntervalMs ?? 1000,
      banBackoffMs: options.banBackoffMs ?? 120_000,
      maxBufferedEvents: options.maxBufferedEvents ?? 10_000,
      random: options.random ?? Math.random,
    };
    if (!(this.o.snapshotLimit >= 1 && this.o.snapshotLimit <= 5000)) throw new RangeError(`snapshotLimit must be 1..5000, got ${this.o.snapshotLimit}`);
    this.backoff = new Backoff(this.o.reconnectInitialMs, this.o.reconnectMaxMs, this.o.random);
    const speed = this.o.depthSpeed === '100ms' ? '@depth@100ms' : '@depth';
    const streams: string[] = [];
    for (const s of options.symbols) streams.push(`${s.toLowerCase()}${speed}`, `${s.toLowerCase()}@trade`);
    for (const s of options.extraStreams ?? []) streams.push(s);
    if (streams.length > 1024) throw new RangeError(`Binance allows 1024 streams per connection, got ${streams.length}`);
    this.url = `${this.o.wsBaseUrl.replace(/\/+$/, '')}/stream?streams=${streams.join('/')}`;
  }

  get adapterOrNull(): MarketDataAdapter | null {
    return this.adapter;
  }

  async start(sink: BinanceMarketDataSink): Promise<void> {
    if (!this.stopped) throw new Error('BinanceMarketDataClient already started');
    this.stopped = false;
    this.sink = sink;
    this.adapter = new MarketDataAdapter(this.options.symbols, sink, {
      onSnapshotNeeded: (symbol) => this.requestSnapshot(symbol),
      onServerShutdown: () => this.beginRollover('serverShutdown event'),
    }, this.o.maxBufferedEvents);
    this.connect(false);
    const period = Math.max(10, Math.min(1000, this.o.staleDataTimeoutMs / 4));
    this.watchdogTimer = setInterval(() => this.checkStale(), period);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of [this.reconnectTimer, this.rolloverTimer, this.rolloverDeadline]) if (t !== null) clearTimeout(t);
    if (this.watchdogTimer !== null) clearInterval(this.watchdogTimer);
    this.reconnectTimer = this.rolloverTimer = this.rolloverDeadline = this.watchdogTimer = null;
    for (const t of this.snapshotTimers.values()) clearTimeout(t);
    this.snapshotTimers.clear();
    for (const a of this.aborts) a.abort();
    this.aborts.clear();
    const closing: Promise<void>[] = [];
    for (const c of [this.current, this.next]) if (c !== null) closing.push(this.retire(c));
    this.current = this.next = null;
    await Promise.all(closing);
  }

  // ---- Connections --------------------------------------------------------------------------------------------

  private connect(isNext: boolean): void {
    if (this.stopped) return;
    const ws = new WebSocket(this.url, { autoPong: false, handshakeTimeout: Math.max(1000, this.o.staleDataTimeoutMs) });
    const now = this.options.clock.nanoTime();
    const c: Connection = {
      id: this.nextConnId++, ws, openedAtNs: now, lastFrameNs: now, isNext, retired: false, gotData: false,
      queue: [], firstDepthU: new Map(), limiter: new OutgoingRateLimiter(() => this.options.clock.nanoTime()),
    };
    if (isNext) this.next = c; else this.current = c;
    this.counters.connectionsOpened++;
    this.event('connecting', `#${c.id}${isNext ? ' (next)' : ''} ${this.url}`);
    ws.on('open', () => {
      this.event('connected', `#${c.id}`);
      if (!c.isNext) this.armRollover(c);
    });
    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      if (c.retired || isBinary) return;
      // binaryType is the default 'nodebuffer', so `data` is a Buffer: the frame's bytes are parsed as they are.
      this.onFrame(c, data as Buffer);
    });
    ws.on('ping', (payload: Buffer) => {
      if (c.retired) return;
      if (c.limiter.tryAcquire()) {
        ws.pong(payload);
        this.counters.pongsSent++;
      } else {
        this.counters.pongsDropped++;
      }
    });
    ws.on('error', (err: Error) => this.log('warn', `connection #${c.id}: ${err.message}`));
    ws.on('close', (code: number, reason: Buffer) => this.onClosed(c, code, reason.toString()));
  }

  private onFrame(c: Connection, bytes: Buffer): void {
    const recvNs = this.options.clock.nanoTime();
    c.lastFrameNs = recvNs;
    if (!c.gotData) {
      c.gotData = true;
      this.backoff.reset();
    }
    if (c.isNext) {
      // Copied: held until the connection is promoted (rare), so independent of whatever ws may do with its buffers.
      c.queue.push([Buffer.from(bytes), recvNs]);
      this.checkOverlap(c, bytes);
      return;
    }
    this.deliver(bytes, recvNs);
    if (this.next !== null) this.evaluateOverlap();
  }

  private deliver(bytes: Buffer, recvNs: number): void {
    // Text only when recording: the live path never decodes the frame into a string.
    if (this.options.onRawFrame !== undefined) this.options.onRawFrame(bytes.toString('utf8'), recvNs, '');
    this.adapter!.onFrameBytes(bytes, recvNs);
  }

  private checkOverlap(c: Connection, bytes: Buffer): void {
    const p = this.peekParser;
    if (p.parseBytes(bytes) === FrameKind.DEPTH && !c.firstDepthU.has(p.depth.symbol)) {
      c.firstDepthU.set(p.depth.symbol, p.depth.firstUpdateId);
    }
    this.evaluateOverlap();
  }

  /**
   * The next connection overlaps when, for every LIVE symbol, its first queued depth event starts at or before
   * book id + 1: its queue then continues exactly where the current connection is, whichever of the two is ahead.
   * Re-evaluated on frames of both connections, since the current one may be the one behind.
   */
  private evaluateOverlap(): void {
    const n = this.next;
    if (n === null) return;
    for (const symbol of this.adapter!.symbols()) {
      const sync = this.adapter!.syncOf(symbol)!;
      if (sync.state !== SyncState.LIVE) continue;
      const u0 = n.firstDepthU.get(symbol);
      if (u0 === undefined || u0 > sync.book.updateId + 1) return;
    }
    this.promoteNext('overlap reached');
  }

  /** Makes the next connection current: feeds its queue (duplicates are dropped by id), closes the old one. */
  private promoteNext(reason: string): void {
    const n = this.next;
    if (n === null) return;
    if (this.rolloverDeadline !== null) clearTimeout(this.rolloverDeadline);
    this.rolloverDeadline = null;
    const old = this.current;
    this.next = null;
    n.isNext = false;
    this.current = n;
    this.counters.rollovers++;
    this.event('rollover', `#${old?.id ?? '-'} → #${n.id}: ${reason}`);
    const queue = n.queue;
    n.queue = [];
    for (const [bytes, recvNs] of queue) this.deliver(bytes, recvNs);
    if (old !== null) void this.retire(old);
    if (n.ws.readyState === WebSocket.OPEN) this.armRollover(n);
  }

  private armRollover(c: Connection): void {
    if (this.rolloverTimer !== null) clearTimeout(this.rolloverTimer);
    const ageMs = (this.options.clock.nanoTime() - c.openedAtNs) / 1e6;
    this.rolloverTimer = setTimeout(() => {
      this.rolloverTimer = null;
      if (this.current === c) this.beginRollover('maximum connection age');
    }, Math.max(0, this.o.maxConnectionAgeMs - ageMs));
  }

  private beginRollover(reason: string): void {
    if (this.stopped || this.next !== null || this.current === null) return;
    this.event('rollover-start', reason);
    this.connect(true);
    this.rolloverDeadline = setTimeout(() => {
      this.rolloverDeadline = null;
      if (this.next !== null && this.next.gotData) this.promoteNext('overlap timeout');
      else if (this.next !== null) {
        // The next connection delivered nothing: give up on it; the current one keeps working.
        const n = this.next;
        this.next = null;
        void this.retire(n);
        this.event('rollover-failed', `#${n.id} delivered no data`);
        if (this.current !== null) this.armRollover(this.current);
      }
    }, this.o.rolloverTimeoutMs);
  }

  private onClosed(c: Connection, code: number, reason: string): void {
    if (c.retired) return;
    c.retired = true;
    this.event('closed', `#${c.id} code ${code}${reason !== '' ? ` (${reason})` : ''}`);
    if (this.stopped) return;
    if (c === this.next) {
      // The next connection failed before taking over: try again later; the current one keeps working.
      this.next = null;
      if (this.rolloverDeadline !== null) clearTimeout(this.rolloverDeadline);
      this.rolloverDeadline = null;
      if (this.rolloverTimer !== null) clearTimeout(this.rolloverTimer);
      this.rolloverTimer = setTimeout(() => {
        this.rolloverTimer = null;
        this.beginRollover('retry after a failed next connection');
      }, this.backoff.nextDelayMs());
      return;
    }
    if (c !== this.current) return;
    this.current = null;
    if (this.next !== null) {
      // The old connection went first (e.g. the server's 24 h cut): switch now; the id rules catch any hole.
      this.promoteNext(`current closed with code ${code}`);
      return;
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer !== null) return;
    const delay = this.backoff.nextDelayMs();
    this.counters.reconnects++;
    this.event('reconnecting', `in ${Math.round(delay)} ms (attempt ${this.backoff.attempt})`);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.current === null) this.connect(false);
    }, delay);
  }

  private checkStale(): void {
    const c = this.current;
    if (c === null || this.stopped) return;
    const idleMs = (this.options.clock.nanoTime() - c.lastFrameNs) / 1e6;
    if (idleMs > this.o.staleDataTimeoutMs) {
      this.counters.staleDisconnects++;
      this.event('stale', `#${c.id}: no data for ${Math.round(idleMs)} ms`);
      c.ws.terminate();
    }
  }

  private retire(c: Connection): Promise<void> {
    c.retired = true;
    if (c.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const done = setTimeout(() => { c.ws.terminate(); resolve(); }, 1000);
      c.ws.once('close', () => { clearTimeout(done); resolve(); });
      if (c.ws.readyState === WebSocket.CONNECTING) c.ws.terminate();
      else c.ws.close(1000, 'rollover');
    });
  }

  // ---- REST snapshots -----------------------------------------------------------------------------------------

  private requestSnapshot(symbol: string): void {
    if (this.stopped) return;
    this.snapshotWanted.add(symbol);
    if (this.snapshotInFlight.has(symbol) || this.snapshotTimers.has(symbol)) return;
    const nowMs = this.options.clock.nanoTime() / 1e6;
    const earliest = Math.max(this.restBlockedUntilMs, this.snapshotNotBeforeMs.get(symbol) ?? -Infinity);
    if (earliest > nowMs) {
      this.snapshotTimers.set(symbol, setTimeout(() => {
        this.snapshotTimers.delete(symbol);
        this.requestSnapshot(symbol);
      }, earliest - nowMs));
      return;
    }
    void this.fetchSnapshot(symbol);
  }

  private async fetchSnapshot(symbol: string): Promise<void> {
    this.snapshotWanted.delete(symbol);
    this.snapshotInFlight.add(symbol);
    this.snapshotNotBeforeMs.set(symbol, this.options.clock.nanoTime() / 1e6 + this.o.minSnapshotIntervalMs);
    this.counters.snapshotRequests++;
    const abort = new AbortController();
    this.aborts.add(abort);
    const timeout = setTimeout(() => abort.abort(), this.o.snapshotTimeoutMs);
    const url = `${this.o.restBaseUrl.replace(/\/+$/, '')}/api/v3/depth?symbol=${symbol}&limit=${this.o.snapshotLimit}`;
    let retryInMs = -1;
    try {
      const res = await fetch(url, { signal: abort.signal });
      const body = await res.text();
      const recvNs = this.options.clock.nanoTime();
      if (this.stopped) return;
      if (res.status === 200) {
        this.snapshotBackoffOf(symbol).reset();
        this.snapshotInFlight.delete(symbol);
        this.options.onRawFrame?.(body, recvNs, symbol);
        if (!this.adapter!.onSnapshotText(symbol, body, recvNs)) {
          this.counters.snapshotFailures++;
          this.log('warn', `snapshot ${symbol}: unusable body: ${this.adapter!.lastError}`);
          retryInMs = this.snapshotBackoffOf(symbol).nextDelayMs();
        }
      } else if (res.status === 429 || res.status === 418) {
        const retryAfterMs = retryAfterOf(res.headers.get('retry-after'));
        const waitMs = res.status === 418 ? Math.max(retryAfterMs, this.o.banBackoffMs) : (retryAfterMs > 0 ? retryAfterMs : 1000);
        if (res.status === 418) this.counters.banned418++; else this.counters.rateLimited429++;
        this.restBlockedUntilMs = Math.max(this.restBlockedUntilMs, this.options.clock.nanoTime() / 1e6 + waitMs);
        this.event(res.status === 418 ? 'rest-banned' : 'rest-rate-limited', `snapshot ${symbol}: HTTP ${res.status}, waiting ${waitMs} ms`);
        retryInMs = 0;
      } else {
        this.counters.snapshotFailures++;
        this.log('warn', `snapshot ${symbol}: HTTP ${res.status} ${body.slice(0, 200)}`);
        retryInMs = this.snapshotBackoffOf(symbol).nextDelayMs();
      }
    } catch (e) {
      if (this.stopped) return;
      this.counters.snapshotFailures++;
      this.log('warn', `snapshot ${symbol}: ${(e as Error).message}`);
      retryInMs = this.snapshotBackoffOf(symbol).nextDelayMs();
    } finally {
      clearTimeout(timeout);
      this.aborts.delete(abort);
      this.snapshotInFlight.delete(symbol);
    }
    const sync = this.adapter?.syncOf(symbol);
    if (this.stopped || sync === undefined || sync.state === SyncState.LIVE) return;
    if (retryInMs >= 0 || this.snapshotWanted.has(symbol)) {
      if (retryInMs > 0) {
        const at = this.options.clock.nanoTime() / 1e6 + retryInMs;
        this.snapshotNotBeforeMs.set(symbol, Math.max(at, this.snapshotNotBeforeMs.get(symbol) ?? 0));
      }
      this.requestSnapshot(symbol);
    }
  }

  private snapshotBackoffOf(symbol: string): Backoff {
    let b = this.snapshotBackoff.get(symbol);
    if (b === undefined) this.snapshotBackoff.set(symbol, (b = new Backoff(this.o.reconnectInitialMs, this.o.reconnectMaxMs, this.o.random)));
    return b;
  }

  private event(kind: string, detail: string): void {
    this.log('info', `${kind}: ${detail}`);
    this.sink?.onSourceEvent?.(kind, detail);
  }

  private log(level: 'info' | 'warn' | 'error', message: string): void {
    this.options.log?.(level, message);
  }
}

/** `Retry-After` in seconds (Binance) → ms; 0 when absent or not a number. */
function retryAfterOf(header: string | null): number {
  if (header === null) return 0;
  const s = Number(header);
  return Number.isFinite(s) && s >= 0 ? s * 1000 : 0;
}
