#!/usr/bin/env node
// Tick-to-quote latency: a Binance frame received by the collector → the quote published by the strategy, from the
// timestamps every message carries (recvTimeNs of the frame, sendTimeNs of the quote; both CLOCK_MONOTONIC, so they
// compare across processes). Runs the real processes on the product's driver with the simulated Binance.
//
// Per hop (streams 14 and 15, and with --observe-books 10, observed untethered):
//   frame → 14   pricing's publishTimeNs minus recvTimeNs (carried): the collector's parse + apply + publish, the
//                wake-up of pricing and its work;
//   14 → 15      the quote's sendTimeNs minus the publishTimeNs of the pricing message with the same recvTimeNs;
//   frame → 15   the quote's sendTimeNs minus recvTimeNs, for quotes a new fair value caused (QuoteCause.PRICING):
//                the figure the issue targets (frameTo15all adds re-decisions, which carry an older tick's time);
//   frame → 10   (--observe-books) when this bench saw the book minus its recvTimeNs: stream 10 carries no send
//                time, so this includes the bench's own wake-up (it then sleeps on the doorbell, and being woken by
//                every ring it competes with the services for the cores: on a 2-core machine it slows them down).
// Without --observe-books the bench reads the carried stamps only, polling every millisecond, which costs the
// services nothing.
// Profiles (--profile NAME, repeatable; default: idle, fifo, timer, warm):
//   idle      the shipped configuration (pricing and strategy sleep on the doorbell, bounded by max-park-ms);
//   timer     the doorbell off: they park on a timer (≤ 4 ms), what "from idle" was before the doorbell;
//   warm      pricing and strategy never park (yield to the event loop): costs a core each;
//   nospin    the doorbell without a spin phase (park as soon as a cycle finds nothing);
//   colocated the three in one process (services/tick-path, `mm start --colocate`): the book, the fair value and
//             the quote are made on the collector's WebSocket callback, no process wakes another on the way;
//   colocated-fifo  the same under SCHED_FIFO (root); colocated-warm  never parking (costs a core);
//   colocated-cold, colocated-fifo-cold  without the rehearsal (services/tick-path/src/Rehearsal.ts);
//   colocated-prof  under --cpu-prof;
//   fifo      idle with the tick's path under SCHED_FIFO (`[runtime.scheduling]`; needs root or CAP_SYS_NICE), the
//             upstream service highest, so a woken service goes to the other CPU instead of queueing behind its
//             waker or an ordinary task.
// Each profile also reports the CPU the collector, pricing and the strategy used over the window (% of a core).
// Results carry the machine's load (`uptime`); --renice N runs the services at nice N (root only).
// --depth-interval-ms N: the simulated Binance's depth frame interval per symbol (default 50; 1 keeps the path warm).
// --sparse SYMBOL:N: that symbol's market moves only every N depth intervals while the other moves every interval,
//   and only its quotes are measured: a sparse symbol on a path the busy one keeps warm (what rehearsing the path
//   on scratch state could at best achieve).
// --recorded: real Binance traffic (../shared/data/binance-spot, 2024-08-08) at its recorded pace instead.
// --speed N (with --recorded): N times the recorded pace (the same real frames on a warmer path).
//   pnpm build && node packages/system-tests/bench/tickToQuote.bench.mjs [--seconds 20] [--profile idle] [--observe-books]
import { execFileSync, execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Aeron, Context, FragmentAssembler } from '@mm/aeron-client';
import { FakeBinanceServer } from '@mm/fake-binance';
import {
  BookSnapshotDecoder, DecodeResult, MessageHeader, PricingDecoder, QuoteCause, QuoteDecoder, TemplateId,
} from '@mm/protocol';
import { Doorbell, SystemClock } from '@mm/runtime';
import { ChildProcessHandle, createTestSystem, killAll, repoRoot, sharedDir, removeTempDirs, startDriver, startService, waitFor } from '@mm/test-support';

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}
const seconds = Number(arg('--seconds', 20));
const observeBooks = process.argv.includes('--observe-books');
// --trace: the services record per-stage stamps (MM_TRACE_DIR, see packages/runtime/src/StageTrace.ts), written
// when they stop; the per-stage report (packages/runtime/bench/traceReport.mjs) is printed per profile
// (MM_TRACE_KEEP=1 keeps the trace files for a closer look).
const trace = process.argv.includes('--trace');
const recorded = process.argv.includes('--recorded');
const speed = Number(arg('--speed', 1));
const sparseArg = arg('--sparse', undefined);
const sparse = sparseArg === undefined ? undefined : { symbol: sparseArg.split(':')[0].toUpperCase(), every: Number(sparseArg.split(':')[1] ?? 50) };
// --renice N (root only): run the driver and the services at nice N (e.g. -10), so a shared machine's other load
// delays them less; reported with the results.
const renice = process.argv.includes('--renice') ? Number(arg('--renice', '0')) : undefined;
const PROFILES = {
  idle: { label: 'from idle (shipped: doorbell, park ≤ 10 ms)', env: {} },
  timer: {
    label: 'from idle (timer park ≤ 4 ms, no doorbell)',
    env: {
      MM_PRICING__RUNTIME__IDLE__WAIT: 'timer', MM_STRATEGY__RUNTIME__IDLE__WAIT: 'timer',
      MM_PRICING__RUNTIME__IDLE__MAX_PARK_MS: '4', MM_STRATEGY__RUNTIME__IDLE__MAX_PARK_MS: '4',
    },
  },
  nospin: {
    label: 'doorbell, no spin phase (park at once)',
    env: {
      MM_PRICING__RUNTIME__IDLE__MAX_SPINS: '0', MM_STRATEGY__RUNTIME__IDLE__MAX_SPINS: '0',
      MM_PRICING__RUNTIME__IDLE__MAX_YIELDS: '0', MM_STRATEGY__RUNTIME__IDLE__MAX_YIELDS: '0',
    },
  },
  fifo: {
    label: 'from idle, doorbell, the path under SCHED_FIFO (collector 12 > pricing 11 > strategy 10; root)',
    env: {
      MM_COLLECTOR__RUNTIME__SCHEDULING__POLICY: 'fifo', MM_COLLECTOR__RUNTIME__SCHEDULING__PRIORITY: '12',
      MM_PRICING__RUNTIME__SCHEDULING__POLICY: 'fifo', MM_PRICING__RUNTIME__SCHEDULING__PRIORITY: '11',
      MM_STRATEGY__RUNTIME__SCHEDULING__POLICY: 'fifo', MM_STRATEGY__RUNTIME__SCHEDULING__PRIORITY: '10',
    },
  },
  colocated: {
    label: 'collector, pricing and strategy hosted in one process (services/tick-path)',
    env: {},
    services: ['tick-path', 'simulator'],
  },
  'colocated-fifo': {
    label: 'colocated, the process under SCHED_FIFO 10 (its first service\'s [runtime.scheduling]; root)',
    env: { MM_COLLECTOR__RUNTIME__SCHEDULING__POLICY: 'fifo', MM_COLLECTOR__RUNTIME__SCHEDULING__PRIORITY: '10' },
    services: ['tick-path', 'simulator'],
  },
  'colocated-fifo-cold': {
    label: 'colocated-fifo without the rehearsal ([runtime.rehearsal] interval-ms = 0): the path cold between sparse ticks',
    env: {
      MM_COLLECTOR__RUNTIME__SCHEDULING__POLICY: 'fifo', MM_COLLECTOR__RUNTIME__SCHEDULING__PRIORITY: '10',
      MM_COLLECTOR__RUNTIME__REHEARSAL__INTERVAL_MS: '0',
    },
    services: ['tick-path', 'simulator'],
  },
  'colocated-cold': {
    label: 'colocated without the rehearsal',
    env: { MM_COLLECTOR__RUNTIME__REHEARSAL__INTERVAL_MS: '0' },
    services: ['tick-path', 'simulator'],
  },
  'colocated-prof': {
    label: 'colocated, CPU-profiled (--cpu-prof, 50 µs samples into $TMPDIR/mm-tick-path-prof)',
    env: {},
    nodeArgs: ['--cpu-prof', '--cpu-prof-interval', '50', '--cpu-prof-dir', join(tmpdir(), 'mm-tick-path-prof')],
    services: ['tick-path', 'simulator'],
  },
  'colocated-warm': {
    label: 'hosted in one process that never parks (yields to the event loop): costs a core',
    env: { MM_COLLECTOR__RUNTIME__IDLE__MAX_YIELDS: '1000000' },
    services: ['tick-path', 'simulator'],
  },
  warm: {
    label: 'warm (pricing and strategy never park)',
    env: { MM_PRICING__RUNTIME__IDLE__MAX_YIELDS: '1000000', MM_STRATEGY__RUNTIME__IDLE__MAX_YIELDS: '1000000' },
  },
};
const chosen = process.argv.flatMap((a, i) => (process.argv[i - 1] === '--profile' ? [a] : []));
const names = chosen.length > 0 ? chosen : ['colocated', 'idle', 'fifo', 'timer', 'warm'];
for (const n of names) if (!PROFILES[n]) throw new Error(`unknown profile '${n}' (known: ${Object.keys(PROFILES).join(', ')})`);

