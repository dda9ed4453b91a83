import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Aeron, Context } from '@mm/aeron-client';
import { AtomicBuffer } from '@mm/agrona';
import {
  DecodeResult, HeartbeatDecoder, HeartbeatEncoder, MessageHeader, PositionEncoder, PricingEncoder, PricingFlags, PullQuotesDecoder,
  PullReason, QuoteDecoder, ServiceState, StateDecoder, TemplateId, Venue,
} from '@mm/protocol';
import { SystemClock, type Publisher, type Subscriber } from '@mm/runtime';
import {
  createTestSystem, killAll, removeTempDirs, repoRoot, spawnNode, startDriver, startService, tempDir, waitFor, type TestSystem,
} from '@mm/test-support';

/**
 * The strategy as a real process on a real media driver. The test plays pricing (14), the simulator venue's
 * position snapshots (17) and heartbeats (12), and reads what the strategy publishes on 15 and 11.
 */
const E8 = 1e8;
const CH = 'aeron:ipc?term-length=64k';

function strategyToml(killFile: string, extra = ''): string {
  return `
[quoting]
min-spread-bps = 0
max-pricing-age-ms = 300
[throttle]
min-interval-ms = 0
refresh-interval-ms = 0
[risk]
daily-loss-limit = 10
kill-switch-file = "${killFile}"
[venue-health]
heartbeat-timeout-ms = 1000
[runtime]
heartbeat-interval-ms = 200
${extra}
[symbols.BTCUSDT]
order-size = "0.001"
max-position = "0.01"
requote-threshold = "1"
k = 0.15
a = 1
grid-step = 1
[symbols.ETHUSDT]
order-size = "0.01"
max-position = "0.1"
requote-threshold = "0.05"
k = 3
a = 1
grid-step = 0.05
`;
}

/** config/symbols.toml with full overrides: no collector runs here, so no instrument arrives on stream 20. */
function symbolsToml(symbols: readonly string[]): string {
  return `symbols = [${symbols.map((x) => `"${x}"`).join(', ')}]\n[overrides.BTCUSDT]\ntick-size = "0.01"\nlot-size = "0.00001"\n[overrides.ETHUSDT]\ntick-size = "0.01"\nlot-size = "0.0001"\n`;
}

interface Seen {
  kind: 'quote' | 'pull';
  symbol: string;
  venue: number;
  recv: number;
  bid: number;
  ask: number;
  reason: number;
  all: boolean;
}

class Harness {
  readonly clock = new SystemClock();
  readonly seen: Seen[] = [];
  readonly states: { state: number; reason: string }[] = [];
  readonly sentRecv = new Set<number>();
  private readonly buf = AtomicBuffer.allocate(512);
  private readonly quote = new QuoteDecoder();
  private readonly pull = new PullQuotesDecoder();
  private readonly state = new StateDecoder();
  private seq = 0;
  position = { BTCUSDT: 0, ETHUSDT: 0 } as Record<string, number>;
  dailyRealized = 0;
  pricingOn = true;
  mids: Record<string, number> = { BTCUSDT: 67_000, ETHUSDT: 3000 };

  constructor(
    readonly aeron: Aeron,
    private readonly pricing: Publisher,
    private readonly positions: Publisher,
    private readonly heartbeats: Publisher,
    private readonly quotes: Subscriber,
    private readonly stateSub: Subscriber,
  ) {}

  static async create(sys: TestSystem): Promise<Harness> {
    const aeron = await Aeron.connect(new Context({ aeronDir: sys.aeronDir, driverTimeoutMs: 2000 }));
    const [pricing, positions, heartbeats, quotes, states] = await Promise.all([
      aeron.addExclusivePublication(CH, 14),
      aeron.addExclusivePublication(CH, 17),
      aeron.addExclusivePublication(CH, 12),
      aeron.addSubscription(CH, 15),
      aeron.addSubscription(CH, 11),
    ]);
    return new Harness(aeron, pricing, positions, heartbeats, quotes, states);
  }

  /** One round of inputs as the pricing service and the simulator venue would publish them. */
  publish(): void {
    const now = this.clock.nanoTime();
    const hb = new HeartbeatEncoder().wrap(this.buf, 0).sequence(this.seq++).service('mm_simulator').state(ServiceState.LIVE).timeNs(now);
    this.heartbeats.offer(this.buf, 0, hb.encodedLength());
    for (const symbol of ['BTCUSDT', 'ETHUSDT']) {
      const p = new PositionEncoder().wrap(this.buf, 0).symbol(symbol).venue(Venue.SIMULATOR).timeNs(now)
        .quantity(Math.round(this.position[symbol]! * E8)).dailyRealizedPnl(symbol === 'BTCUSDT' ? this.dailyRealized : 0);
      this.positions.offer(this.buf, 0, p.encodedLength());
      if (!this.pricingOn) continue;
      const mid = this.mids[symbol]!;
      const e = new PricingEncoder().wrap(this.buf, 0).symbol(symbol).recvTimeNs(now).publishTimeNs(now)
        .bestBidPrice(Math.round((mid - 0.01) * E8)).bestBidQty(E8).bestAskPrice(Math.round((mid + 0.01) * E8)).bestAskQty(E8)
        .mid(mid).weightedMid(mid).microPrice(mid).fairValue(mid).sigma(1).variance(1)
        .flags(PricingFlags.BOOK_SYNCED | PricingFlags.TRADABLE);
      if (this.pricing.offer(this.buf, 0, e.encodedLength()) > 0) this.sentRecv.add(now);
    }
  }

