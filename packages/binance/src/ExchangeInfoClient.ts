import { Backoff } from './Backoff.js';
import { ExchangeInfoError, parseExchangeInfo, type ExchangeInfo, type ExchangeSymbolInfo } from './ExchangeInfo.js';

/**
 * Fetching `GET /api/v3/exchangeInfo?symbols=[...]` (request weight 20) and keeping it fresh.
 *
 * `fetchExchangeInfo` is one request with a timeout; it never throws, it returns what happened. `ExchangeInfoPoller`
 * runs it at start, retries failures with backoff + jitter until it succeeds (forever: an unreachable Binance is
 * reported through `onProblem` each time, never fatal), then refreshes every `refreshMs`.
 *
 * Rate limits follow the market-data client: 429 waits `Retry-After` (1 s when absent); 418 (IP banned) waits
 * max(`Retry-After`, `banBackoffMs`). Binance rejects the whole request with code -1121 when one symbol is
 * unknown: the poller then asks for each symbol alone, so the good ones still arrive and the bad one is named.
 */

export type ExchangeInfoFetch =
  /** `body`: the response as received (recordings keep it raw, see ExchangeInfoSidecar). */
  | { readonly kind: 'ok'; readonly info: ExchangeInfo; readonly fetchTimeMs: number; readonly usedWeight: number; readonly body: string }
  /** 429 or 418, with the wait Binance asked for (ms; 0 when it did not say). */
  | { readonly kind: 'rate-limited'; readonly status: 429 | 418; readonly retryAfterMs: number }
  /** Binance's -1121: a requested symbol does not exist. */
  | { readonly kind: 'invalid-symbol'; readonly message: string }
  | { readonly kind: 'failed'; readonly message: string };

export interface FetchExchangeInfoOptions {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Wall clock for `fetchTimeMs` (injected in tests). */
  readonly nowMs?: () => number;
}

/** The request URL: one `symbol=` for one symbol, else the JSON array form of `symbols=`. */
export function exchangeInfoUrl(restUrl: string, symbols: readonly string[]): string {
  const base = `${restUrl.replace(/\/+$/, '')}/api/v3/exchangeInfo`;
  if (symbols.length === 1) return `${base}?symbol=${encodeURIComponent(symbols[0]!.toUpperCase())}`;
  return `${base}?symbols=${encodeURIComponent(JSON.stringify(symbols.map((s) => s.toUpperCase())))}`;
}

