import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { AtomicBuffer } from '@mm/agrona';
import { PullReason, QuoteCause } from '@mm/protocol';
import { InMemoryTransport, ManualClock } from '@mm/runtime';
import { resetKillSwitch } from '../src/KillSwitchStore.js';
import { BASE_TOML, E8, MS, ServiceState, Side, Venue, removeTempDirs, rig, type Row } from './rig.js';

afterEach(() => removeTempDirs());

const quotesOf = (rows: Row[], symbol?: string): Row[] => rows.filter((r) => r.type === 'quote' && (symbol === undefined || r.symbol === symbol));
const pullsOf = (rows: Row[]): Row[] => rows.filter((r) => r.type === 'pull');
const centre = (q: Row): number => (q.bid + q.ask) / 2 / E8;

describe('StrategyAgent', () => {
  it('pulls everything at start, and never quotes before a position snapshot of every symbol arrived', async () => {
    const r = await rig();
    const start = r.read();
    expect(start).toHaveLength(1);
    expect(start[0]).toMatchObject({ type: 'pull', all: true, venue: Venue.SIMULATOR, reason: PullReason.STATE_CHANGE });
    r.heartbeat();
    r.sendPricing('BTCUSDT', { mid: 67_000 });
    r.sendPricing('ETHUSDT', { mid: 3000 });
    expect(quotesOf(r.step(10 * MS))).toEqual([]);
    expect(r.status.state).toBe(ServiceState.SYNCING);
    r.sendPosition('BTCUSDT');
    expect(quotesOf(r.step(10 * MS))).toEqual([]); // ETHUSDT's snapshot still missing: the loss limit needs both
    r.sendPosition('ETHUSDT');
    r.sendPricing('BTCUSDT', { mid: 67_000 });
    r.sendPricing('ETHUSDT', { mid: 3000 });
    const rows = r.step(1 * MS);
    expect(quotesOf(rows).map((q) => q.symbol).sort()).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(r.status.state).toBe(ServiceState.LIVE);
  });

  it('quotes carry the venue, the pricing receive time and strategy-wide increasing ids, around fair value', async () => {
    const r = await rig();
    r.read();
    r.ready();
    const recv = r.sendPricing('BTCUSDT', { mid: 67_000, fair: 67_001, recv: r.clock.nanoTime() - 3 * MS });
    const rows = quotesOf(r.step(1 * MS));
    // Each pricing message gets its own decision, and each decision reaches the venue (ready() priced both too).
    expect(rows.map((q) => q.symbol)).toEqual(['BTCUSDT', 'ETHUSDT', 'BTCUSDT']);
    const btc = rows[2]!;
    expect(btc.venue).toBe(Venue.SIMULATOR);
    expect(btc.recv).toBe(recv);
    expect(btc.bidQty).toBe(0.001 * E8);
    expect(btc.askQty).toBe(0.001 * E8);
    expect(btc.bid).toBeLessThan(67_001 * E8);
    expect(btc.ask).toBeGreaterThan(67_001 * E8);
    expect(btc.bid % (0.01 * E8)).toBe(0);
    expect(Math.abs(centre(btc) - 67_001)).toBeLessThan(0.02);
    const ids = rows.map((q) => q.id);
    expect(new Set(ids).size).toBe(3);
    r.sendPricing('BTCUSDT', { mid: 67_010 });
    const next = quotesOf(r.step(1 * MS), 'BTCUSDT')[0]!;
    expect(next.id).toBeGreaterThan(Math.max(...ids));
  });

  it('skews toward the target: long lowers both prices, short raises them; a fill moves inventory before the next snapshot', async () => {
    const r = await rig();
    r.read();
    r.ready();
    const flat = quotesOf(r.step(1 * MS), 'BTCUSDT')[0]!;
    // A buy fill of our venue: long 0.002 at once, without waiting for a snapshot.
    r.sendFill('BTCUSDT', { id: 7, side: Side.BUY, qty: 0.002 });
    const long = quotesOf(r.step(1 * MS), 'BTCUSDT')[0]!;
    expect(r.agent.positionOf('BTCUSDT')!.qtyE8).toBe(0.002 * E8);
    expect(long.bid).toBeLessThan(flat.bid);
    expect(long.ask).toBeLessThan(flat.ask);
    expect(centre(long)).toBeLessThan(67_000);
    // The snapshot that includes fill 7 replaces it (no double count); a short snapshot raises the quotes.
    r.sendPosition('BTCUSDT', { qty: 0.002, lastFillId: 7 });
    r.step(1 * MS);
    expect(r.agent.positionOf('BTCUSDT')!.qtyE8).toBe(0.002 * E8);
    r.sendPosition('BTCUSDT', { qty: -0.002, lastFillId: 8 });
    const short = quotesOf(r.step(1 * MS), 'BTCUSDT')[0]!;
    expect(short.bid).toBeGreaterThan(flat.bid);
    expect(short.ask).toBeGreaterThan(flat.ask);
    expect(centre(short)).toBeGreaterThan(67_000);
    // A fill the snapshot already includes is ignored.
    r.sendFill('BTCUSDT', { id: 8, side: Side.SELL, qty: 0.001 });
    r.step(1 * MS);
    expect(r.agent.positionOf('BTCUSDT')!.qtyE8).toBe(-0.002 * E8);
  });

  it('marks a quote decided on new pricing PRICING and one re-decided on the same pricing (a fill) REDECIDE', async () => {
    const r = await rig();
    r.read();
    r.ready();
    r.step(1 * MS);
    const recv = r.sendPricing('BTCUSDT', { mid: 67_020 });
    const onPricing = quotesOf(r.step(1 * MS), 'BTCUSDT');
    expect(onPricing.at(-1)).toMatchObject({ recv, cause: QuoteCause.PRICING });
    // The fill moves inventory: a new quote on the same pricing, carrying that pricing's (older) receive time.
    r.sendFill('BTCUSDT', { id: 3, side: Side.BUY, qty: 0.002 });
    const onFill = quotesOf(r.step(1 * MS), 'BTCUSDT');
    expect(onFill).toHaveLength(1);
    expect(onFill[0]).toMatchObject({ recv, cause: QuoteCause.REDECIDE });
    r.sendPricing('BTCUSDT', { mid: 67_050 });
    expect(quotesOf(r.step(1 * MS), 'BTCUSDT').at(-1)!.cause).toBe(QuoteCause.PRICING);
  });

  it('stops quoting the side that would exceed the max position', async () => {
    const r = await rig();
    r.read();
    r.ready();
    r.step(1 * MS);
    r.sendPosition('BTCUSDT', { qty: 0.005 });
    const q = quotesOf(r.step(1 * MS), 'BTCUSDT')[0]!;
    expect(q.bidQty).toBe(0);
    expect(q.askQty).toBe(0.001 * E8);
  });

  it('consumes fills and positions of its own venue only', async () => {
    const r = await rig();
    r.read();
    r.heartbeat();
    r.sendPricing('BTCUSDT', { mid: 67_000 });
    r.sendPricing('ETHUSDT', { mid: 3000 });
    r.sendPosition('BTCUSDT', { venue: Venue.ENGINE });
    r.sendPosition('ETHUSDT', { venue: Venue.ENGINE });
    expect(quotesOf(r.step(1 * MS))).toEqual([]);
    expect(r.agent.counters.otherVenue).toBe(2);
    r.sendPosition('BTCUSDT');
    r.sendPosition('ETHUSDT');
    expect(quotesOf(r.step(1 * MS))).toHaveLength(2);
    r.sendFill('BTCUSDT', { id: 1, side: Side.BUY, qty: 0.003, venue: Venue.ENGINE });
    r.step(1 * MS);
    expect(r.agent.positionOf('BTCUSDT')!.qtyE8).toBe(0);
    expect(r.agent.counters.otherVenue).toBe(3);
  });

  it('with venue = "engine" it quotes the engine and listens to the matching engine only', async () => {
    const r = await rig({ toml: `venue = "engine"\n${BASE_TOML}` });
    r.read();
    r.heartbeat('mm_simulator'); // not our venue: no heartbeat from ours yet
    r.sendPosition('BTCUSDT', { venue: Venue.ENGINE });
    r.sendPosition('ETHUSDT', { venue: Venue.ENGINE });
    r.sendPricing('BTCUSDT', { mid: 67_000 });
    r.sendPricing('ETHUSDT', { mid: 3000 });
    expect(quotesOf(r.step(1 * MS))).toEqual([]);
    r.heartbeat('matching-engine');
    const rows = quotesOf(r.step(1 * MS));
    expect(rows).toHaveLength(2);
    expect(rows.every((q) => q.venue === Venue.ENGINE)).toBe(true);
  });

  it('stale pricing pulls quotes once (STALE_PRICING), holds, and requotes when fresh', async () => {
    const r = await rig();
    r.read();
    r.ready();
    expect(quotesOf(r.step(1 * MS))).toHaveLength(2);
    // max-pricing-age-ms = 500, counted on our clock from the receipt of the pricing (1 ms after it was sent).
    expect(pullsOf(r.step(499 * MS))).toEqual([]);
    const staleRows = r.step(2 * MS);
    const pulls = pullsOf(staleRows);
    expect(pulls.map((p) => p.symbol).sort()).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(pulls.every((p) => p.reason === PullReason.STALE_PRICING && !p.all && p.venue === Venue.SIMULATOR)).toBe(true);
    expect(r.status.state).toBe(ServiceState.DEGRADED);
    expect(r.step(100 * MS)).toEqual([]);
    r.sendPricing('BTCUSDT', { mid: 67_000 });
    expect(quotesOf(r.step(1 * MS), 'BTCUSDT')).toHaveLength(1);
  });

  it('judges staleness on its own clock, so pricing from a host whose monotonic clock differs by ±10 min still quotes', async () => {
    for (const offset of [600e9, -600e9]) {
      const r = await rig();
      r.read();
      r.ready();
      r.step(100 * MS);
      // Moved prices, so the throttle lets the requote through.
      r.sendPricing('BTCUSDT', { mid: 67_100, hostClockOffsetNs: offset });
      r.sendPricing('ETHUSDT', { mid: 3_100, hostClockOffsetNs: offset });
      const rows = r.step(1 * MS);
      expect(pullsOf(rows).filter((p) => p.reason === PullReason.STALE_PRICING)).toEqual([]);
      expect(quotesOf(rows).length).toBeGreaterThan(0);
      // ... and still goes stale when that pricing stops arriving.
      const later = pullsOf(r.step(600 * MS));
      expect(later.length).toBeGreaterThan(0);
      expect(later.every((p) => p.reason === PullReason.STALE_PRICING)).toBe(true);
    }
  });

  it('pricing that is not tradable pulls (NOT_TRADABLE)', async () => {
    const r = await rig();
    r.read();
    r.ready();
    r.step(1 * MS);
    r.sendPricing('ETHUSDT', { mid: 3000, tradable: false });
    const pulls = pullsOf(r.step(1 * MS));
    expect(pulls).toHaveLength(1);
    expect(pulls[0]).toMatchObject({ symbol: 'ETHUSDT', reason: PullReason.NOT_TRADABLE });
  });

  it('pulls when the venue is not LIVE or its heartbeats stop, and resumes when they return', async () => {
    const r = await rig();
    r.read();
    r.ready();
    expect(quotesOf(r.step(1 * MS))).toHaveLength(2);
    r.venueState('mm_simulator', ServiceState.DEGRADED);
    let rows = r.step(1 * MS);
    expect(pullsOf(rows)).toHaveLength(2);
    expect(pullsOf(rows)[0]!.reason).toBe(PullReason.STATE_CHANGE);
    r.venueState('mm_simulator', ServiceState.LIVE);
    r.sendPricing('BTCUSDT', { mid: 67_000 });
    r.sendPricing('ETHUSDT', { mid: 3000 });
    expect(quotesOf(r.step(1 * MS))).toHaveLength(2);
    // Heartbeats stop: pricing stays fresh, the venue times out after 3 s.
    for (let i = 0; i < 30; i++) {
      r.sendPricing('BTCUSDT', { mid: 67_000 });
      r.sendPricing('ETHUSDT', { mid: 3000 });
      rows = r.step(100 * MS);
      if (pullsOf(rows).length > 0) break;
    }
    expect(pullsOf(rows)).toHaveLength(2);
    expect(r.clock.nanoTime() - 10e9).toBeGreaterThan(3000 * MS);
    expect(r.status.state).toBe(ServiceState.DEGRADED);
    expect(r.status.reason).toMatch(/no heartbeat from mm_simulator/);
    r.heartbeat();
    expect(quotesOf(r.step(1 * MS))).toHaveLength(2);
  });

  it('throttles requotes: below the price threshold nothing is sent, min interval and quote rate are respected', async () => {
    const r = await rig({ toml: BASE_TOML.replace('min-interval-ms = 0', 'min-interval-ms = 100').replace('max-quotes-per-second = 50', 'max-quotes-per-second = 3') });
    r.read();
    r.ready();
    expect(quotesOf(r.step(1 * MS), 'BTCUSDT')).toHaveLength(1);
    // A move of 0.3 (threshold 1.00): held.
    r.sendPricing('BTCUSDT', { mid: 67_000.3 });
    expect(quotesOf(r.step(200 * MS), 'BTCUSDT')).toEqual([]);
    // A move of 5 after 200 ms: sent.
    r.sendPricing('BTCUSDT', { mid: 67_005 });
    expect(quotesOf(r.step(1 * MS), 'BTCUSDT')).toHaveLength(1);
    const t0 = r.clock.nanoTime();
    // Another move 10 ms later: held until min-interval-ms (100) of EVENT time has passed. This process's clock
    // alone does not release it (the throttle runs on the carried receive times); the first pricing past it does.
    r.sendPricing('BTCUSDT', { mid: 67_020 });
    expect(quotesOf(r.step(10 * MS), 'BTCUSDT')).toEqual([]);
    expect(quotesOf(r.step(200 * MS), 'BTCUSDT')).toEqual([]);
    let sentAt = -1;
    for (let i = 0; i < 20 && sentAt < 0; i++) {
      r.sendPricing('BTCUSDT', { mid: 67_020 });
      if (quotesOf(r.step(10 * MS), 'BTCUSDT').length > 0) sentAt = r.clock.nanoTime();
    }
    // The first pricing after the 210 ms without any: its event time is past the interval.
    expect(sentAt - t0).toBeGreaterThanOrEqual(210 * MS);
    expect(sentAt - t0).toBeLessThan(230 * MS);
    // Rate: at most 3 quotes in any trailing second even if prices move every 100 ms.
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      r.sendPricing('BTCUSDT', { mid: 67_100 + i * 10 });
      if (quotesOf(r.step(100 * MS), 'BTCUSDT').length > 0) times.push(r.clock.nanoTime());
    }
    expect(times.length).toBeGreaterThan(3);
    for (let i = 3; i < times.length; i++) expect(times[i]! - times[i - 3]!).toBeGreaterThanOrEqual(1e9);
  });

  it('applies drift × horizon to the quotes', async () => {
    const r = await rig({ toml: BASE_TOML.replace('max-pricing-age-ms = 500', 'max-pricing-age-ms = 500\ndrift-horizon-s = 2') });
    r.read();
    r.ready();
    const still = quotesOf(r.step(1 * MS), 'BTCUSDT')[0]!;
    r.sendPricing('BTCUSDT', { mid: 67_000, drift: 5, spread: 50 });
    const up = quotesOf(r.step(1 * MS), 'BTCUSDT')[0]!;
    expect(centre(up) - centre(still)).toBeCloseTo(10, 1);
  });

  it('kill switch: engages on the strategy-wide daily loss, pulls every symbol, persists, survives a restart, and resets', async () => {
    const clock = new ManualClock(10e9);
    const r = await rig({ clock });
    r.read();
    r.ready();
    expect(quotesOf(r.step(1 * MS))).toHaveLength(2);
    // −60 on each symbol: −120 in total, beyond the limit of 100 although neither symbol alone is.
    r.sendPosition('BTCUSDT', { dailyRealized: -50, dailyFeesE8: 10 * E8 });
    r.sendPosition('ETHUSDT', { unrealized: -60 });
    const rows = r.step(1 * MS);
    const pulls = pullsOf(rows);
    expect(pulls.map((p) => p.symbol).sort()).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(pulls.every((p) => p.reason === PullReason.RISK_LIMIT)).toBe(true);
    expect(r.agent.killSwitchEngaged).toBe(true);
    expect(r.status.state).toBe(ServiceState.HALTED);
    const stored = JSON.parse(readFileSync(r.killFile, 'utf8')) as { engaged: boolean; reason: string; pnlAtEngage: number };
    expect(stored).toMatchObject({ engaged: true, reason: 'daily-loss-limit', pnlAtEngage: -120 });
    // A recovered PnL does not release it.
    r.sendPosition('BTCUSDT');
    r.sendPosition('ETHUSDT');
    r.sendPricing('BTCUSDT', { mid: 67_000 });
    expect(quotesOf(r.step(1 * MS))).toEqual([]);

    // Restart: a new agent on the same file is engaged before any input and never quotes.
    const r2 = await rig({ killFile: r.killFile });
    expect(r2.agent.killSwitchEngaged).toBe(true);
    r2.read();
    r2.ready();
    expect(quotesOf(r2.step(1 * MS))).toEqual([]);
    expect(r2.status.state).toBe(ServiceState.HALTED);

    // The reset command: the running agent resumes within its check interval (0.5 s).
    resetKillSwitch(r2.killFile);
    let quoted: Row[] = [];
    for (let i = 0; i < 10 && quoted.length === 0; i++) {
      r2.sendPricing('BTCUSDT', { mid: 67_000 });
      r2.sendPricing('ETHUSDT', { mid: 3000 });
      quoted = quotesOf(r2.step(100 * MS));
    }
    expect(quoted).toHaveLength(2);
    expect(r2.agent.killSwitchEngaged).toBe(false);
    expect(r2.status.state).toBe(ServiceState.LIVE);
    expect(JSON.parse(readFileSync(r2.killFile, 'utf8'))).toMatchObject({ engaged: false });
  });

  it('a damaged kill switch file keeps the switch engaged (fail safe)', async () => {
    const first = await rig();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(first.killFile, '{"engaged": tru');
    const r = await rig({ killFile: first.killFile });
    expect(r.agent.killSwitchEngaged).toBe(true);
    expect(r.logs.join('\n')).toMatch(/not valid JSON/);
    expect(existsSync(first.killFile)).toBe(true);
  });

  it('a pull is never lost to back pressure: it is retried until the stream takes it', async () => {
    const t = new InMemoryTransport({ logCapacity: 2048 });
    const r = await rig({ transport: t });
    const work = (ns: number): void => { r.clock.advanceNs(ns); r.agent.doWork(); };
    r.ready();
    // Fill the quote log without reading it (the reader is the venue, lagging).
    for (let i = 0; i < 30; i++) {
      r.sendPricing('BTCUSDT', { mid: 67_000 + i * 10 });
      r.sendPricing('ETHUSDT', { mid: 3000 + i });
      work(1 * MS);
    }
    expect(r.agent.proxy.counters.refused).toBeGreaterThan(0);
    work(600 * MS); // stale → pulls, refused while the log is full
    expect(r.agent.proxy.pending).toBeGreaterThan(0);
    const seen: Row[] = [];
    for (let i = 0; i < 20 && pullsOf(seen).length < 2; i++) {
      seen.push(...r.read());
      work(1 * MS);
    }
    seen.push(...r.read());
    const pulls = pullsOf(seen).filter((p) => !p.all);
    expect(pulls.map((p) => p.symbol).sort()).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(pulls.every((p) => p.reason === PullReason.STALE_PRICING)).toBe(true);
    // Nothing after a symbol's pull re-quotes it (pricing is still stale).
    const lastPull = seen.findIndex((x) => x.type === 'pull' && x.symbol === 'BTCUSDT' && !x.all);
    expect(quotesOf(seen.slice(lastPull + 1), 'BTCUSDT')).toEqual([]);
  });

  it('stop() pulls every symbol with reason SHUTDOWN and publishes nothing after', async () => {
    const r = await rig();
    r.read();
    r.ready();
    r.step(1 * MS);
    await r.agent.stop();
    r.sendPricing('BTCUSDT', { mid: 67_100 });
    const rows = r.step(1 * MS);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ type: 'pull', all: true, reason: PullReason.SHUTDOWN, venue: Venue.SIMULATOR });
  });

  it('counts and skips malformed messages without crashing', async () => {
    const r = await rig();
    r.read();
    const junk = AtomicBuffer.allocate(64);
    junk.putUint16(0, 5); // pricing template, truncated
    r.pricingPub.offer(junk, 0, 12);
    r.positionPub.offer(junk, 0, 3);
    r.step(1 * MS);
    expect(r.agent.counters.bad).toBe(2);
    expect(r.status.errors).toBe(2);
    r.ready();
    expect(quotesOf(r.step(1 * MS))).toHaveLength(2);
  });

  it('ignores symbols it does not trade', async () => {
    const r = await rig();
    r.read();
    r.ready();
    r.sendPricing('XRPUSDT', { mid: 1 });
    r.sendPosition('XRPUSDT');
    const rows = r.step(1 * MS);
    expect(rows.every((x) => x.symbol !== 'XRPUSDT')).toBe(true);
    expect(r.agent.counters.unknownSymbol).toBe(2);
  });

  it('calibrates A and k online from trade distances to the mid when enabled', async () => {
    const toml = `[calibration]\nenabled = true\nbucket-ms = 100\nwindow-buckets = 200\ngrid-size = 10\nmin-count = 2\ninterval-ms = 1000\n${BASE_TOML}`;
    const r = await rig({ toml });
    r.ready();
    const model = r.settings.symbols.find((x) => x.symbol === 'BTCUSDT')!.model as unknown as { k: number };
    expect(model.k).toBe(0.15);
    // One trade per 100 ms bucket at exponentially distributed distances (k = 0.5 / price) from the mid.
    for (let i = 1; i <= 200; i++) {
      const u = (i * 0.6180339887) % 1;
      r.sendPricing('BTCUSDT', { mid: 67_000 });
      r.sendPricing('ETHUSDT', { mid: 3000 });
      r.sendTrade('BTCUSDT', 67_000 + -Math.log(u) / 0.5);
      r.step(100 * MS);
    }
    expect(r.agent.counters.calibrations).toBeGreaterThan(0);
    expect(model.k).toBeGreaterThan(0.35);
    expect(model.k).toBeLessThan(0.7);
  });
});
