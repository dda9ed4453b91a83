#!/usr/bin/env node
// End-to-end engine benchmark: spawns dist/main.js and drives it over TCP and UDP from this process.
//
//   pnpm build && node services/matching-engine/bench/e2e.bench.mjs [--orders 1000000] [--udp-orders 50000] [--clients 4]
//     [--window 4096] [--udp-window 64] [--only tcp|udp|tcp:true|...]
//
// Workload per client: its own symbol, orders alternating buy/sell at one price, qty 1, so every second order
// trades (outputs per order pair: 2 acks, 1 trade to both sides, tops of book). Binary encoding.
// Throughput: time from the first send until every ack has been received (all acks are counted; a missing ack
// fails the run). Each client keeps at most --window orders un-acked. Ack latency: send time → ack arrival, for
// every order of the throughput run (loaded) and for a run with one order in flight (unloaded).
// TCP runs 1 000 000 orders by default so that start-up and JIT warm-up are amortised (200 000 measured about half
// the steady rate); UDP, an order of magnitude slower, runs --udp-orders (default a quarter of --orders, at most 50 000).
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (n, d) => { const i = process.argv.indexOf(n); return i >= 0 ? process.argv[i + 1] : d; };
const ORDERS = Number(arg('--orders', 1_000_000));
const UDP_ORDERS = Number(arg('--udp-orders', Math.min(Math.floor(ORDERS / 4), 50_000)));
const CLIENTS = Number(arg('--clients', 4));
const WINDOW = Number(arg('--window', 4096));
const UDP_WINDOW = Number(arg('--udp-window', 64));
const ONLY = arg('--only', ''); // e.g. "tcp" or "tcp:true" to run a subset
const NODE_ARGS = arg('--node-args', '').split(' ').filter((x) => x !== ''); // e.g. "--cpu-prof" for the engine

