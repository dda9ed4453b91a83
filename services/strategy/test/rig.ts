import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { AtomicBuffer } from '@mm/agrona';
import { c, loadConfig } from '@mm/config';
import {
  DecodeResult, FillEncoder, HeartbeatEncoder, InstrumentEncoder, InstrumentStatus, MessageHeader, PositionEncoder, PricingEncoder, PricingFlags,
  PullQuotesDecoder, QuoteDecoder, ServiceState, Side, StateEncoder, TemplateId, TradeEncoder, Venue,
} from '@mm/protocol';
import { InMemoryTransport, ManualClock, ServiceStatus, type Publisher, type Subscriber } from '@mm/runtime';
import { KillSwitchStore } from '../src/KillSwitchStore.js';
import { StrategyAgent } from '../src/StrategyAgent.js';
import { strategySchema, toStrategySettings, type StrategySettings, type SymbolOverrideConfig } from '../src/StrategyConfig.js';

/** Test harness: the strategy agent on the in-memory transport with a manual clock, and typed stream helpers. */
export const E8 = 1e8;
export const MS = 1e6;
const CH = 'aeron:ipc';

export const BASE_TOML = `
[quoting]
min-spread-bps = 0
max-pricing-age-ms = 500
[throttle]
min-interval-ms = 0
refresh-interval-ms = 0
max-quotes-per-second = 50
[risk]
daily-loss-limit = 100
[venue-health]
heartbeat-timeout-ms = 3000
[symbols.BTCUSDT]
order-size = "0.001"
max-position = "0.005"
requote-threshold = "1"
k = 0.15
a = 1
grid-step = 1
[symbols.ETHUSDT]
order-size = "0.01"
max-position = "0.05"
requote-threshold = "0.05"
k = 3
a = 1
grid-step = 0.05
`;

const dirs: string[] = [];
export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'mm-strategy-'));
  dirs.push(d);
  return d;
}
export function removeTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** config/symbols.toml overrides of the tests: full ones (tick and lot), so the agent quotes without stream 20. */
export const FULL_OVERRIDES: Readonly<Record<string, SymbolOverrideConfig>> = {
  BTCUSDT: { tickSize: '0.01', lotSize: '0.00001' },
  ETHUSDT: { tickSize: '0.01', lotSize: '0.0001' },
};

export function settingsFrom(
  toml: string, symbols: readonly string[] = ['BTCUSDT', 'ETHUSDT'], startNs = 0, overrides: Readonly<Record<string, SymbolOverrideConfig>> = FULL_OVERRIDES,
): StrategySettings {
  const dir = tempDir();
  writeFileSync(join(dir, 'strategy.toml'), toml);
  const config = loadConfig('strategy', c.object(strategySchema), { configDir: dir, env: {} });
  return toStrategySettings(config, symbols, startNs, overrides);
}

export interface Row {
  type: 'quote' | 'pull';
  symbol: string;
  venue: number;
  id: number;
  recv: number;
  /** QuoteCause of a quote (0 for a pull). */
  cause: number;
  bid: number;
  bidQty: number;
  ask: number;
  askQty: number;
  reason: number;
  all: boolean;
}

export interface RigOptions {
  readonly toml?: string;
  readonly killFile?: string;
  readonly transport?: InMemoryTransport;
  readonly clock?: ManualClock;
  /** symbols.toml overrides (default FULL_OVERRIDES). */
  readonly overrides?: Readonly<Record<string, SymbolOverrideConfig>>;
  /** Subscribe the agent to stream 20 (sendInstrument publishes there). */
  readonly instruments?: boolean;
}

