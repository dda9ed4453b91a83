import { afterEach, describe, expect, it } from 'vitest';
// Test-only relative import: @mm/fake-binance depends on @mm/binance (see ClientHarness).
import { FakeBinanceServer } from '../../fake-binance/src/index.js';
import { parseExchangeInfo, type ExchangeInfo } from '../src/ExchangeInfo.js';
import { ExchangeInfoPoller, exchangeInfoUrl, fetchExchangeInfo } from '../src/ExchangeInfoClient.js';
import { waitFor } from './ClientHarness.js';

describe('exchangeInfo against the fake Binance', () => {
  let server: FakeBinanceServer | undefined;
  let poller: ExchangeInfoPoller | undefined;
  afterEach(async () => {
    poller?.stop();
    await server?.stop();
  });

  async function start(): Promise<FakeBinanceServer> {
    server = new FakeBinanceServer({ depthIntervalMs: 50 });
    await server.start();
    return server;
  }

  it('builds the documented URL forms', () => {
    expect(exchangeInfoUrl('https://api.binance.com/', ['btcusdt'])).toBe('https://api.binance.com/api/v3/exchangeInfo?symbol=BTCUSDT');
    expect(exchangeInfoUrl('https://x', ['BTCUSDT', 'ETHUSDT'])).toBe(`https://x/api/v3/exchangeInfo?symbols=${encodeURIComponent('["BTCUSDT","ETHUSDT"]')}`);
  });

  it('fetches the fake\'s tick, step, minimums and status, with the weight header', async () => {
    const s = await start();
    s.setSymbolStatus('ETHUSDT', 'BREAK');
    const r = await fetchExchangeInfo(s.restBaseUrl, ['BTCUSDT', 'ETHUSDT'], { nowMs: () => 42 });
    expect(r.kind).toBe('ok');
    if (r.kind !== 'ok') return;
    expect(r.fetchTimeMs).toBe(42);
    expect(r.usedWeight).toBe(20);
    expect(r.info.symbols.map((x) => [x.symbol, x.status, x.tickSizeE8, x.stepSizeE8, x.minQtyE8, x.minNotionalE8])).toEqual([
      ['BTCUSDT', 'TRADING', s.markets.get('BTCUSDT')!.spec.tickSize, s.markets.get('BTCUSDT')!.spec.lotSize, s.markets.get('BTCUSDT')!.spec.lotSize, 500_000_000],
      ['ETHUSDT', 'BREAK', s.markets.get('ETHUSDT')!.spec.tickSize, s.markets.get('ETHUSDT')!.spec.lotSize, s.markets.get('ETHUSDT')!.spec.lotSize, 500_000_000],
    ]);
  });

  it('returns what happened instead of throwing: unknown symbol, 429 with Retry-After, HTTP 500, unreachable', async () => {
    const s = await start();
    expect(await fetchExchangeInfo(s.restBaseUrl, ['BTCUSDT', 'NOPEUSDT'])).toMatchObject({ kind: 'invalid-symbol' });
    s.failExchangeInfo(1, 429, 3);
    expect(await fetchExchangeInfo(s.restBaseUrl, ['BTCUSDT'])).toEqual({ kind: 'rate-limited', status: 429, retryAfterMs: 3000 });
    s.failExchangeInfo(1, 500);
    expect(await fetchExchangeInfo(s.restBaseUrl, ['BTCUSDT'])).toMatchObject({ kind: 'failed', message: expect.stringMatching(/HTTP 500/) as string });
    const url = s.restBaseUrl;
    await s.stop();
    server = undefined;
    expect(await fetchExchangeInfo(url, ['BTCUSDT'], { timeoutMs: 500 })).toMatchObject({ kind: 'failed', message: expect.stringContaining('exchangeInfo') as string });
  });

  it('poller: retries failures with backoff (each reported), honours Retry-After, then refreshes periodically', async () => {
    const s = await start();
    s.failExchangeInfo(2, 0);
    const infos: ExchangeInfo[] = [];
    const problems: { message: string; retryInMs: number }[] = [];
    poller = new ExchangeInfoPoller({
      restUrl: s.restBaseUrl, symbols: ['BTCUSDT', 'ETHUSDT'], refreshMs: 150, retryInitialMs: 20, retryMaxMs: 40, random: () => 1,
      onInfo: (info) => infos.push(info), onProblem: (message, retryInMs) => problems.push({ message, retryInMs }),
    });
    poller.start();
    await waitFor('first success', () => infos.length === 1);
    expect(problems.map((p) => p.retryInMs)).toEqual([20, 40]);
    expect(problems[0]!.message).toMatch(/exchangeInfo/);
    s.setSymbolStatus('BTCUSDT', 'HALT');
    s.failExchangeInfo(1, 429, 0.05);
    await waitFor('refresh after a 429', () => infos.length === 2);
    expect(problems.at(-1)).toEqual({ message: 'exchangeInfo: HTTP 429 (rate limited)', retryInMs: 50 });
    expect(infos[1]!.symbols[0]!.status).toBe('HALT');
    expect(poller.counters).toMatchObject({ successes: 2, failures: 2, rateLimited429: 1 });
  });

  it('poller: a 418 waits at least banBackoffMs', async () => {
    const s = await start();
    s.failExchangeInfo(1, 418, 0);
    const problems: number[] = [];
    poller = new ExchangeInfoPoller({
      restUrl: s.restBaseUrl, symbols: ['BTCUSDT'], refreshMs: 10_000, banBackoffMs: 60_000,
      onInfo: () => {}, onProblem: (_, retryInMs) => problems.push(retryInMs),
    });
    poller.start();
    await waitFor('418 seen', () => problems.length === 1);
    expect(problems).toEqual([60_000]);
    expect(poller.counters.banned418).toBe(1);
  });

  it('poller: one unknown symbol is named and the others still arrive', async () => {
    const s = await start();
    const infos: ExchangeInfo[] = [];
    const bodies: string[] = [];
    poller = new ExchangeInfoPoller({
      restUrl: s.restBaseUrl, symbols: ['BTCUSDT', 'NOPEUSDT', 'ETHUSDT'], refreshMs: 10_000,
      onInfo: (info, _, body) => { infos.push(info); bodies.push(body); }, onProblem: () => {},
    });
    poller.start();
    await waitFor('info', () => infos.length === 1);
    const [btc, nope, eth] = infos[0]!.symbols;
    expect(btc).toMatchObject({ symbol: 'BTCUSDT', status: 'TRADING', problems: [] });
    expect(nope).toMatchObject({ symbol: 'NOPEUSDT', status: undefined, problems: [expect.stringMatching(/NOPEUSDT.*Invalid symbol/) as string] });
    expect(eth).toMatchObject({ symbol: 'ETHUSDT', status: 'TRADING', problems: [] });
    // The body a recording keeps: Binance's JSON with the symbols found, read back to the same instruments.
    const again = parseExchangeInfo(bodies[0]!, ['BTCUSDT', 'NOPEUSDT', 'ETHUSDT']);
    expect(again.symbols.map((x) => [x.symbol, x.tickSizeE8, x.stepSizeE8, x.minNotionalE8])).toEqual(
      [btc, nope, eth].map((x) => [x!.symbol, x!.tickSizeE8, x!.stepSizeE8, x!.minNotionalE8]));
    expect(again.serverTimeMs).toBe(infos[0]!.serverTimeMs);
  });

  it('poller: hands over the response body as received', async () => {
    const s = await start();
    const bodies: string[] = [];
    poller = new ExchangeInfoPoller({
      restUrl: s.restBaseUrl, symbols: ['BTCUSDT', 'ETHUSDT'], refreshMs: 10_000,
      onInfo: (_, __, body) => bodies.push(body), onProblem: () => {},
    });
    poller.start();
    await waitFor('info', () => bodies.length === 1);
    const direct = await fetchExchangeInfo(s.restBaseUrl, ['BTCUSDT', 'ETHUSDT']);
    expect(direct.kind).toBe('ok');
    // Same server state: the same bytes (serverTime aside).
    const strip = (b: string): string => b.replace(/"serverTime":\d+/, '');
    expect(strip(bodies[0]!)).toBe(strip((direct as { body: string }).body));
    expect(bodies[0]).toMatch(/"tickSize"/);
  });
});
