#!/usr/bin/env node
import { FakeBinanceServer, DEFAULT_SYMBOLS } from './FakeBinanceServer.js';
import type { SymbolSpec } from './SimMarket.js';

/**
 * Runs the fake Binance on its own (tests, the offline demo): prints one JSON line with its port and URLs, then
 * serves until SIGINT/SIGTERM. Flags (or env): --port (FAKE_BINANCE_PORT, default 0 = any), --symbols
 * (FAKE_BINANCE_SYMBOLS, comma list, default BTCUSDT,ETHUSDT), --seed (FAKE_BINANCE_SEED), --speed
 * (FAKE_BINANCE_SPEED: time compression, 2 = events every 50 ms), --recorded path:symbol,… (serve recordings),
 * --max-age-ms (connection age limit). Bad flags exit with code 78.
 */

function arg(name: string, env: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1];
  const eq = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (eq !== undefined) return eq.slice(name.length + 3);
  return process.env[env];
}

function numberArg(name: string, env: string, dflt: number): number {
  const v = arg(name, env);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) {
    process.stderr.write(`fake-binance: --${name} must be a non-negative number, got "${v}"\n`);
    process.exit(78);
  }
  return n;
}

const port = numberArg('port', 'FAKE_BINANCE_PORT', 0);
const seed = numberArg('seed', 'FAKE_BINANCE_SEED', 42);
const speed = numberArg('speed', 'FAKE_BINANCE_SPEED', 1);
const maxAgeMs = numberArg('max-age-ms', 'FAKE_BINANCE_MAX_AGE_MS', 24 * 3600_000);
if (speed <= 0) {
  process.stderr.write('fake-binance: --speed must be > 0\n');
  process.exit(78);
}
const symbolNames = (arg('symbols', 'FAKE_BINANCE_SYMBOLS') ?? 'BTCUSDT,ETHUSDT').split(',').map((s) => s.trim().toUpperCase()).filter((s) => s !== '');
const symbols: SymbolSpec[] = symbolNames.map((s, i) => {
  if (!/^[A-Z0-9]{2,20}$/.test(s)) {
    process.stderr.write(`fake-binance: invalid symbol "${s}"\n`);
    process.exit(78);
  }
  return DEFAULT_SYMBOLS.find((d) => d.symbol === s) ?? { symbol: s, tickSize: 10_000, lotSize: 100_000, initialMid: (100 + i * 10) * 1e8, levels: 60 };
});
const recordedArg = arg('recorded', 'FAKE_BINANCE_RECORDED');
const recorded = recordedArg === undefined ? undefined : {
  files: recordedArg.split(',').map((p) => {
    const at = p.lastIndexOf(':');
    if (at <= 0) {
      process.stderr.write(`fake-binance: --recorded wants path:symbol, got "${p}"\n`);
      process.exit(78);
    }
    return { path: p.slice(0, at), symbol: p.slice(at + 1) };
  }),
  speed,
};

const server = new FakeBinanceServer({
  port, seed, symbols, depthIntervalMs: 100 / speed, maxConnectionAgeMs: maxAgeMs,
  ...(recorded !== undefined ? { recorded } : {}),
  log: (line) => process.stderr.write(`${new Date().toISOString()} fake-binance ${line}\n`),
});
await server.start();
process.stdout.write(`${JSON.stringify({ port: server.port, ws: server.wsBaseUrl, rest: server.restBaseUrl, symbols: symbolNames })}\n`);
const shutdown = (): void => {
  void server.stop().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