  poll(): void {
    this.aeron.doWork();
    this.quotes.poll((b, o, l) => {
      if (MessageHeader.templateId(b, o) === TemplateId.QUOTE) {
        expect(this.quote.wrapChecked(b, o, l)).toBe(DecodeResult.OK);
        const q = this.quote;
        this.seen.push({ kind: 'quote', symbol: q.symbol(), venue: q.venue(), recv: q.recvTimeNs(), bid: q.bidPrice(), ask: q.askPrice(), reason: 0, all: false });
      } else {
        expect(this.pull.wrapChecked(b, o, l)).toBe(DecodeResult.OK);
        const p = this.pull;
        this.seen.push({ kind: 'pull', symbol: p.symbol(), venue: p.venue(), recv: p.recvTimeNs(), bid: 0, ask: 0, reason: p.reason(), all: p.allSymbols() });
      }
    }, 100);
    this.stateSub.poll((b, o, l) => {
      if (this.state.wrapChecked(b, o, l) === DecodeResult.OK && this.state.service() === 'mm_strategy' && this.state.symbol() === '') {
        this.states.push({ state: this.state.state(), reason: this.state.reason() });
      }
    }, 100);
  }

  /** Feeds inputs every ~20 ms and polls until `cond` holds. */
  async until<T>(what: string, cond: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
    let next = 0;
    return waitFor(() => {
      if (Date.now() >= next) {
        this.publish();
        next = Date.now() + 20;
      }
      this.poll();
      return cond();
    }, { what, timeoutMs, intervalMs: 2 });
  }

  lastQuote(symbol: string, from = 0): Seen | undefined {
    for (let i = this.seen.length - 1; i >= from; i--) if (this.seen[i]!.kind === 'quote' && this.seen[i]!.symbol === symbol) return this.seen[i];
    return undefined;
  }

  close(): void {
    this.aeron.close();
  }
}

