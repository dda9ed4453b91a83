// Soak: the whole pipeline (media driver, collector, pricing, strategy, simulator under the product's supervisor,
// the fake Binance in this process) for N minutes. Records, at the start and at the end, the RSS of every process and
// the tick→quote latency (a quote's sendTimeNs − recvTimeNs: the Binance frame's receive time carried through
// pricing and strategy) over a one-minute window; samples RSS every 10 s for the maximum; checks throughout that fill
// ids are consecutive and that every position equals the sum of the fills; counts restarts. Not in CI.
// Run: pnpm build && node packages/system-tests/bench/soak.bench.mjs [--minutes 30] [--window-s 60]
// Output: a human summary on stderr and one JSON line `SOAK {...}` on stdout.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Aeron, Context, FragmentAssembler } from '@mm/aeron-client';
import { FakeBinanceServer } from '@mm/fake-binance';
import { DecodeResult, FillDecoder, MessageHeader, PositionDecoder, QuoteDecoder, Side, TemplateId, Venue } from '@mm/protocol';
import { Supervisor, checkHealth } from '@mm/cli';
import { createTestSystem, driverEnv, removeTempDirs, repoRoot } from '@mm/test-support';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} needs a positive number, got ${process.argv[i + 1]}`);
  return v;
};
const minutes = arg('minutes', 30);
const windowMs = Math.min(arg('window-s', 60) * 1000, (minutes * 60_000) / 3);
const CH = 'aeron:ipc?term-length=64k';
const SERVICES = [['collector', 'mm_collector'], ['pricing', 'mm_pricing'], ['strategy', 'mm_strategy'], ['simulator', 'mm_simulator']];
const log = (line) => process.stderr.write(`[soak] ${line}\n`);

function rssMiB(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? +(Number(m[1]) / 1024).toFixed(1) : 0;
  } catch {
    return 0;
  }
}

function percentiles(ns) {
  if (ns.length === 0) return { count: 0 };
  const s = Float64Array.from(ns).sort();
  const q = (p) => +(s[Math.min(s.length - 1, Math.floor(p * s.length))] / 1000).toFixed(1);
  return { count: s.length, p50Us: q(0.5), p90Us: q(0.9), p99Us: q(0.99), maxUs: q(1) };
}

const fake = new FakeBinanceServer({ seed: 99, depthIntervalMs: 20 });
await fake.start();
const sys = createTestSystem();
const output = new Map();
const restarts = [];
const sup = new Supervisor({
  runDir: join(sys.root, 'run'), initialBackoffMs: 200, maxBackoffMs: 2000, stopTimeoutMs: 5000,
  output: (name, line) => {
    const lines = output.get(name) ?? [];
    lines.push(line);
    if (lines.length > 200) lines.shift();
    output.set(name, lines);
  },
  event: (name, event, detail) => { if (event === 'restarting') restarts.push({ name, atS: Math.round((Date.now() - t0) / 1000), ...detail }); },
});
const t0 = Date.now();
let aeron;
let stopping = false;
const stop = async (code) => {
  if (stopping) return;
  stopping = true;
  try { aeron?.close(); } catch { /* driver gone */ }
  await sup.stop();
  await fake.stop();
  removeTempDirs();
  process.exit(code);
};
process.on('SIGINT', () => { void stop(130); });
process.on('SIGTERM', () => { void stop(143); });

try {
  await sup.add({ name: 'aeronmd', script: join(repoRoot(), 'services/aeronmd/dist/main.js'), env: driverEnv(sys), ready: /media driver started/ });
  const env = {
    ...sys.env,
    LOG_LEVEL: 'warn',
    MM_COLLECTOR__BINANCE__WS_URL: fake.wsBaseUrl, MM_COLLECTOR__BINANCE__REST_URL: fake.restBaseUrl,
    MM_PRICING__VOLATILITY__MIN_SAMPLES: '5', MM_PRICING__VOLATILITY__SAMPLE_INTERVAL_MS: '20',
    MM_STRATEGY__QUOTING__MIN_SPREAD_BPS: '0.1', MM_STRATEGY__SYMBOLS__BTCUSDT__K: '3', MM_STRATEGY__SYMBOLS__ETHUSDT__K: '30',
    MM_STRATEGY__RISK__KILL_SWITCH_FILE: join(sys.root, 'data/strategy/kill-switch.json'),
    // A long run at demo quoting loses money on the fake market now and then; the soak measures the system, not PnL.
    MM_STRATEGY__RISK__DAILY_LOSS_LIMIT: '1000000000',
    MM_SIMULATOR__JOURNAL__DIR: join(sys.root, 'data/simulator'),
  };
  for (const [folder, name] of SERVICES) await sup.add({ name, script: join(repoRoot(), 'services', folder, 'dist/main.js'), env });
  aeron = await Aeron.connect(new Context({ aeronDir: sys.aeronDir, driverTimeoutMs: 5000 }));
  const [quotes, fills, positions] = await Promise.all([15, 16, 17].map((id) => aeron.addSubscription(CH, id)));

  const quote = new QuoteDecoder();
  const fill = new FillDecoder();
  const pos = new PositionDecoder();
  let latencies = null;
  let quoteCount = 0;
  let lastFillId = 0;
  let fillCount = 0;
  let positionsChecked = 0;
  const violations = [];
  const fillQty = new Map();
  const fillQtyAt = new Map();
  const qa = new FragmentAssembler((b, o, l) => {
    if (MessageHeader.templateId(b, o) !== TemplateId.QUOTE || quote.wrapChecked(b, o, l) !== DecodeResult.OK) return;
    quoteCount++;
    if (latencies !== null && quote.recvTimeNs() > 0 && quote.sendTimeNs() >= quote.recvTimeNs()) latencies.push(quote.sendTimeNs() - quote.recvTimeNs());
  });
  const onFill = (b, o, l) => {
    if (fill.wrapChecked(b, o, l) !== DecodeResult.OK || fill.venue() !== Venue.SIMULATOR) return;
    const id = fill.fillId();
    if (id <= lastFillId) return; // a restarted simulator's republished tail
    if (id !== lastFillId + 1 && violations.length < 20) violations.push(`fill ${id} after ${lastFillId}`);
    lastFillId = id;
    fillCount++;
    const sym = fill.symbol();
    fillQty.set(sym, (fillQty.get(sym) ?? 0) + (fill.side() === Side.BUY ? fill.qty() : -fill.qty()));
    for (const [s, q] of fillQty) fillQtyAt.set(`${s}@${id}`, q);
    // Bounded memory in a long run: forget sums far behind the newest fill.
    if (id > 5000) for (const s of fillQty.keys()) fillQtyAt.delete(`${s}@${id - 5000}`);
  };
  const onPosition = (b, o, l) => {
    if (pos.wrapChecked(b, o, l) !== DecodeResult.OK || pos.venue() !== Venue.SIMULATOR) return;
    const at = pos.lastFillId();
    if (at === 0 || at > lastFillId) return;
    const expected = fillQtyAt.get(`${pos.symbol()}@${at}`);
    if (expected === undefined) return;
    positionsChecked++;
    if (pos.quantity() !== expected && violations.length < 20) violations.push(`${pos.symbol()} position ${pos.quantity()} != sum of fills ${expected} at ${at}`);
  };
  const pidsNow = () => ({ aeronmd: sup.pidOf('aeronmd'), ...Object.fromEntries(SERVICES.map(([, n]) => [n, sup.pidOf(n)])), soak: process.pid });
  const rssNow = () => Object.fromEntries(Object.entries(pidsNow()).map(([n, pid]) => [n, pid === undefined ? 0 : rssMiB(pid)]));
  const maxRss = {};
  const sampleRss = () => { for (const [n, v] of Object.entries(rssNow())) maxRss[n] = Math.max(maxRss[n] ?? 0, v); };

  const pump = (untilMs) => new Promise((resolve) => {
    let nextRss = 0;
    const tick = () => {
      try {
        aeron.doWork();
        quotes.poll(qa.handler, 500);
        fills.poll(onFill, 500);
        positions.poll(onPosition, 500);
      } catch (error) {
        log(`reader: ${error.message}`);
      }
      if (Date.now() >= nextRss) { sampleRss(); nextRss = Date.now() + 10_000; }
      if (Date.now() >= untilMs) resolve(undefined);
      else setTimeout(tick, 1);
    };
    tick();
  });

  log(`${minutes} min soak; latency windows of ${windowMs / 1000} s at the start and the end`);
  // Warm-up: until the strategy quotes (volatility calibrated, positions known).
  const warmDeadline = Date.now() + 120_000;
  while (quoteCount < 20) {
    if (Date.now() > warmDeadline) throw new Error('no quotes within 2 minutes of the start');
    await pump(Date.now() + 200);
  }
  const warmS = (Date.now() - t0) / 1000;
  latencies = [];
  const rssStart = rssNow();
  await pump(Date.now() + windowMs);
  const latencyStart = percentiles(latencies);
  latencies = null;
  const endWindowAt = t0 + minutes * 60_000 - windowMs;
  let nextReport = Date.now() + 60_000;
  while (Date.now() < endWindowAt) {
    await pump(Math.min(endWindowAt, nextReport));
    if (Date.now() >= nextReport) {
      nextReport += 60_000;
      log(`${((Date.now() - t0) / 60_000).toFixed(0)} min: quotes ${quoteCount}, fills ${fillCount}, positions checked ${positionsChecked}, restarts ${restarts.length}, rss ${JSON.stringify(rssNow())}`);
    }
  }
  latencies = [];
  await pump(Date.now() + windowMs);
  const latencyEnd = percentiles(latencies);
  const rssEnd = rssNow();
  const health = Object.fromEntries(SERVICES.map(([, n]) => [n, checkHealth(sys.aeronDir, n, 3000).reason]));
  const result = {
    minutes, windowS: windowMs / 1000, warmUpS: warmS, rssMiB: { start: rssStart, end: rssEnd, max: maxRss },
    tickToQuote: { start: latencyStart, end: latencyEnd }, quotes: quoteCount, fills: fillCount, positionsChecked,
    restarts, violations, health,
  };
  log(`RSS MiB start ${JSON.stringify(rssStart)}`);
  log(`RSS MiB end   ${JSON.stringify(rssEnd)}`);
  log(`tick→quote start ${JSON.stringify(latencyStart)}`);
  log(`tick→quote end   ${JSON.stringify(latencyEnd)}`);
  log(`quotes ${quoteCount}, fills ${fillCount}, positions checked ${positionsChecked}, restarts ${restarts.length}, violations ${violations.length}`);
  process.stdout.write(`SOAK ${JSON.stringify(result)}\n`);
  await stop(violations.length === 0 && restarts.length === 0 ? 0 : 1);
} catch (error) {
  log(`failed: ${error.stack ?? error}`);
  for (const [name, lines] of output) log(`--- ${name}:\n${lines.slice(-5).join('\n')}`);
  await stop(1);
}
