import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, WebSocket } from 'ws';
import { formatFixed8, toFixed8OrThrow } from '@mm/binance';
import { SimMarket, type BookLevels, type SymbolSpec } from './SimMarket.js';
import { RecordedFeed, type RecordedFile } from './RecordedFeed.js';

/**
 * A Binance-speaking server on loopback for tests and the offline demo: combined (`/stream?streams=a/b`) and raw
 * (`/ws/<stream>`) WebSocket streams, `GET /api/v3/depth`, `GET /api/v3/exchangeInfo`, ping/pong, the 5 incoming
 * messages per second limit, a maximum connection age (Binance's 24 h, compressible), and fault injection both
 * programmatic and over `POST /_control/<fault>` for process tests.
 *
 * Market: a `SimMarket` per symbol (depth events every `depthIntervalMs` real ms, `opsPerEvent` book changes each;
 * event times advance 100 ms per event, so a smaller interval compresses time), or a `RecordedFeed` replayed to each
 * connection from its start. The simulated market keeps every event: `trueBookAt(symbol, u)` is the exchange's book
 * right after the event ending at `u`, for asserting that a client's book is right.
 */

export interface FakeBinanceOptions {
  symbols?: SymbolSpec[];
  seed?: number;
  host?: string;
  port?: number;
  depthIntervalMs?: number;
  /**
   * Symbols whose market moves only every N depth intervals (its order flow, trades and depth event then), for a
   * sparse symbol next to busy ones; the others move every interval.
   */
  intervalsPerStep?: Readonly<Record<string, number>>;
  opsPerEvent?: number;
  pingIntervalMs?: number;
  pongTimeoutMs?: number;
  maxConnectionAgeMs?: number;
  /** Serve recorded traffic instead of the simulated market. */
  recorded?: { files: RecordedFile[]; /** 0 = as fast as the socket takes it. */ speed?: number };
  /** Also publish `<sym>@bookTicker` from the simulated market. */
  log?: (line: string) => void;
}

export const DEFAULT_SYMBOLS: SymbolSpec[] = [
  // Fair-price steps give roughly Binance's volatility (BTC ≈ 2 USDT/√s, ETH ≈ 0.1 USDT/√s), so quotes a few bps
  // from the mid get filled in the demo as they would live.
  { symbol: 'BTCUSDT', tickSize: 1_000_000, lotSize: 1_000, initialMid: 6_700_000_000_000, levels: 60, fairStepTicks: 50 },
  { symbol: 'ETHUSDT', tickSize: 1_000_000, lotSize: 10_000, initialMid: 300_000_000_000, levels: 60, fairStepTicks: 3 },
];

interface Connection {
  ws: WebSocket;
  id: number;
  combined: boolean;
  streams: Set<string>;
  openedAtMs: number;
  awaitingPongSinceMs: number;
  incoming: number[];
  /** Closes the connection at the maximum age. */
  ageTimer: NodeJS.Timeout | null;
  /** The recorded playback's next pump (one at a time). */
  pumpTimer: NodeJS.Timeout | null;
  /** Extra delivery delay for this connection (a lagging server/route). */
  lagMs: number;
}

export interface FakeBinanceStats {
  connectionsOpened: number;
  openConnections: number;
  depthRequests: number;
  exchangeInfoRequests: number;
  rejected429: number;
  rejected418: number;
  incomingMessages: number;
  rateLimitDisconnects: number;
  pongTimeouts: number;
  pongsReceived: number;
  depthEventsSent: number;
  depthEventsSkipped: number;
}