export async function fetchExchangeInfo(restUrl: string, symbols: readonly string[], options: FetchExchangeInfoOptions = {}): Promise<ExchangeInfoFetch> {
  const abort = new AbortController();
  const onOuterAbort = (): void => abort.abort();
  options.signal?.addEventListener('abort', onOuterAbort);
  const timer = setTimeout(() => abort.abort(), options.timeoutMs ?? 10_000);
  const url = exchangeInfoUrl(restUrl, symbols);
  try {
    const res = await fetch(url, { signal: abort.signal });
    const body = await res.text();
    const fetchTimeMs = (options.nowMs ?? Date.now)();
    if (res.status === 429 || res.status === 418) {
      return { kind: 'rate-limited', status: res.status, retryAfterMs: retryAfterMsOf(res.headers.get('retry-after')) };
    }
    if (res.status !== 200) {
      if (res.status === 400 && /"code"\s*:\s*-1121\b/.test(body)) {
        return { kind: 'invalid-symbol', message: `exchangeInfo ${symbols.join(',')}: HTTP 400 ${body.slice(0, 200)}` };
      }
      return { kind: 'failed', message: `exchangeInfo: HTTP ${res.status} ${body.slice(0, 200)}` };
    }
    const info = parseExchangeInfo(body, symbols);
    const weight = Number(res.headers.get('x-mbx-used-weight-1m') ?? NaN);
    return { kind: 'ok', info, fetchTimeMs, usedWeight: Number.isFinite(weight) ? weight : -1, body };
  } catch (e) {
    if (e instanceof ExchangeInfoError) return { kind: 'failed', message: e.message };
    const err = e as Error;
    const why = err.name === 'AbortError' ? 'timed out or aborted' : `${err.message}${err.cause instanceof Error ? ` (${err.cause.message})` : ''}`;
    return { kind: 'failed', message: `exchangeInfo ${url}: ${why}` };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
}

/** The raw `symbols` entries of a body parseExchangeInfo accepted (so it is a JSON object with that array). */
function rawSymbolsOf(body: string): unknown[] {
  const root = JSON.parse(body) as { symbols: unknown[] };
  return root.symbols;
}

/** `Retry-After` in seconds (Binance) → ms; 0 when absent or not a number. */
function retryAfterMsOf(header: string | null): number {
  if (header === null) return 0;
  const s = Number(header);
  return Number.isFinite(s) && s >= 0 ? s * 1000 : 0;
}

export interface ExchangeInfoPollerOptions {
  readonly restUrl: string;
  readonly symbols: readonly string[];
  /** Refresh period after a success. */
  readonly refreshMs: number;
  readonly timeoutMs?: number;
  readonly retryInitialMs?: number;
  readonly retryMaxMs?: number;
  readonly banBackoffMs?: number;
  readonly random?: () => number;
  readonly nowMs?: () => number;
  /**
   * Every successful fetch (the symbols that could not be fetched are in `info.symbols` with a problem). `body` is
   * Binance's JSON: the response, or after a -1121 narrowing one body holding the symbols found.
   */
  readonly onInfo: (info: ExchangeInfo, fetchTimeMs: number, body: string) => void;
  /** A failed attempt and when the next one is due (ms from now). */
  readonly onProblem: (message: string, retryInMs: number) => void;
}

export class ExchangeInfoPoller {
  readonly counters = { requests: 0, successes: 0, failures: 0, rateLimited429: 0, banned418: 0 };
  private readonly backoff: Backoff;
  private timer: NodeJS.Timeout | null = null;
  private readonly abort = new AbortController();
  private stopped = false;

  constructor(private readonly o: ExchangeInfoPollerOptions) {
    if (o.symbols.length === 0) throw new RangeError('ExchangeInfoPoller needs at least one symbol');
    if (!(o.refreshMs > 0)) throw new RangeError(`refreshMs must be > 0, got ${o.refreshMs}`);
    this.backoff = new Backoff(o.retryInitialMs ?? 500, o.retryMaxMs ?? 30_000, o.random);
  }

  /** Starts the first fetch now. */
  start(): void {
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.abort.abort();
  }

  /** Fetches now (e.g. an operator asked), keeping the schedule afterwards. */
  refreshNow(): void {
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.poll();
    }, delayMs);
  }

  private async poll(): Promise<void> {
    const r = await this.fetch(this.o.symbols);
    if (this.stopped) return;
    if (r.kind === 'ok') {
      this.succeeded(r.info, r.fetchTimeMs, r.body);
      return;
    }
    if (r.kind === 'invalid-symbol' && this.o.symbols.length > 1) {
      // Ask one by one so one bad symbol does not hide the others.
      const found: ExchangeSymbolInfo[] = [];
      const rawSymbols: unknown[] = [];
      let serverTimeMs = 0;
      let fetchTimeMs = 0;
      for (const symbol of this.o.symbols) {
        const one = await this.fetch([symbol]);
        if (this.stopped) return;
        if (one.kind === 'ok') {
          found.push(one.info.symbols[0]!);
          rawSymbols.push(...rawSymbolsOf(one.body));
          serverTimeMs = one.info.serverTimeMs;
          fetchTimeMs = one.fetchTimeMs;
        } else if (one.kind === 'invalid-symbol') {
          found.push({
            symbol, status: undefined, tickSizeE8: undefined, stepSizeE8: undefined, minQtyE8: undefined,
            minNotionalE8: undefined, problems: [`${symbol}: Binance does not know this symbol (-1121 Invalid symbol)`],
          });
        } else {
          return this.failed(one);
        }
      }
      this.succeeded({ serverTimeMs, symbols: found }, fetchTimeMs, JSON.stringify({ serverTime: serverTimeMs, symbols: rawSymbols }));
      return;
    }
    this.failed(r);
  }

  private fetch(symbols: readonly string[]): Promise<ExchangeInfoFetch> {
    this.counters.requests++;
    return fetchExchangeInfo(this.o.restUrl, symbols, {
      signal: this.abort.signal,
      ...(this.o.timeoutMs !== undefined ? { timeoutMs: this.o.timeoutMs } : {}),
      ...(this.o.nowMs !== undefined ? { nowMs: this.o.nowMs } : {}),
    });
  }

  private succeeded(info: ExchangeInfo, fetchTimeMs: number, body: string): void {
    this.counters.successes++;
    this.backoff.reset();
    this.schedule(this.o.refreshMs);
    this.o.onInfo(info, fetchTimeMs, body);
  }

  private failed(r: Exclude<ExchangeInfoFetch, { kind: 'ok' }>): void {
    let waitMs: number;
    let message: string;
    if (r.kind === 'rate-limited') {
      if (r.status === 418) {
        this.counters.banned418++;
        waitMs = Math.max(r.retryAfterMs, this.o.banBackoffMs ?? 120_000);
      } else {
        this.counters.rateLimited429++;
        waitMs = r.retryAfterMs > 0 ? r.retryAfterMs : 1000;
      }
      message = `exchangeInfo: HTTP ${r.status} (${r.status === 418 ? 'IP banned' : 'rate limited'})`;
    } else {
      this.counters.failures++;
      waitMs = this.backoff.nextDelayMs();
      message = r.message;
    }
    this.schedule(waitMs);
    this.o.onProblem(message, waitMs);
  }
}
