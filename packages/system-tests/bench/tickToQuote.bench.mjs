#!/usr/bin/env node
// Tick-to-quote latency: a Binance frame received by the collector → the quote published by the strategy, from the
// timestamps every message carries (recvTimeNs of the frame, sendTimeNs of the quote; both CLOCK_MONOTONIC, so they
// compare across processes). Runs the real processes on the product's driver with the simulated Binance.
// Two profiles: the default idle strategy (services park up to 4 ms when idle: what a quiet market sees, "from idle")
// and a spinning profile (yield to the event loop, never park: "warm"), which costs a core per spinning service.
//   pnpm build && node packages/system-tests/bench/tickToQuote.bench.mjs [--seconds 20]
import { Aeron, Context, FragmentAssembler } from '@mm/aeron-client';
import { FakeBinanceServer } from '@mm/fake-binance';
import { DecodeResult, MessageHeader, QuoteDecoder, TemplateId } from '@mm/protocol';
import { createTestSystem, killAll, removeTempDirs, startDriver, startService, waitFor } from '@mm/test-support';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1] || 20);
const profiles = {
  'from idle (default park ≤ 4 ms)': {},
  'warm (pricing and strategy never park)': {
    MM_PRICING__RUNTIME__IDLE__MAX_YIELDS: '1000000', MM_STRATEGY__RUNTIME__IDLE__MAX_YIELDS: '1000000',
  },
};

function pct(xs, q) { return xs.length === 0 ? NaN : xs[Math.min(xs.length - 1, Math.floor(q * xs.length))]; }

const rows = [];
for (const [name, extra] of Object.entries(profiles)) {
  const fake = new FakeBinanceServer({ seed: 3, depthIntervalMs: 50 });
  await fake.start();
  const sys = createTestSystem();
  Object.assign(sys.env, {
    MM_COLLECTOR__BINANCE__WS_URL: fake.wsBaseUrl, MM_COLLECTOR__BINANCE__REST_URL: fake.restBaseUrl,
    MM_PRICING__VOLATILITY__MIN_SAMPLES: '5', MM_STRATEGY__THROTTLE__MIN_INTERVAL_MS: '0',
    MM_STRATEGY__THROTTLE__MAX_QUOTES_PER_SECOND: '1000', ...extra,
  });
  await startDriver(sys);
  const procs = ['collector', 'pricing', 'strategy', 'simulator'].map((s) => startService(sys, s));
  const aeron = await Aeron.connect(new Context({ aeronDir: sys.aeronDir, driverTimeoutMs: 5000 }));
  const quotes = await aeron.addSubscription('aeron:ipc?term-length=64k', 15, { untethered: true });
  const dec = new QuoteDecoder();
  const us = [];
  const asm = new FragmentAssembler((b, o, l) => {
    if (MessageHeader.templateId(b, o) !== TemplateId.QUOTE || dec.wrapChecked(b, o, l) !== DecodeResult.OK) return;
    us.push((dec.sendTimeNs() - dec.recvTimeNs()) / 1000);
  });
  try {
    await waitFor(() => { aeron.doWork(); quotes.poll(asm.handler, 100); return us.length > 0; }, { timeoutMs: 60_000, what: 'first quote' });
  } catch (e) {
    for (const p of procs) console.error(p.output().split('\n').slice(-5).join('\n'));
    throw e;
  }
  us.length = 0;
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    aeron.doWork();
    if (quotes.poll(asm.handler, 100) === 0) await new Promise((r) => setTimeout(r, 1));
  }
  aeron.close();
  await killAll();
  await fake.stop();
  us.sort((a, b) => a - b);
  rows.push({ profile: name, quotes: us.length, p50_us: +pct(us, 0.5).toFixed(1), p99_us: +pct(us, 0.99).toFixed(1), p999_us: +pct(us, 0.999).toFixed(1), max_us: +us.at(-1).toFixed(1) });
}
removeTempDirs();
console.table(rows);
console.log(JSON.stringify({ bench: 'tick-to-quote', node: process.version, seconds, rows }));
