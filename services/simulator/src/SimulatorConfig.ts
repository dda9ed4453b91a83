import { c, type InferShape } from '@mm/config';
import { toFixed8 } from '@mm/protocol';
import type { QueueModelConfig } from '@mm/models/fills';

/**
 * `config/simulator.toml`. Symbols come from the shared `config/symbols.toml`; a symbol's lot size is its
 * `[overrides.<SYMBOL>] lot-size` there, else `orders.default-lot-size` here. Latencies are microseconds (fractions
 * allowed), converted to ns once.
 */
export const simulatorSchema = {
  latency: c.object({
    entryUs: c.number({ min: 0, max: 60_000_000, default: 500, doc: 'order-entry latency: a quote rests this long after it is processed, µs' }),
    cancelUs: c.number({ min: 0, max: 60_000_000, default: 500, doc: 'cancel latency: a replaced or pulled order can still fill this long, µs' }),
  }),
  queue: c.object({
    model: c.enum(['risk-averse', 'power', 'log'], { default: 'power', doc: 'queue-position model (risk-averse = conservative)' }),
    powerN: c.number({ min: 0.01, max: 100, default: 2, doc: 'power model exponent n' }),
    powerVariant: c.int({ min: 1, max: 3, default: 1, doc: 'power model form 1..3 (see models/fills/QueueModel.ts)' }),
    logVariant: c.int({ min: 1, max: 2, default: 1, doc: 'log model form 1..2' }),
    logUnit: c.string({ default: '1', pattern: /^\d+(\.\d+)?$/, patternText: 'a positive decimal', doc: 'log model quantity unit, base-asset units' }),
  }),
  fees: c.object({
    makerBps: c.number({ min: -100, max: 100, default: 1, doc: 'maker fee, bps of notional (negative = rebate)' }),
    takerBps: c.number({ min: -100, max: 100, default: 1, doc: 'taker fee, bps of notional' }),
  }),
  orders: c.object({
    defaultLotSize: c.string({ default: '0.00001', pattern: /^\d+(\.\d+)?$/, patternText: 'a positive decimal', doc: 'lot size when symbols.toml has no override' }),
    maxOrders: c.int({ min: 2, max: 4096, default: 64, doc: 'order pool per symbol (resting + cancelling)' }),
  }),
  journal: c.object({
    dir: c.string({ default: 'data/simulator', nonEmpty: true, doc: 'fill journal directory (relative to the working directory)' }),
    fsync: c.enum(['every-record', 'batch'], { default: 'every-record', doc: 'fsync each fill, or in batches' }),
    batchMaxRecords: c.int({ min: 1, max: 1_000_000, default: 64, doc: 'batch: fsync after this many fills' }),
    batchMaxDelayMs: c.int({ min: 0, max: 60_000, default: 100, doc: 'batch: fsync when the oldest unsynced fill is this old' }),
    republishOnStart: c.int({ min: 0, max: 4096, default: 256, doc: 'at start, publish the last this-many journaled fills again (same ids; consumers skip ids they have), so a fill journaled just before a crash or driver loss is not lost to 16' }),
  }),
  positions: c.object({
    publishIntervalMs: c.int({ min: 10, max: 60_000, default: 1000, doc: 'position snapshots at least this often (and on every fill)' }),
  }),
  market: c.object({
    staleBookMs: c.int({ min: 100, max: 600_000, default: 5000, doc: 'no book for a symbol this long → DEGRADED' }),
    holdMs: c.number({ min: 0, max: 10_000, default: 0, doc: 'event-time order: each book or trade waits up to this long for the strategy to react to the events before it (released at once by a quote or pull carrying its time); at most 1/hold unanswered events per second. 0 (default, live) = apply on arrival: a real venue does not wait for the strategy' }),
    staleQuoteMs: c.int({ min: 1, max: 600_000, default: 1000, doc: 'a quote whose market event is this much older than the venue\'s event time is dropped' }),
  }),
};

export type SimulatorConfig = InferShape<typeof simulatorSchema>;

/** What the agent needs, in engine units (ns, 1e-8). */
export interface SimulatorSettings {
  readonly entryLatencyNs: number;
  readonly cancelLatencyNs: number;
  readonly queue: QueueModelConfig;
  readonly makerBps: number;
  readonly takerBps: number;
  readonly maxOrders: number;
  readonly positionIntervalNs: number;
  readonly staleBookNs: number;
  /** Longest hold of a market event for the strategy's watermark, ns (0 = none; default 0). SimulatorAgent. */
  readonly holdNs?: number;
  /** Quotes older than the venue's event time by more than this are dropped, ns (default 1 s). */
  readonly staleQuoteNs?: number;
  readonly symbols: readonly { readonly symbol: string; readonly lotE8: number }[];
}

/** Converts the validated config; throws a RangeError naming the key for values the schema cannot check. */
export function toSimulatorSettings(
  config: SimulatorConfig,
  symbols: readonly string[],
  overrides: Readonly<Record<string, { readonly lotSize?: string | undefined }>>,
): SimulatorSettings {
  const positive8 = (text: string, what: string): number => {
    let v: number;
    try {
      v = toFixed8(text);
    } catch (error) {
      throw new RangeError(`${what}: ${(error as Error).message}`);
    }
    if (!(v > 0)) throw new RangeError(`${what} must be > 0 (at 1e-8 precision), got ${JSON.stringify(text)}`);
    return v;
  };
  const q = config.queue;
  const queue: QueueModelConfig =
    q.model === 'risk-averse'
      ? { kind: 'risk-averse' }
      : q.model === 'power'
        ? { kind: 'power', n: q.powerN, variant: q.powerVariant as 1 | 2 | 3 }
        : { kind: 'log', variant: q.logVariant as 1 | 2, unitE8: positive8(q.logUnit, 'queue.log-unit') };
  const defaultLot = positive8(config.orders.defaultLotSize, 'orders.default-lot-size');
  return {
    entryLatencyNs: Math.round(config.latency.entryUs * 1000),
    cancelLatencyNs: Math.round(config.latency.cancelUs * 1000),
    queue,
    makerBps: config.fees.makerBps,
    takerBps: config.fees.takerBps,
    maxOrders: config.orders.maxOrders,
    positionIntervalNs: config.positions.publishIntervalMs * 1e6,
    staleBookNs: config.market.staleBookMs * 1e6,
    holdNs: Math.round(config.market.holdMs * 1e6),
    staleQuoteNs: config.market.staleQuoteMs * 1e6,
    symbols: symbols.map((symbol) => {
      const lot = overrides[symbol]?.lotSize;
      return { symbol, lotE8: lot === undefined ? defaultLot : positive8(lot, `symbols.toml overrides.${symbol}.lot-size`) };
    }),
  };
}