export class FakeBinanceServer {
  readonly markets = new Map<string, SimMarket>();
  readonly stats: FakeBinanceStats = {
    connectionsOpened: 0, openConnections: 0, depthRequests: 0, exchangeInfoRequests: 0, rejected429: 0,
    rejected418: 0, incomingMessages: 0, rateLimitDisconnects: 0, pongTimeouts: 0, pongsReceived: 0,
    depthEventsSent: 0, depthEventsSkipped: 0,
  };
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  /** Every REST request: path, status and wall time (ms), for asserting client behaviour (Retry-After, pacing). */
  readonly requestLog: { path: string; status: number; atMs: number }[] = [];
  private readonly conns = new Set<Connection>();
  private nextConnId = 1;
  private marketTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private simTimeMs = 1_723_161_600_000;
  private steps = 0;
  private readonly recorded: RecordedFeed | null;
  private readonly log: (line: string) => void;
  // Faults.
  private readonly gapNext = new Map<string, number>();
  private readonly recentTrades = new Map<string, string[]>();
  private fail429 = 0;
  private fail418 = 0;
  private retryAfterSec = 1;
  private snapshotDelayMs = 0;
  private staleSnapshots = 0;
  private replayOnConnect = 0;
  private pingIntervalMs: number;
  private pongTimeoutMs: number;
  private expectPong = true;
  private maxConnectionAgeMs: number;
  private paused = false;
  /** exchangeInfo `status` per symbol (default TRADING); `setSymbolStatus` changes it (HALT, BREAK, ...). */
  private readonly symbolStatus = new Map<string, string>();
  private exchangeInfoFailures: { count: number; status: number; retryAfterSec: number } = { count: 0, status: 0, retryAfterSec: 0 };