async function startEngine(threaded) {
  const p = spawn(process.execPath, [...NODE_ARGS, join(here, '..', 'dist', 'main.js')], {
    env: { ...process.env, MM_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'me-bench-')), MM_LOG_DIR: mkdtempSync(join(tmpdir(), 'me-bench-logs-')), ENGINE_TCP_PORT: '0', ENGINE_UDP_PORT: '0', ENGINE_TCP_HOST: '127.0.0.1', ENGINE_UDP_HOST: '127.0.0.1', ENGINE_THREADED: String(threaded), ENGINE_MAX_OUTPUT_BUFFER_BYTES: String(64 << 20) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ports = await new Promise((resolve, reject) => {
    let buf = '';
    p.stdout.on('data', (d) => { buf += d; const m = /"tcpPort":(\d+),"udpPort":(\d+)/.exec(buf); if (m) resolve({ tcp: +m[1], udp: +m[2] }); });
    p.once('exit', (c) => reject(new Error(`engine exited ${c}`)));
  });
  return { p, ...ports };
}

function order(buf, off, uid, sym, side, oid) {
  buf[off] = 0x4d; buf[off + 1] = 0x4e; buf.writeUInt32BE(uid, off + 2);
  buf.fill(0, off + 6, off + 14); buf.write(sym, off + 6, 'latin1');
  buf.writeUInt32BE(100, off + 14); buf.writeUInt32BE(1, off + 18); buf[off + 22] = side; buf.writeUInt32BE(oid, off + 23);
}

const pct = (a, p) => a[Math.min(a.length - 1, Math.floor(a.length * p))];

async function tcpClient(port, k, n, window, lat) {
  const s = await new Promise((r) => { const c = connect(port, '127.0.0.1', () => r(c)); });
  s.setNoDelay(true);
  const sym = `S${k}`;
  const uid = k + 1;
  const sent = new Float64Array(n + 1);
  let acked = 0, nextOid = 1, pending = Buffer.alloc(0);
  let done;
  const finished = new Promise((r) => { done = r; });
  const pump = () => {
    const room = Math.min(window - (nextOid - 1 - acked), n + 1 - nextOid);
    if (room <= 0) return;
    const b = Buffer.allocUnsafe(room * 31);
    const now = performance.now();
    for (let i = 0; i < room; i++) {
      const oid = nextOid++;
      b.writeUInt32BE(27, i * 31);
      order(b, i * 31 + 4, uid, sym, oid & 1 ? 0x42 : 0x53, oid);
      sent[oid] = now;
    }
    s.write(b);
  };
  s.on('data', (d) => {
    const now = performance.now();
    pending = pending.length ? Buffer.concat([pending, d]) : d;
    let o = 0;
    while (pending.length - o >= 4) {
      const len = pending.readUInt32BE(o);
      if (pending.length - o - 4 < len) break;
      if (pending[o + 5] === 0x41) { acked++; lat.push(now - sent[pending.readUInt32BE(o + 4 + 14)]); }
      else if (pending[o + 5] === 0x52) throw new Error(`reject: ${pending.subarray(o + 4, o + 4 + len).toString('hex')}`);
      o += 4 + len;
    }
    pending = pending.subarray(o);
    if (acked === n) { done(); return; }
    pump();
  });
  return { start: pump, finished, close: () => s.destroy(), acked: () => acked };
}

async function udpClient(port, k, n, window, lat) {
  const s = createSocket('udp4');
  await new Promise((r) => s.bind(0, '127.0.0.1', r));
  try { s.setRecvBufferSize(4 << 20); } catch { /* capped by the OS */ }
  const sym = `U${k}`;
  const uid = 100 + k;
  const sent = new Float64Array(n + 1);
  let acked = 0, nextOid = 1, done;
  const finished = new Promise((r) => { done = r; });
  const pump = () => {
    let room = Math.min(window - (nextOid - 1 - acked), n + 1 - nextOid);
    while (room-- > 0) {
      const b = Buffer.allocUnsafe(27);
      const oid = nextOid++;
      order(b, 0, uid, sym, oid & 1 ? 0x42 : 0x53, oid);
      sent[oid] = performance.now();
      s.send(b, port, '127.0.0.1');
    }
  };
  let last = performance.now();
  // UDP may drop datagrams: after 1 s without an ack the run ends and the missing acks are reported as lost.
  const stall = setInterval(() => { if (performance.now() - last > 1000) { clearInterval(stall); done(); } }, 100);
  s.on('message', (m) => {
    last = performance.now();
    if (m[1] === 0x41) { acked++; lat.push(last - sent[m.readUInt32BE(14)]); }
    if (acked === n) { clearInterval(stall); done(); return; }
    pump();
  });
  return { start: pump, finished, close: () => s.close(), acked: () => acked };
}

async function run(kind, threaded, clients, perClient, window) {
  const e = await startEngine(threaded);
  const lat = [];
  const make = kind === 'tcp' ? tcpClient : udpClient;
  const cs = await Promise.all(Array.from({ length: clients }, (_, k) => make(kind === 'tcp' ? e.tcp : e.udp, k, perClient, window, lat)));
  const t0 = performance.now();
  for (const c of cs) c.start();
  const timeoutMs = 120_000;
  let timer;
  const ok0 = await Promise.race([Promise.all(cs.map((c) => c.finished)).then(() => true), new Promise((r) => { timer = setTimeout(() => r(false), timeoutMs); })]);
  clearTimeout(timer); // else the last run's timer keeps the process alive for up to timeoutMs after the table
  const ms = performance.now() - t0;
  const acked = cs.reduce((s, c) => s + c.acked(), 0);
  const ok = ok0 && acked === clients * perClient;
  for (const c of cs) c.close();
  e.p.kill('SIGTERM');
  await new Promise((r) => e.p.once('exit', r));
  lat.sort((a, b) => a - b);
  return { kind, threaded, clients, orders: clients * perClient, acked, ok, ms, rate: acked / (ms / 1000), p50: pct(lat, 0.5), p99: pct(lat, 0.99) };
}

const rows = [];
const want = (kind, threaded) => ONLY === '' || ONLY === kind || ONLY === `${kind}:${threaded}`;
for (const threaded of [true, false]) {
  if (want('tcp', threaded)) {
    rows.push({ ...(await run('tcp', threaded, CLIENTS, Math.floor(ORDERS / CLIENTS), WINDOW)), mode: `${CLIENTS} clients, window ${WINDOW}` });
    rows.push({ ...(await run('tcp', threaded, 1, 2000, 1)), mode: 'unloaded, 1 in flight' });
  }
  if (want('udp', threaded)) {
    rows.push({ ...(await run('udp', threaded, CLIENTS, Math.floor(UDP_ORDERS / CLIENTS), UDP_WINDOW)), mode: `${CLIENTS} clients, window ${UDP_WINDOW}` });
    rows.push({ ...(await run('udp', threaded, 1, 2000, 1)), mode: 'unloaded, 1 in flight' });
  }
}
const fmt = (x) => Math.round(x).toLocaleString('en-US');
console.log(`\nMatching engine end to end (node ${process.version}, binary protocol, engine and clients on one machine)\n`);
console.log('| transport | threaded | load | orders | acks received | time (ms) | orders/s | ack p50 (ms) | ack p99 (ms) |');
console.log('|---|---|---|---:|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.kind.toUpperCase()} | ${r.threaded} | ${r.mode} | ${fmt(r.orders)} | ${fmt(r.acked)}${r.ok ? '' : ` (${fmt(r.orders - r.acked)} LOST)`} | ${r.ms.toFixed(0)} | ${fmt(r.rate)} | ${r.p50.toFixed(3)} | ${r.p99.toFixed(3)} |`);
if (rows.some((r) => !r.ok)) process.exit(1);