export async function rig(options: RigOptions = {}) {
  const t = options.transport ?? new InMemoryTransport();
  const clock = options.clock ?? new ManualClock(10e9);
  const settings = settingsFrom(options.toml ?? BASE_TOML, undefined, undefined, options.overrides ?? FULL_OVERRIDES);
  const killFile = options.killFile ?? join(tempDir(), 'kill-switch.json');
  const pub = async (stream: number): Promise<Publisher> => t.addExclusivePublication(CH, stream);
  const [pricingPub, fillPub, positionPub, statePub, heartbeatPub, tradePub] = await Promise.all([pub(14), pub(16), pub(17), pub(11), pub(12), pub(13)]);
  const quotesOut = await t.addSubscription(CH, 15);
  const sub = async (stream: number): Promise<Subscriber> => t.addSubscription(CH, stream);
  const [pricing, fills, positions, states, heartbeats] = await Promise.all([sub(14), sub(16), sub(17), sub(11), sub(12)]);
  const trades = settings.symbols.some((x) => x.calibration) ? await sub(13) : undefined;
  const quotes = await pub(15);
  const instrumentPub = await pub(20);
  const instruments = options.instruments ? await sub(20) : undefined;
  const status = new ServiceStatus('mm_strategy', 0, clock, await pub(11), await pub(12), 1e9);
  const logs: string[] = [];
  const store = new KillSwitchStore(killFile, () => clock.epochMs());
  const agent = new StrategyAgent(settings, { pricing, fills, positions, states, heartbeats, trades, instruments }, quotes, clock, status, store, (_l, m) => logs.push(m));
  const buf = AtomicBuffer.allocate(1024);

  /** `hostClockOffsetNs`: pricing from another host whose monotonic clock is that far ahead of ours. */
  const sendPricing = (symbol: string, p: { mid: number; fair?: number; spread?: number; recv?: number; tradable?: boolean; sigma?: number; drift?: number; hostClockOffsetNs?: number }): number => {
    const half = (p.spread ?? 0.02) / 2;
    const offset = p.hostClockOffsetNs ?? 0;
    const recv = (p.recv ?? clock.nanoTime()) + offset;
    const e = new PricingEncoder().wrap(buf, 0).symbol(symbol).recvTimeNs(recv).publishTimeNs(clock.nanoTime() + offset)
      .bestBidPrice(Math.round((p.mid - half) * E8)).bestBidQty(E8).bestAskPrice(Math.round((p.mid + half) * E8)).bestAskQty(E8)
      .mid(p.mid).weightedMid(p.mid).microPrice(p.mid).fairValue(p.fair ?? p.mid).sigma(p.sigma ?? 1).variance((p.sigma ?? 1) ** 2)
      .drift(p.drift ?? 0).flags(p.tradable === false ? PricingFlags.BOOK_SYNCED : PricingFlags.BOOK_SYNCED | PricingFlags.TRADABLE);
    expect(pricingPub.offer(buf, 0, e.encodedLength())).toBeGreaterThan(0);
    return recv;
  };
  const sendPosition = (symbol: string, p: { qty?: number; lastFillId?: number; dailyRealized?: number; dailyFeesE8?: number; unrealized?: number; venue?: Venue } = {}): void => {
    const e = new PositionEncoder().wrap(buf, 0).symbol(symbol).venue(p.venue ?? Venue.SIMULATOR).timeNs(clock.nanoTime())
      .lastFillId(p.lastFillId ?? 0).quantity(Math.round((p.qty ?? 0) * E8)).dailyRealizedPnl(p.dailyRealized ?? 0)
      .dailyFees(p.dailyFeesE8 ?? 0).unrealizedPnl(p.unrealized ?? 0);
    expect(positionPub.offer(buf, 0, e.encodedLength())).toBeGreaterThan(0);
  };
  const sendFill = (symbol: string, f: { id: number; side: Side; qty: number; price?: number; feeE8?: number; venue?: Venue }): void => {
    const e = new FillEncoder().wrap(buf, 0).symbol(symbol).venue(f.venue ?? Venue.SIMULATOR).fillId(f.id).side(f.side)
      .qty(Math.round(f.qty * E8)).price(Math.round((f.price ?? 100) * E8)).fee(f.feeE8 ?? 0).liquidity(1);
    expect(fillPub.offer(buf, 0, e.encodedLength())).toBeGreaterThan(0);
  };
  const sendTrade = (symbol: string, price: number): void => {
    const e = new TradeEncoder().wrap(buf, 0).symbol(symbol).recvTimeNs(clock.nanoTime()).price(Math.round(price * E8)).qty(E8).aggressorSide(Side.BUY);
    tradePub.offer(buf, 0, e.encodedLength());
  };
  /** An INSTRUMENT on 20 as the collector publishes it (sizes in price/base units). */
  const sendInstrument = (symbol: string, i: { tick: number; step: number; minQty?: number; minNotional?: number; status?: number }): void => {
    const e = new InstrumentEncoder().wrap(buf, 0).symbol(symbol).timeNs(clock.nanoTime()).exchangeTimeNs(1_700_000_000_000, 0).fetchTimeNs(1_700_000_000_001, 0)
      .tickSize(Math.round(i.tick * E8)).stepSize(Math.round(i.step * E8)).minQty(Math.round((i.minQty ?? 0) * E8))
      .minNotional(Math.round((i.minNotional ?? 0) * E8)).status((i.status ?? InstrumentStatus.TRADING) as InstrumentStatus).overridden(0);
    expect(instrumentPub.offer(buf, 0, e.encodedLength())).toBeGreaterThan(0);
  };
  const heartbeat = (service = 'mm_simulator', state: ServiceState = ServiceState.LIVE): void => {
    const e = new HeartbeatEncoder().wrap(buf, 0).service(service).state(state).timeNs(clock.nanoTime());
    expect(heartbeatPub.offer(buf, 0, e.encodedLength())).toBeGreaterThan(0);
  };
  const venueState = (service: string, state: ServiceState): void => {
    const e = new StateEncoder().wrap(buf, 0).service(service).state(state).reason('test');
    expect(statePub.offer(buf, 0, e.encodedLength())).toBeGreaterThan(0);
  };
  const quoteDecoder = new QuoteDecoder();
  const pullDecoder = new PullQuotesDecoder();
  const read = (): Row[] => {
    const rows: Row[] = [];
    quotesOut.poll((b, o, l) => {
      if (MessageHeader.templateId(b, o) === TemplateId.QUOTE) {
        expect(quoteDecoder.wrapChecked(b, o, l)).toBe(DecodeResult.OK);
        const q = quoteDecoder;
        rows.push({ type: 'quote', symbol: q.symbol(), venue: q.venue(), id: q.quoteId(), recv: q.recvTimeNs(), cause: q.cause(), bid: q.bidPrice(), bidQty: q.bidQty(), ask: q.askPrice(), askQty: q.askQty(), reason: 0, all: false });
      } else {
        expect(pullDecoder.wrapChecked(b, o, l)).toBe(DecodeResult.OK);
        const p = pullDecoder;
        rows.push({ type: 'pull', symbol: p.symbol(), venue: p.venue(), id: p.quoteId(), recv: p.recvTimeNs(), cause: 0, bid: 0, bidQty: 0, ask: 0, askQty: 0, reason: p.reason(), all: p.allSymbols() });
      }
    }, 1000);
    return rows;
  };
  /** Venue live, positions flat, pricing for both symbols: the agent is ready to quote. */
  const ready = (): void => {
    heartbeat();
    sendPosition('BTCUSDT');
    sendPosition('ETHUSDT');
    sendPricing('BTCUSDT', { mid: 67_000 });
    sendPricing('ETHUSDT', { mid: 3000 });
  };
  const step = (ns = 0): Row[] => {
    clock.advanceNs(ns);
    agent.doWork();
    return read();
  };
  return { t, clock, agent, status, store, killFile, logs, settings, quotesOut, pricingPub, positionPub, fillPub, buf, sendPricing, sendPosition, sendFill, sendTrade, sendInstrument, heartbeat, venueState, read, ready, step, quotes };
}

export { Side, Venue, ServiceState };