  constructor(private readonly options: FakeBinanceOptions = {}) {
    this.log = options.log ?? (() => {});
    this.pingIntervalMs = options.pingIntervalMs ?? 20_000;
    this.pongTimeoutMs = options.pongTimeoutMs ?? 60_000;
    this.maxConnectionAgeMs = options.maxConnectionAgeMs ?? 24 * 3600_000;
    const seed = options.seed ?? 42;
    (options.symbols ?? DEFAULT_SYMBOLS).forEach((spec, i) => {
      this.markets.set(spec.symbol.toUpperCase(), new SimMarket(spec, seed + i * 7919, 1_000_000 * (i + 1), 500_000 * (i + 1)));
    });
    this.recorded = options.recorded !== undefined ? new RecordedFeed(options.recorded.files) : null;
    this.http = createServer((req, res) => this.onHttp(req, res));
    this.wss = new WebSocketServer({ noServer: true });
    this.http.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const streams = this.streamsOf(url);
      if (streams === null) {
        socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, streams, url.pathname === '/stream'));
    });
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  get wsBaseUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  get restBaseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    if (this.recorded === null) this.resume();
    this.schedulePings();
  }

  async stop(): Promise<void> {
    this.pause();
    if (this.pingTimer !== null) clearInterval(this.pingTimer);
    this.pingTimer = null;
    for (const c of this.conns) this.dropConnection(c, true);
    await new Promise<void>((resolve) => {
      this.wss.close();
      this.http.closeAllConnections?.();
      this.http.close(() => resolve());
    });
  }

  /** Stops the simulated market (no events, no trades) until `resume`. */
  pause(): void {
    this.paused = true;
    if (this.marketTimer !== null) clearInterval(this.marketTimer);
    this.marketTimer = null;
  }

  resume(): void {
    if (this.marketTimer !== null || this.recorded !== null) return;
    this.paused = false;
    this.marketTimer = setInterval(() => this.stepMarket(), this.options.depthIntervalMs ?? 100);
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** One depth interval of the simulated market: order flow, trades sent at once, then one depth event per symbol. */
  stepMarket(): void {
    this.simTimeMs += 100;
    this.steps++;
    const ops = this.options.opsPerEvent ?? 20;
    const every = this.options.intervalsPerStep;
    for (const m of this.markets.values()) {
      if (every !== undefined && this.steps % (every[m.symbol] ?? 1) !== 0) continue;
      const lower = m.symbol.toLowerCase();
      m.step(ops, this.simTimeMs, (t) => {
        const json = SimMarket.tradeJson(m.symbol, t);
        let recent = this.recentTrades.get(m.symbol);
        if (recent === undefined) this.recentTrades.set(m.symbol, (recent = []));
        recent.push(json);
        if (recent.length > 200) recent.splice(0, 100);
        this.broadcast(`${lower}@trade`, json);
      });
      const ev = m.flushDepth(this.simTimeMs);
      if (ev === null) continue;
      const skip = this.gapNext.get(m.symbol) ?? 0;
      if (skip > 0) {
        this.gapNext.set(m.symbol, skip - 1);
        this.stats.depthEventsSkipped++;
        continue;
      }
      const json = SimMarket.depthJson(m.symbol, ev);
      this.broadcast(`${lower}@depth@100ms`, json);
      this.broadcast(`${lower}@depth`, json);
      this.broadcast(`${lower}@bookTicker`, m.bookTickerJson());
      this.stats.depthEventsSent++;
    }
  }

  /**
   * Scripted market: applies the given level changes to `symbol` (prices/qtys in 1e-8 units) and sends them at once
   * as one depth event (whatever the random flow is doing; `pause()` first for a fully scripted market).
   * Returns the event's final update id.
   */
  scriptDepth(symbol: string, bids: readonly (readonly [number, number])[], asks: readonly (readonly [number, number])[]): number {
    const m = this.markets.get(symbol.toUpperCase());
    if (m === undefined) throw new RangeError(`scriptDepth: unknown symbol ${symbol}`);
    m.applyLevels(bids, asks);
    this.simTimeMs += 1;
    const ev = m.flushDepth(this.simTimeMs);
    if (ev === null) return m.updateId;
    const json = SimMarket.depthJson(m.symbol, ev);
    const lower = m.symbol.toLowerCase();
    this.broadcast(`${lower}@depth@100ms`, json);
    this.broadcast(`${lower}@depth`, json);
    this.broadcast(`${lower}@bookTicker`, m.bookTickerJson());
    this.stats.depthEventsSent++;
    return ev.u;
  }

  /** The exchange's book right after the depth event ending at `updateId` (undefined if none ended there). */
  trueBookAt(symbol: string, updateId: number): BookLevels | undefined {
    return this.markets.get(symbol.toUpperCase())?.bookAt(updateId);
  }

  // ---- Faults -------------------------------------------------------------------------------------------------

  /** The next `events` depth events of `symbol` are applied to the true book but never sent. */
  injectGap(symbol: string, events = 1): void {
    this.gapNext.set(symbol.toUpperCase(), (this.gapNext.get(symbol.toUpperCase()) ?? 0) + events);
  }

  /** Drops every connection: `abrupt` destroys the socket (no close frame), otherwise a 1001 close. */
  disconnectAll(abrupt = true): void {
    for (const c of this.conns) this.dropConnection(c, abrupt);
  }

  sendRaw(text: string): void {
    for (const c of this.conns) if (c.ws.readyState === WebSocket.OPEN) c.ws.send(text);
  }

  sendMalformed(): void {
    this.sendRaw('{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","U":');
  }

  sendUnknownEvent(): void {
    for (const c of this.conns) {
      const stream = [...c.streams][0] ?? 'btcusdt@depth@100ms';
      const data = `{"e":"mysteryEvent","E":${this.simTimeMs},"s":"BTCUSDT"}`;
      if (c.ws.readyState === WebSocket.OPEN) c.ws.send(c.combined ? `{"stream":"${stream}","data":${data}}` : data);
    }
  }

  sendServerShutdown(): void {
    for (const c of this.conns) {
      const data = `{"e":"serverShutdown","E":${this.simTimeMs}}`;
      if (c.ws.readyState === WebSocket.OPEN) c.ws.send(c.combined ? `{"stream":"!serverShutdown","data":${data}}` : data);
    }
  }

  /** The next `count` depth requests get 429 with `Retry-After: retryAfterSec`. */
  /** exchangeInfo reports this status for the symbol from now on (Binance: TRADING, HALT, BREAK, ...). */
  setSymbolStatus(symbol: string, status: string): void {
    if (!this.markets.has(symbol.toUpperCase())) throw new RangeError(`setSymbolStatus: unknown symbol ${symbol}`);
    this.symbolStatus.set(symbol.toUpperCase(), status);
  }

  /** The next `count` exchangeInfo requests fail with `status` (429/418 carry Retry-After; 0 = connection reset). */
  failExchangeInfo(count: number, status: number, retryAfterSec = 1): void {
    this.exchangeInfoFailures = { count, status, retryAfterSec };
  }

  failWith429(count: number, retryAfterSec: number): void {
    this.fail429 = count;
    this.retryAfterSec = retryAfterSec;
  }

  failWith418(count: number, retryAfterSec: number): void {
    this.fail418 = count;
    this.retryAfterSec = retryAfterSec;
  }

  setSnapshotDelayMs(ms: number): void {
    this.snapshotDelayMs = ms;
  }

  /** The next `count` snapshots are the initial book: older than anything a client has buffered. */
  serveStaleSnapshots(count: number): void {
    this.staleSnapshots = count;
  }

  /** New connections first receive the last `events` depth events and trades again (duplicates across reconnect). */
  setReplayOnConnect(events: number): void {
    this.replayOnConnect = events;
  }

  /** `intervalMs` 0 = no pings; `expectPong` false = never disconnect for a missing pong. */
  setPings(intervalMs: number, expectPong: boolean, pongTimeoutMs = this.pongTimeoutMs): void {
    this.pingIntervalMs = intervalMs;
    this.expectPong = expectPong;
    this.pongTimeoutMs = pongTimeoutMs;
    this.schedulePings();
  }

  /** Connections older than this are closed (Binance: 24 h). Applies to open connections too. */
  setMaxConnectionAgeMs(ms: number): void {
    this.maxConnectionAgeMs = ms;
    for (const c of this.conns) this.armMaxAge(c);
  }

  /** Delays everything sent on the currently open connections by `ms` (new connections are not delayed). */
  lagOpenConnections(ms: number): void {
    for (const c of this.conns) c.lagMs = ms;
  }

  openConnectionCount(): number {
    return this.conns.size;
  }

  // ---- WebSocket ----------------------------------------------------------------------------------------------

  private streamsOf(url: URL): Set<string> | null {
    if (url.pathname === '/stream') {
      const s = url.searchParams.get('streams');
      if (s === null || s === '') return null;
      return new Set(s.split('/').filter((x) => x !== ''));
    }
    if (url.pathname.startsWith('/ws/')) return new Set([url.pathname.slice(4)]);
    return null;
  }

  private onConnection(ws: WebSocket, streams: Set<string>, combined: boolean): void {
    const c: Connection = {
      ws, id: this.nextConnId++, combined, streams, openedAtMs: Date.now(), awaitingPongSinceMs: 0, incoming: [], ageTimer: null, pumpTimer: null, lagMs: 0,
    };
    this.conns.add(c);
    this.stats.connectionsOpened++;
    this.stats.openConnections = this.conns.size;
    this.log(`connection ${c.id} opened: ${[...streams].join('/')}`);
    ws.on('pong', () => {
      c.awaitingPongSinceMs = 0;
      this.stats.pongsReceived++;
    });
    ws.on('message', () => this.onIncoming(c));
    ws.on('ping', () => this.onIncoming(c));
    ws.on('close', () => this.forget(c));
    ws.on('error', () => this.forget(c));
    this.armMaxAge(c);
    if (this.replayOnConnect > 0) {
      for (const m of this.markets.values()) {
        const lower = m.symbol.toLowerCase();
        for (const ev of m.history.slice(-this.replayOnConnect)) {
          const json = SimMarket.depthJson(m.symbol, ev);
          this.sendTo(c, `${lower}@depth@100ms`, json);
          this.sendTo(c, `${lower}@depth`, json);
        }
        for (const json of (this.recentTrades.get(m.symbol) ?? []).slice(-this.replayOnConnect)) this.sendTo(c, `${lower}@trade`, json);
      }
    }
    if (this.recorded !== null) this.playRecorded(c, this.recorded);
  }

  private onIncoming(c: Connection): void {
    this.stats.incomingMessages++;
    const now = Date.now();
    c.incoming.push(now);
    while (c.incoming.length > 0 && c.incoming[0]! <= now - 1000) c.incoming.shift();
    if (c.incoming.length > 5) {
      this.stats.rateLimitDisconnects++;
      this.log(`connection ${c.id}: more than 5 incoming messages in a second, closing`);
      c.ws.close(1008, 'Too many requests');
    }
  }

  private armMaxAge(c: Connection): void {
    if (c.ageTimer !== null) clearTimeout(c.ageTimer);
    const left = Math.max(0, c.openedAtMs + this.maxConnectionAgeMs - Date.now());
    c.ageTimer = setTimeout(() => {
      c.ageTimer = null;
      this.log(`connection ${c.id}: maximum age reached, closing`);
      if (c.ws.readyState === WebSocket.OPEN) c.ws.close(1000, 'max connection age');
    }, left);
  }

  private forget(c: Connection): void {
    if (c.ageTimer !== null) clearTimeout(c.ageTimer);
    if (c.pumpTimer !== null) clearTimeout(c.pumpTimer);
    c.ageTimer = c.pumpTimer = null;
    if (this.conns.delete(c)) this.log(`connection ${c.id} closed`);
    this.stats.openConnections = this.conns.size;
  }

  private dropConnection(c: Connection, abrupt: boolean): void {
    if (abrupt) c.ws.terminate(); else c.ws.close(1001, 'going away');
    this.forget(c);
  }

  private schedulePings(): void {
    if (this.pingTimer !== null) clearInterval(this.pingTimer);
    this.pingTimer = null;
    if (this.pingIntervalMs <= 0) return;
    this.pingTimer = setInterval(() => {
      const now = Date.now();
      for (const c of this.conns) {
        if (c.ws.readyState !== WebSocket.OPEN) continue;
        if (this.expectPong && c.awaitingPongSinceMs > 0 && now - c.awaitingPongSinceMs > this.pongTimeoutMs) {
          this.stats.pongTimeouts++;
          this.log(`connection ${c.id}: no pong, closing`);
          this.dropConnection(c, true);
          continue;
        }
        if (c.awaitingPongSinceMs === 0) c.awaitingPongSinceMs = now;
        c.ws.ping(Buffer.from(String(now)));
      }
    }, Math.max(1, Math.min(this.pingIntervalMs, this.pongTimeoutMs)));
  }

  private broadcast(stream: string, data: string): void {
    for (const c of this.conns) this.sendTo(c, stream, data);
  }

  private sendTo(c: Connection, stream: string, data: string): void {
    if (!c.streams.has(stream) || c.ws.readyState !== WebSocket.OPEN) return;
    if (c.ws.bufferedAmount > 64 * 1024 * 1024) {
      this.log(`connection ${c.id}: consumer too slow, closing`);
      this.dropConnection(c, true);
      return;
    }
    const frame = c.combined ? `{"stream":"${stream}","data":${data}}` : data;
    if (c.lagMs > 0) {
      // Equal delays fire in order, so a lagged connection still delivers in sequence.
      setTimeout(() => { if (c.ws.readyState === WebSocket.OPEN) c.ws.send(frame); }, c.lagMs);
    } else {
      c.ws.send(frame);
    }
  }

  private playRecorded(c: Connection, feed: RecordedFeed): void {
    const speed = this.options.recorded?.speed ?? 0;
    const startMs = Date.now();
    let i = 0;
    const pump = (): void => {
      c.pumpTimer = null;
      if (c.ws.readyState !== WebSocket.OPEN) return;
      const elapsedNs = (Date.now() - startMs) * 1e6 * (speed > 0 ? speed : 1);
      let sent = 0;
      while (i < feed.frames.length && c.ws.bufferedAmount < 1 << 20 && sent < 2000) {
        const f = feed.frames[i]!;
        if (speed > 0 && f.offsetNs > elapsedNs) break;
        i++;
        if (!c.streams.has(f.stream)) continue;
        c.ws.send(c.combined ? f.text : extractData(f.text));
        sent++;
      }
      if (i < feed.frames.length) {
        c.pumpTimer = setTimeout(pump, sent > 0 || speed === 0 ? 0 : 1);
      }
    };
    pump();
  }

  // ---- REST ---------------------------------------------------------------------------------------------------

  private onHttp(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    (res as ServerResponse & { requestLog?: FakeBinanceServer['requestLog'] }).requestLog = this.requestLog;
    try {
      if (url.pathname.startsWith('/_control/')) return this.onControl(req, url, res);
      if (req.method === 'GET' && url.pathname === '/api/v3/depth') return this.onDepth(url, res);
      if (req.method === 'GET' && url.pathname === '/api/v3/exchangeInfo') return this.onExchangeInfo(url, res);
      if (req.method === 'GET' && url.pathname === '/api/v3/ping') return json(res, 200, '{}');
      json(res, 404, '{"code":-1,"msg":"not found"}');
    } catch (e) {
      json(res, 500, JSON.stringify({ code: -1000, msg: String(e) }));
    }
  }

  private onDepth(url: URL, res: ServerResponse): void {
    this.stats.depthRequests++;
    if (this.fail418 > 0) {
      this.fail418--;
      this.stats.rejected418++;
      res.setHeader('Retry-After', String(this.retryAfterSec));
      return json(res, 418, '{"code":-1003,"msg":"Way too many requests; IP banned."}');
    }
    if (this.fail429 > 0) {
      this.fail429--;
      this.stats.rejected429++;
      res.setHeader('Retry-After', String(this.retryAfterSec));
      return json(res, 429, '{"code":-1003,"msg":"Too many requests."}');
    }
    const symbol = (url.searchParams.get('symbol') ?? '').toUpperCase();
    const limitText = url.searchParams.get('limit');
    const limit = limitText === null ? 100 : Math.min(5000, Math.max(1, Number(limitText) | 0));
    let body: string;
    let status = 200;
    if (this.recorded !== null) {
      const b = this.recorded.snapshots.get(symbol);
      if (b === undefined) { status = 400; body = '{"code":-1121,"msg":"Invalid symbol."}'; } else body = b;
    } else {
      const m = this.markets.get(symbol);
      if (m === undefined) {
        status = 400;
        body = '{"code":-1121,"msg":"Invalid symbol."}';
      } else {
        let book: BookLevels;
        if (this.staleSnapshots > 0) {
          this.staleSnapshots--;
          book = m.bookAt(m.history.length > 0 ? m.history[0]!.U - 1 : m.updateId)!;
        } else {
          book = m.levels(limit);
        }
        body = SimMarket.snapshotJson({ updateId: book.updateId, bids: book.bids.slice(0, limit), asks: book.asks.slice(0, limit) });
      }
    }
    // The book is taken when the request arrives and delivered late (a slow exchange or network): events keep
    // flowing meanwhile, so the client must buffer them and apply those after the snapshot's id.
    if (this.snapshotDelayMs > 0) setTimeout(() => json(res, status, body), this.snapshotDelayMs);
    else json(res, status, body);
  }

  private onExchangeInfo(url: URL, res: ServerResponse): void {
    this.stats.exchangeInfoRequests++;
    const fail = this.exchangeInfoFailures;
    if (fail.count > 0) {
      fail.count--;
      if (fail.status === 0) {
        this.requestLog.push({ path: res.req.url ?? '', status: 0, atMs: Date.now() });
        res.socket?.destroy();
        return;
      }
      if (fail.status === 429 || fail.status === 418) res.setHeader('Retry-After', String(fail.retryAfterSec));
      return json(res, fail.status, '{"code":-1003,"msg":"Too many requests."}');
    }
    const wanted = new Set<string>();
    const one = url.searchParams.get('symbol');
    if (one !== null) wanted.add(one.toUpperCase());
    const many = url.searchParams.get('symbols');
    if (many !== null) for (const s of JSON.parse(many) as string[]) wanted.add(s.toUpperCase());
    const symbols = [...this.markets.values()]
      .filter((m) => wanted.size === 0 || wanted.has(m.symbol))
      .map((m) => ({
        symbol: m.symbol,
        status: this.symbolStatus.get(m.symbol) ?? 'TRADING',
        baseAsset: m.symbol.replace(/USDT$/, ''),
        quoteAsset: m.symbol.endsWith('USDT') ? 'USDT' : '',
        filters: [
          { filterType: 'PRICE_FILTER', minPrice: formatFixed8(m.spec.tickSize), maxPrice: '1000000.00000000', tickSize: formatFixed8(m.spec.tickSize) },
          { filterType: 'LOT_SIZE', minQty: formatFixed8(m.spec.lotSize), maxQty: '9000.00000000', stepSize: formatFixed8(m.spec.lotSize) },
          { filterType: 'NOTIONAL', minNotional: formatFixed8(m.spec.minNotional ?? 500_000_000), applyMinToMarket: true, maxNotional: '9000000.00000000', applyMaxToMarket: false, avgPriceMins: 5 },
        ],
      }));
    // Binance rejects the whole request when any requested symbol is unknown.
    if (wanted.size > symbols.length) return json(res, 400, '{"code":-1121,"msg":"Invalid symbol."}');
    res.setHeader('X-MBX-USED-WEIGHT-1M', String(20 * this.stats.exchangeInfoRequests));
    json(res, 200, JSON.stringify({
      timezone: 'UTC',
      serverTime: this.simTimeMs,
      rateLimits: [
        { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
        { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 300000 },
      ],
      symbols,
    }));
  }

  /** `POST /_control/<fault>?…` for process tests; `GET /_control/stats`. */
  private onControl(req: IncomingMessage, url: URL, res: ServerResponse): void {
    if (url.pathname === '/_control/script' && req.method === 'POST') {
      // Body: {"symbol":"BTCUSDT","bids":[["67000.01","0.5"]],"asks":[...]} in Binance's decimal strings.
      let body = '';
      req.on('data', (d: Buffer) => { body += d.toString(); });
      req.on('end', () => {
        try {
          const j = JSON.parse(body) as { symbol?: string; bids?: [string, string][]; asks?: [string, string][] };
          const conv = (levels: [string, string][] | undefined, what: string): [number, number][] =>
            (levels ?? []).map(([p, q]) => [toFixed8OrThrow(p, `${what} price`), toFixed8OrThrow(q, `${what} qty`)]);
          const u = this.scriptDepth(j.symbol ?? '', conv(j.bids, 'bid'), conv(j.asks, 'ask'));
          json(res, 200, JSON.stringify({ ok: true, u }));
        } catch (e) {
          json(res, 400, JSON.stringify({ error: (e as Error).message }));
        }
      });
      return;
    }
    const name = url.pathname.slice('/_control/'.length);
    const q = url.searchParams;
    const num = (k: string, d: number): number => {
      const v = q.get(k);
      if (v === null) return d;
      const n = Number(v);
      if (!Number.isFinite(n)) throw new RangeError(`control ${name}: ${k}=${v} is not a number`);
      return n;
    };
    if (name === 'stats') return json(res, 200, JSON.stringify({ ...this.stats, paused: this.paused }));
    if (req.method !== 'POST') return json(res, 405, '{"error":"use POST"}');
    switch (name) {
      case 'gap': this.injectGap(q.get('symbol') ?? 'BTCUSDT', num('events', 1)); break;
      case 'disconnect': this.disconnectAll(q.get('clean') === null); break;
      case 'malformed': this.sendMalformed(); break;
      case 'unknown': this.sendUnknownEvent(); break;
      case 'serverShutdown': this.sendServerShutdown(); break;
      case '429': this.failWith429(num('count', 1), num('retryAfter', 1)); break;
      case '418': this.failWith418(num('count', 1), num('retryAfter', 1)); break;
      case 'snapshotDelay': this.setSnapshotDelayMs(num('ms', 0)); break;
      case 'staleSnapshot': this.serveStaleSnapshots(num('count', 1)); break;
      case 'replayOnConnect': this.setReplayOnConnect(num('events', 0)); break;
      case 'pings': this.setPings(num('intervalMs', 20_000), q.get('expectPong') !== 'false', num('pongTimeoutMs', this.pongTimeoutMs)); break;
      case 'maxAge': this.setMaxConnectionAgeMs(num('ms', 24 * 3600_000)); break;
      case 'lag': this.lagOpenConnections(num('ms', 0)); break;
      case 'pause': this.pause(); break;
      case 'status': this.setSymbolStatus(q.get('symbol') ?? 'BTCUSDT', q.get('status') ?? 'TRADING'); break;
      case 'exchangeInfoFail': this.failExchangeInfo(num('count', 1), num('status', 500), num('retryAfter', 1)); break;
      case 'resume': this.resume(); break;
      default: return json(res, 404, JSON.stringify({ error: `unknown control ${name}` }));
    }
    json(res, 200, '{"ok":true}');
  }
}

function json(res: ServerResponse, status: number, body: string): void {
  const log = (res as ServerResponse & { requestLog?: FakeBinanceServer['requestLog'] }).requestLog;
  log?.push({ path: res.req.url ?? '', status, atMs: Date.now() });
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(body);
}

function extractData(frame: string): string {
  const at = frame.indexOf('"data":');
  return at < 0 ? frame : frame.slice(at + 7, frame.length - 1);
}