describe('strategy process', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    h?.close();
    h = undefined;
    await killAll();
    removeTempDirs();
  });

  it('quotes the configured venue with the carried receive time and inventory skew, pulls on stale pricing and at shutdown', async () => {
    const killFile = join(tempDir('mm-strategy-'), 'kill-switch.json');
    const sys = createTestSystem({ strategy: strategyToml(killFile), symbols: symbolsToml(['BTCUSDT', 'ETHUSDT']) });
    await startDriver(sys);
    h = await Harness.create(sys);
    const strategy = startService(sys, 'strategy');
    const harness = h;

    // Start-up: everything at the venue is pulled first.
    await harness.until('the start-up pull of all symbols', () => harness.seen.find((s) => s.kind === 'pull' && s.all && s.reason === PullReason.STATE_CHANGE));
    await harness.until('quotes for both symbols', () => harness.lastQuote('BTCUSDT') && harness.lastQuote('ETHUSDT'));
    const flat = harness.lastQuote('BTCUSDT')!;
    expect(flat.venue).toBe(Venue.SIMULATOR);
    expect(harness.sentRecv.has(flat.recv)).toBe(true);
    expect(flat.bid).toBeLessThan(67_000 * E8);
    expect(flat.ask).toBeGreaterThan(67_000 * E8);
    await harness.until('state LIVE', () => harness.states.some((s) => s.state === ServiceState.LIVE));

    // Long inventory: both prices move down (toward selling); short: up.
    harness.position.BTCUSDT = 0.005;
    let mark = harness.seen.length;
    const long = await harness.until('a skewed quote for a long position', () => {
      const q = harness.lastQuote('BTCUSDT', mark);
      return q && q.bid < flat.bid && q.ask < flat.ask ? q : undefined;
    });
    expect((long.bid + long.ask) / 2).toBeLessThan(67_000 * E8);
    harness.position.BTCUSDT = -0.005;
    mark = harness.seen.length;
    const short = await harness.until('a skewed quote for a short position', () => {
      const q = harness.lastQuote('BTCUSDT', mark);
      return q && q.bid > flat.bid && q.ask > flat.ask ? q : undefined;
    });
    expect((short.bid + short.ask) / 2).toBeGreaterThan(67_000 * E8);
    expect(harness.seen.filter((s) => s.kind === 'quote').every((s) => s.venue === Venue.SIMULATOR)).toBe(true);

    // Pricing stops (venue still alive): both symbols are pulled for stale pricing.
    harness.pricingOn = false;
    mark = harness.seen.length;
    await harness.until('stale-pricing pulls of both symbols', () => {
      const pulls = harness.seen.slice(mark).filter((s) => s.kind === 'pull' && s.reason === PullReason.STALE_PRICING);
      return pulls.some((p) => p.symbol === 'BTCUSDT') && pulls.some((p) => p.symbol === 'ETHUSDT');
    });
    await harness.until('state DEGRADED', () => harness.states.at(-1)?.state === ServiceState.DEGRADED);

    // SIGTERM: a pull of all symbols (SHUTDOWN), exit 0.
    strategy.kill('SIGTERM');
    await harness.until('the shutdown pull', () => harness.seen.find((s) => s.kind === 'pull' && s.all && s.reason === PullReason.SHUTDOWN));
    expect((await strategy.waitForExit(5000)).code).toBe(0);
  });

  it('kill switch: engaged by the daily loss, persisted, still engaged after a restart, released by the reset script', async () => {
    const killFile = join(tempDir('mm-strategy-'), 'state', 'kill-switch.json');
    const sys = createTestSystem({ strategy: strategyToml(killFile), symbols: symbolsToml(['BTCUSDT', 'ETHUSDT']) });
    await startDriver(sys);
    h = await Harness.create(sys);
    const harness = h;
    let strategy = startService(sys, 'strategy');
    await harness.until('quotes for both symbols', () => harness.lastQuote('BTCUSDT') && harness.lastQuote('ETHUSDT'));

    harness.dailyRealized = -25; // limit 10
    let mark = harness.seen.length;
    await harness.until('risk-limit pulls', () => harness.seen.slice(mark).filter((s) => s.kind === 'pull' && s.reason === PullReason.RISK_LIMIT).length >= 2);
    await harness.until('state HALTED', () => harness.states.at(-1)?.state === ServiceState.HALTED);
    expect(JSON.parse(readFileSync(killFile, 'utf8'))).toMatchObject({ engaged: true, reason: 'daily-loss-limit' });

    // Restart with a PnL that is fine again: still halted, no quote.
    strategy.kill('SIGTERM');
    expect((await strategy.waitForExit(5000)).code).toBe(0);
    harness.dailyRealized = 0;
    harness.states.length = 0;
    mark = harness.seen.length;
    strategy = startService(sys, 'strategy');
    await harness.until('the restarted strategy reports HALTED', () => harness.states.some((s) => s.state === ServiceState.HALTED));
    // Its log says it restored the switch; the inputs keep flowing for a few of its heartbeats, and it stays quiet.
    await strategy.waitForLine(/kill switch restored ENGAGED/);
    const startedAt = harness.seen.length;
    let beats = 0;
    const hbSub = await harness.aeron.addSubscription(CH, 12);
    const hb = new HeartbeatDecoder();
    await harness.until('three strategy heartbeats while halted', () => {
      hbSub.poll((b, o, l) => {
        if (hb.wrapChecked(b, o, l) === DecodeResult.OK && hb.service() === 'mm_strategy' && hb.state() === ServiceState.HALTED) beats++;
      }, 100);
      return beats >= 3;
    });
    expect(harness.seen.slice(startedAt).filter((s) => s.kind === 'quote')).toEqual([]);
    expect(harness.seen.slice(mark).filter((s) => s.kind === 'quote')).toEqual([]);

    // The reset entry point releases it: the running strategy quotes again.
    const reset = spawnNode(join(repoRoot(), 'services/strategy/dist/resetKillSwitch.js'), { env: sys.env, cwd: repoRoot() });
    expect((await reset.waitForExit(10_000)).code).toBe(0);
    expect(reset.output()).toMatch(/was engaged \(daily-loss-limit\)/);
    await harness.until('quotes after the reset', () => harness.lastQuote('BTCUSDT', startedAt) && harness.lastQuote('ETHUSDT', startedAt));
    await harness.until('state LIVE after the reset', () => harness.states.at(-1)?.state === ServiceState.LIVE);
    expect(JSON.parse(readFileSync(killFile, 'utf8'))).toMatchObject({ engaged: false });
    strategy.kill('SIGTERM');
    expect((await strategy.waitForExit(5000)).code).toBe(0);
  });

  it('exits 78 with a clear message when a traded symbol has no [symbols.X] table', async () => {
    const unused = join(tempDir('mm-strategy-'), 'kill-switch.json');
    const sys = createTestSystem({ strategy: strategyToml(unused), symbols: symbolsToml(['BTCUSDT', 'ETHUSDT', 'SOLUSDT']) });
    await startDriver(sys);
    const strategy = startService(sys, 'strategy');
    const exit = await strategy.waitForExit(15_000);
    expect(exit.code).toBe(78);
    expect(strategy.output()).toMatch(/no \[symbols\.SOLUSDT\] table/);
    expect(existsSync(unused)).toBe(false);
  });
});