/** utime + stime of a process, in USER_HZ ticks (100 a second on Linux). */
function cpuTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}
function pct(xs, q) { return xs.length === 0 ? NaN : xs[Math.min(xs.length - 1, Math.floor(q * xs.length))]; }
function summary(xs) {
  const s = Float64Array.from(xs).sort();
  const r = (v) => (Number.isFinite(v) ? +v.toFixed(1) : null);
  return { n: s.length, p50_us: r(pct(s, 0.5)), p99_us: r(pct(s, 0.99)), p999_us: r(pct(s, 0.999)), max_us: r(s.length ? s[s.length - 1] : NaN) };
}

const clock = new SystemClock();
const rows = [];
const cpu = [];
const failures = [];
for (const name of names) {
  const profile = PROFILES[name];
  // --recorded: the shared real Binance traffic (BTCUSDT and ETHUSDT, 2024-08-08) over the WebSocket at its recorded
  // pace instead of the simulated market: the spacing of real ticks (≈ 120 frames/s over both symbols).
  const fake = recorded
    ? new FakeBinanceServer({ recorded: { speed, files: ['btcusdt', 'ethusdt'].map((s) => ({ path: join(sharedDir(), 'data/binance-spot', `${s}_20240808.gz`), symbol: s.toUpperCase() })) } })
    : new FakeBinanceServer({
        seed: 3, depthIntervalMs: Number(arg('--depth-interval-ms', 50)),
        ...(sparse ? { intervalsPerStep: { [sparse.symbol]: sparse.every } } : {}),
      });
  await fake.start();
  const sys = createTestSystem();
  Object.assign(sys.env, {
    MM_COLLECTOR__BINANCE__WS_URL: fake.wsBaseUrl, MM_COLLECTOR__BINANCE__REST_URL: fake.restBaseUrl,
    MM_PRICING__VOLATILITY__MIN_SAMPLES: '5', MM_STRATEGY__THROTTLE__MIN_INTERVAL_MS: '0',
    MM_STRATEGY__THROTTLE__MAX_QUOTES_PER_SECOND: '1000', ...profile.env,
  });
  const traceDir = trace ? mkdtempSync(join(tmpdir(), 'mm-trace-')) : undefined;
  if (traceDir) sys.env.MM_TRACE_DIR = traceDir;
  const driver = await startDriver(sys);
  const folders = profile.services ?? ['collector', 'pricing', 'strategy', 'simulator'];
  const procs = folders.map((s, i) => (profile.nodeArgs && i === 0
    ? new ChildProcessHandle(join(repoRoot(), 'services', s, 'dist/main.js'), { env: sys.env, name: s, cwd: sys.root, nodeArgs: profile.nodeArgs })
    : startService(sys, s)));
  // The processes on the tick's path (all but the simulator), for their CPU.
  const hot = procs.slice(0, folders.length - 1);
  if (renice !== undefined) execSync(`renice -n ${renice} -p ${[driver, ...procs].map((p) => p.pid).join(' ')}`, { stdio: 'ignore' });
  const aeron = await Aeron.connect(new Context({ aeronDir: sys.aeronDir, driverTimeoutMs: 5000 }));
  const channel = 'aeron:ipc?term-length=64k';
  const [books, pricing, quotes] = await Promise.all([10, 14, 15].map((id) => aeron.addSubscription(channel, id, { untethered: true })));
  const doorbell = Doorbell.open(sys.aeronDir);
  const bookDec = new BookSnapshotDecoder();
  const pricingDec = new PricingDecoder();
  const quoteDec = new QuoteDecoder();
  // frameTo15 counts the quotes a new fair value caused (QuoteCause.PRICING): the tick's path. A re-decision on the
  // same pricing (a fill, a position, the re-decide timer) carries an older tick's time: frameTo15all includes them.
  const hops = { ...(observeBooks ? { frameTo10: [] } : {}), frameTo14: [], p14to15: [], frameTo15: [], frameTo15all: [] };
  /** recvTimeNs → pricing publishTimeNs, to pair a quote with the pricing message that caused it. */
  const pricingByRecv = new Map();
  const onBook = new FragmentAssembler((b, o, l) => {
    if (MessageHeader.templateId(b, o) !== TemplateId.BOOK_SNAPSHOT || bookDec.wrapChecked(b, o, l) !== DecodeResult.OK) return;
    hops.frameTo10?.push((clock.nanoTime() - bookDec.recvTimeNs()) / 1000);
  });
  const onPricing = (b, o, l) => {
    if (MessageHeader.templateId(b, o) !== TemplateId.PRICING || pricingDec.wrapChecked(b, o, l) !== DecodeResult.OK) return;
    if (sparse && pricingDec.symbol() !== sparse.symbol) return;
    hops.frameTo14.push((pricingDec.publishTimeNs() - pricingDec.recvTimeNs()) / 1000);
    pricingByRecv.set(pricingDec.recvTimeNs(), pricingDec.publishTimeNs());
    if (pricingByRecv.size > 10_000) pricingByRecv.delete(pricingByRecv.keys().next().value);
  };
  const onQuote = new FragmentAssembler((b, o, l) => {
    if (MessageHeader.templateId(b, o) !== TemplateId.QUOTE || quoteDec.wrapChecked(b, o, l) !== DecodeResult.OK) return;
    if (sparse && quoteDec.symbol() !== sparse.symbol) return;
    const us = (quoteDec.sendTimeNs() - quoteDec.recvTimeNs()) / 1000;
    hops.frameTo15all.push(us);
    if (quoteDec.cause() === QuoteCause.REDECIDE) return;
    hops.frameTo15.push(us);
    const published = pricingByRecv.get(quoteDec.recvTimeNs());
    if (published !== undefined) hops.p14to15.push((quoteDec.sendTimeNs() - published) / 1000);
  });
  const pollAll = () => (observeBooks ? books.poll(onBook.handler, 100) : 0) + pricing.poll(onPricing, 100) + quotes.poll(onQuote.handler, 100);
  try {
    await waitFor(() => { aeron.doWork(); pollAll(); return hops.frameTo15.length > 0; }, { timeoutMs: 60_000, what: 'first quote' });
    for (const k of Object.keys(hops)) hops[k].length = 0;
    const cpuBefore = hot.map((p) => cpuTicks(p.pid));
    const windowStart = performance.now();
    const end = Date.now() + seconds * 1000;
    let idleSince = performance.now();
    while (Date.now() < end) {
      aeron.doWork();
      if (pollAll() > 0) { idleSince = performance.now(); continue; }
      if (!observeBooks) {
        await new Promise((r) => setTimeout(r, 1));
        continue;
      }
      // Stay hot briefly after traffic, then sleep on the doorbell for at most 1 ms and let the simulated Binance
      // (this process's event loop) run.
      if (performance.now() - idleSince > 0.2) doorbell.park(1_000_000, () => 0);
      await new Promise((r) => setImmediate(r));
    }
    const elapsedS = (performance.now() - windowStart) / 1000;
    cpu.push({ profile: name, ...Object.fromEntries(folders.slice(0, hot.length).map((n, i) => [
      `${n}_cpu_percent`, +(((cpuTicks(hot[i].pid) - cpuBefore[i]) / 100 / elapsedS) * 100).toFixed(1),
    ])) });
  } catch (e) {
    failures.push(`${profile.label}: ${e instanceof Error ? e.message : e}`);
    for (const p of procs) console.error(`--- ${p.name ?? 'service'}\n${p.output().split('\n').slice(-8).join('\n')}`);
  }
  doorbell.close();
  aeron.close();
  const hosting = folders.includes('tick-path');
  if (traceDir || hosting) {
    // The traces and the rehearsal's counters are written at exit: stop the services (SIGTERM) within a deadline.
    for (const p of procs) p.kill('SIGTERM');
    await Promise.all(procs.map((p) => p.waitForExit(10_000).catch(() => undefined)));
  }
  await killAll();
  if (hosting) {
    const line = procs[0].output().split('\n').find((l) => l.includes('"msg":"rehearsal stopped"'));
    if (line) {
      const { steps, books, booksDropped, quotes, fills } = JSON.parse(line);
      console.log(`--- rehearsal, profile ${name}: ${steps} steps, ${books} scratch books (${booksDropped} dropped), ${quotes} scratch quotes, ${fills} fills`);
    }
  }
  if (traceDir) {
    console.log(`--- stage trace, profile ${name} (${traceDir})`);
    console.log(execFileSync(process.execPath, [fileURLToPath(new URL('../../runtime/bench/traceReport.mjs', import.meta.url)), traceDir], { encoding: 'utf8' }));
    if (process.env.MM_TRACE_KEEP !== '1') rmSync(traceDir, { recursive: true, force: true });
  }
  await fake.stop();
  if (hops.frameTo15.length === 0) {
    failures.push(`${profile.label}: no quote in ${seconds} s`);
    continue;
  }
  for (const [hop, xs] of Object.entries(hops)) rows.push({ profile: name, hop, ...summary(xs) });
}
removeTempDirs();
let load = '';
try { load = execSync('uptime', { encoding: 'utf8' }).trim(); } catch { /* no uptime: leave it out */ }
console.table(rows);
console.table(cpu);
console.log(JSON.stringify({ bench: 'tick-to-quote', node: process.version, seconds, market: recorded ? `recorded${speed === 1 ? '' : ` at ${speed}x`}` : `simulated, depth every ${arg('--depth-interval-ms', 50)} ms${sparse ? `, ${sparse.symbol} every ${sparse.every} intervals (only its quotes measured)` : ''}`, load, renice: renice ?? null, rows, cpu, failures }));
if (failures.length > 0) {
  console.error(`tick-to-quote: ${failures.length} profile(s) produced no figures:\n  ${failures.join('\n  ')}`);
  process.exitCode = 1;
}
