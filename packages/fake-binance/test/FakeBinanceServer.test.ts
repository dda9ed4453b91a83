import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FakeBinanceServer } from '../src/FakeBinanceServer.js';
import { writeTradeRecording } from './recording.js';

async function until(what: string, cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('FakeBinanceServer', () => {
  let server: FakeBinanceServer;
  afterEach(async () => { await server?.stop(); });

  it('serves exchangeInfo with tick/lot filters and status, and depth snapshots with limits', async () => {
    server = new FakeBinanceServer({ depthIntervalMs: 10 });
    await server.start();
    const info = await (await fetch(`${server.restBaseUrl}/api/v3/exchangeInfo?symbol=BTCUSDT`)).json() as {
      symbols: { symbol: string; status: string; filters: { filterType: string; tickSize?: string; stepSize?: string }[] }[];
    };
    expect(info.symbols).toHaveLength(1);
    expect(info.symbols[0]!.status).toBe('TRADING');
    expect(info.symbols[0]!.filters.find((f) => f.filterType === 'PRICE_FILTER')!.tickSize).toBe('0.01000000');
    expect(info.symbols[0]!.filters.find((f) => f.filterType === 'LOT_SIZE')!.stepSize).toBe('0.00001000');
    const depth = await (await fetch(`${server.restBaseUrl}/api/v3/depth?symbol=BTCUSDT&limit=5`)).json() as { lastUpdateId: number; bids: unknown[]; asks: unknown[] };
    expect([depth.bids.length, depth.asks.length]).toEqual([5, 5]);
    expect(depth.lastUpdateId).toBeGreaterThan(0);
    expect((await fetch(`${server.restBaseUrl}/api/v3/depth?symbol=NOPE`)).status).toBe(400);
  });

  it('exchangeInfo: NOTIONAL filter, status set programmatically or over /_control/status, -1121 for any unknown symbol', async () => {
    server = new FakeBinanceServer({ depthIntervalMs: 10 });
    await server.start();
    type Info = { symbols: { symbol: string; status: string; filters: { filterType: string; minNotional?: string }[] }[] };
    const get = async (q: string): Promise<Info> => await (await fetch(`${server!.restBaseUrl}/api/v3/exchangeInfo${q}`)).json() as Info;
    const both = await get(`?symbols=${encodeURIComponent('["BTCUSDT","ETHUSDT"]')}`);
    expect(both.symbols.map((s) => s.status)).toEqual(['TRADING', 'TRADING']);
    expect(both.symbols[0]!.filters.find((f) => f.filterType === 'NOTIONAL')!.minNotional).toBe('5.00000000');
    server.setSymbolStatus('ETHUSDT', 'BREAK');
    expect((await fetch(`${server.restBaseUrl}/_control/status?symbol=BTCUSDT&status=HALT`, { method: 'POST' })).status).toBe(200);
    expect((await get(`?symbols=${encodeURIComponent('["BTCUSDT","ETHUSDT"]')}`)).symbols.map((s) => s.status)).toEqual(['HALT', 'BREAK']);
    expect((await fetch(`${server.restBaseUrl}/api/v3/exchangeInfo?symbols=${encodeURIComponent('["BTCUSDT","NOPE"]')}`)).status).toBe(400);
    expect((await fetch(`${server.restBaseUrl}/_control/exchangeInfoFail?count=1&status=503`, { method: 'POST' })).status).toBe(200);
    expect((await fetch(`${server.restBaseUrl}/api/v3/exchangeInfo?symbol=BTCUSDT`)).status).toBe(503);
    expect((await fetch(`${server.restBaseUrl}/api/v3/exchangeInfo?symbol=BTCUSDT`)).status).toBe(200);
  });

  it('streams combined and raw frames; the control endpoint injects faults', async () => {
    server = new FakeBinanceServer({ depthIntervalMs: 10 });
    await server.start();
    const combined: string[] = [];
    const raw: string[] = [];
    const a = new WebSocket(`${server.wsBaseUrl}/stream?streams=btcusdt@depth@100ms/ethusdt@trade`);
    const b = new WebSocket(`${server.wsBaseUrl}/ws/btcusdt@depth@100ms`);
    a.on('message', (d) => combined.push(String(d)));
    b.on('message', (d) => raw.push(String(d)));
    await until('frames', () => combined.length > 20 && raw.length > 5);
    expect(combined.every((f) => f.startsWith('{"stream":"btcusdt@depth@100ms"') || f.startsWith('{"stream":"ethusdt@trade"'))).toBe(true);
    expect(raw[0]!.startsWith('{"e":"depthUpdate"')).toBe(true);

    const before = server.stats.depthEventsSkipped;
    expect((await fetch(`${server.restBaseUrl}/_control/gap?symbol=BTCUSDT&events=2`, { method: 'POST' })).status).toBe(200);
    await until('gap', () => server.stats.depthEventsSkipped === before + 2);
    await fetch(`${server.restBaseUrl}/_control/429?count=1&retryAfter=3`, { method: 'POST' });
    const r = await fetch(`${server.restBaseUrl}/api/v3/depth?symbol=BTCUSDT`);
    expect([r.status, r.headers.get('retry-after')]).toEqual([429, '3']);
    await fetch(`${server.restBaseUrl}/_control/malformed`, { method: 'POST' });
    await until('malformed frame', () => combined.some((f) => { try { JSON.parse(f); return false; } catch { return true; } }));
    expect((await fetch(`${server.restBaseUrl}/_control/nope`, { method: 'POST' })).status).toBe(404);
    await fetch(`${server.restBaseUrl}/_control/disconnect`, { method: 'POST' });
    await until('closed', () => a.readyState === WebSocket.CLOSED && b.readyState === WebSocket.CLOSED);
    const stats = await (await fetch(`${server.restBaseUrl}/_control/stats`)).json() as { connectionsOpened: number };
    expect(stats.connectionsOpened).toBe(2);
  });

  it('closes a client that sends more than 5 messages a second, and one that never answers pings', async () => {
    server = new FakeBinanceServer({ depthIntervalMs: 10, pingIntervalMs: 30, pongTimeoutMs: 60 });
    await server.start();
    const chatty = new WebSocket(`${server.wsBaseUrl}/ws/btcusdt@trade`);
    await new Promise((r) => chatty.once('open', r));
    let closeCode = 0;
    chatty.on('close', (code) => { closeCode = code; });
    for (let i = 0; i < 6; i++) chatty.send('{"method":"LIST_SUBSCRIPTIONS","id":1}');
    await until('rate limit close', () => closeCode === 1008);
    const mute = new WebSocket(`${server.wsBaseUrl}/ws/btcusdt@trade`, { autoPong: false });
    await until('pong timeout', () => server.stats.pongTimeouts >= 1 && mute.readyState === WebSocket.CLOSED);
  });

  it('POST /_control/script applies exactly the scripted levels as one event', async () => {
    server = new FakeBinanceServer({ depthIntervalMs: 10 });
    await server.start();
    server.pause();
    const m = server.markets.get('BTCUSDT')!;
    const before = m.updateId;
    const r = await fetch(`${server.restBaseUrl}/_control/script`, {
      method: 'POST', body: JSON.stringify({ symbol: 'BTCUSDT', bids: [['1.00000000', '2.5']], asks: [['999999.00000000', '0.1']] }),
    });
    expect(await r.json()).toEqual({ ok: true, u: before + 2 });
    const book = server.trueBookAt('BTCUSDT', before + 2)!;
    expect(book.bids.at(-1)).toEqual([100_000_000, 250_000_000]);
    expect(book.asks.at(-1)).toEqual([99_999_900_000_000, 10_000_000]);
    const bad = await fetch(`${server.restBaseUrl}/_control/script`, { method: 'POST', body: '{"symbol":"BTCUSDT","bids":[["x","1"]]}' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/bid price: "x"/);
  });

  it('moves a symbol listed in intervalsPerStep only every N intervals', () => {
    server = new FakeBinanceServer({ intervalsPerStep: { BTCUSDT: 3 } });
    const btc = server.markets.get('BTCUSDT')!;
    const eth = server.markets.get('ETHUSDT')!;
    const moves = { btc: 0, eth: 0 };
    for (let i = 0; i < 9; i++) {
      const [b, e] = [btc.updateId, eth.updateId];
      server.stepMarket();
      if (btc.updateId !== b) moves.btc++;
      if (eth.updateId !== e) moves.eth++;
    }
    expect(moves).toEqual({ btc: 3, eth: 9 });
  });

  it('closes connections at the maximum age (compressed 24 h)', async () => {
    server = new FakeBinanceServer({ depthIntervalMs: 10, maxConnectionAgeMs: 100 });
    await server.start();
    const ws = new WebSocket(`${server.wsBaseUrl}/ws/btcusdt@depth`);
    let code = 0;
    ws.on('close', (c) => { code = c; });
    await until('age close', () => code === 1000);
  });

  it('plays a recording to its end through a change of the maximum connection age', async () => {
    const recording = writeTradeRecording(40, 5);
    server = new FakeBinanceServer({ recorded: { speed: 1, files: [{ path: recording, symbol: 'BTCUSDT' }] } });
    await server.start();
    rmSync(dirname(recording), { recursive: true, force: true }); // read at construction
    const ws = new WebSocket(`${server.wsBaseUrl}/stream?streams=btcusdt@trade`);
    const ids: number[] = [];
    ws.on('message', (d) => ids.push((JSON.parse(String(d)) as { data: { t: number } }).data.t));
    await until('the first frames', () => ids.length >= 3);
    // Re-arming the age timers must not cancel the playback's pending step.
    server.setMaxConnectionAgeMs(60_000);
    await until('the whole recording', () => ids.length === 40);
    expect(ids).toEqual(Array.from({ length: 40 }, (_, i) => 1000 + i));
    ws.terminate();
  });
});
