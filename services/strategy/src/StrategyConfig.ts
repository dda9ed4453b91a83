import { c, type InferShape } from '@mm/config';
import {
  AvellanedaStoikov, AvellanedaStoikovInfinite, Glft, QuotingEngine, type QuotingEngineConfig, type QuotingModel,
  type IntensityCalibratorConfig,
} from '@mm/models/quoting';
import { toFixed8 } from '@mm/protocol';
import { roundQtyDown } from './SymbolInstrument.js';

/**
 * `config/strategy.toml`: the quoting model, throttling, risk limits, venue and one `[symbols.<SYMBOL>]` table per
 * traded symbol (every symbol of `config/symbols.toml` needs one). Prices and sizes are exact decimal strings
 * (converted to 1e-8 units); model parameters are in the model units of docs/architecture.md (price units, seconds).
 * Tick size, step size, minimums and trading status are not configured here: they come from the collector's
 * INSTRUMENT messages (stream 20, Binance exchangeInfo), and `[overrides.<SYMBOL>]` of `config/symbols.toml` wins
 * field by field (tick-size + lot-size there make a full override: the symbol is quoted without waiting for 20).
 */
const DECIMAL = /^\d+(\.\d{1,8})?$/;
const SIGNED_DECIMAL = /^-?\d+(\.\d{1,8})?$/;
const decimal = (doc: string, def?: string) =>
  c.string({ pattern: DECIMAL, patternText: 'a decimal string with at most 8 decimals, e.g. "0.01"', doc, ...(def === undefined ? {} : { default: def }) });

const symbolTable = c.object({
  orderSize: decimal('quantity per side (rounded down to the instrument\'s step size)'),
  maxPosition: decimal('largest |position|: a side that would exceed it is not quoted'),
  targetPosition: c.string({ pattern: SIGNED_DECIMAL, default: '0', doc: 'inventory the skew pushes toward (signed)' }),
  requoteThreshold: decimal('price move (price units) that triggers a requote'),
  k: c.number({ min: 1e-12, doc: 'order arrival decay, 1/price (λ = A·e^(−kδ))' }),
  a: c.number({ min: 1e-12, doc: 'order arrival intensity A, 1/s (GLFT)' }),
  gamma: c.optional(c.number({ min: 1e-12, doc: 'risk aversion for this symbol (default: model.gamma)' })),
  gridStep: c.number({ min: 1e-12, doc: 'calibration grid spacing, price units' }),
});

export const strategySchema = {
  venue: c.enum(['simulator', 'engine'], { default: 'simulator', doc: 'venue the quotes (15) address; fills (16) and positions (17) of other venues are ignored' }),
  eventOrder: c.bool({ default: false, doc: 'simulator venue only: decide on pricing only once the simulator has applied every market event before it (its progress on 17), so fills equal a backtest\'s; adds the simulator\'s hold to quote latency' }),
  model: c.object({
    kind: c.enum(['glft', 'as', 'as-infinite'], { default: 'glft', doc: 'GLFT, Avellaneda–Stoikov finite horizon, or AS infinite horizon' }),
    gamma: c.number({ min: 1e-12, default: 0.1, doc: 'risk aversion γ' }),
    sessionLengthS: c.number({ min: 0.001, max: 86_400 * 7, default: 60, doc: 'AS finite horizon: session length T, s' }),
    omega: c.number({ min: 0, default: 0, doc: 'AS infinite horizon: discount ω, 1/s (0 = ½γ²σ²(qMax+1)²)' }),
    centre: c.enum(['fair-value', 'mid'], { default: 'fair-value', doc: 'price the quotes are centred on' }),
  }),
  quoting: c.object({
    minSpreadBps: c.number({ min: 0, max: 10_000, default: 0.5, doc: 'minimum total spread, bps of the centre' }),
    driftHorizonS: c.number({ min: 0, max: 3600, default: 0, doc: 'reservation shift = drift × this (0 disables)' }),
    maxPricingAgeMs: c.int({ min: 1, max: 600_000, default: 2000, doc: 'pricing older than this (receive time) pulls quotes' }),
  }),
  throttle: c.object({
    minIntervalMs: c.int({ min: 0, max: 60_000, default: 50, doc: 'no requote sooner than this after the last quote' }),
    refreshIntervalMs: c.int({ min: 0, max: 3_600_000, default: 5000, doc: 'resend an unchanged quote after this long (0 = never)' }),
    maxQuotesPerSecond: c.int({ min: 1, max: 10_000, default: 20, doc: 'per symbol, trailing second' }),
  }),
  risk: c.object({
    dailyLossLimit: c.number({ min: 1e-9, default: 100, doc: 'quote currency; whole strategy, Σ symbols; engages the kill switch' }),
    killSwitchFile: c.string({ nonEmpty: true, default: 'data/strategy/kill-switch.json', doc: 'persisted kill switch (relative to the working directory)' }),
  }),
  venueHealth: c.object({
    heartbeatTimeoutMs: c.int({ min: 100, max: 600_000, default: 3000, doc: 'no venue heartbeat (12) this long → pull' }),
  }),
  calibration: c.object({
    enabled: c.bool({ default: false, doc: 'fit A and k online from trade distances to the mid (subscribes to 13)' }),
    bucketMs: c.int({ min: 1, max: 60_000, default: 100 }),
    windowBuckets: c.int({ min: 2, max: 1_000_000, default: 6000 }),
    gridSize: c.int({ min: 2, max: 1000, default: 20 }),
    minCount: c.int({ min: 1, max: 1_000_000, default: 5 }),
    intervalMs: c.int({ min: 100, max: 3_600_000, default: 10_000, doc: 'refit this often' }),
  }),
  symbols: c.record(symbolTable, { keyPattern: /^[A-Z0-9]{1,16}$/, keyText: 'a symbol such as BTCUSDT' }),
};

export type StrategyConfig = InferShape<typeof strategySchema>;
export type SymbolTableConfig = StrategyConfig['symbols'][string];

/** A configuration that parses but cannot run (a symbol without a table, order size off the lot grid, ...). */
export class StrategyConfigError extends Error {}

/** `config/symbols.toml` `[overrides.<SYMBOL>]` (the shape `@mm/runtime`'s loadSymbols returns). */
export interface SymbolOverrideConfig {
  readonly tickSize?: string | undefined;
  readonly lotSize?: string | undefined;
  readonly minQty?: string | undefined;
  readonly minNotional?: string | undefined;
  readonly status?: string | undefined;
}

/** Instrument fields fixed by configuration, 1e-8 units; undefined fields come from stream 20. */
export interface InstrumentOverrideSettings {
  readonly tickE8?: number;
  readonly stepE8?: number;
  readonly minQtyE8?: number;
  readonly minNotionalE8?: number;
  readonly status?: string;
}

export interface SymbolSettings {
  readonly symbol: string;
  /**
   * The engine's settings. Its builder's tick and lot are the override's when the symbol has a full one, else a
   * placeholder of 1 unit: the agent rebuilds the engine on the instrument's grid when stream 20 tells it.
   */
  readonly engine: QuotingEngineConfig;
  /** Configured order size per side, 1e-8 units (before rounding to the step). */
  readonly orderQtyE8: number;
  readonly override: InstrumentOverrideSettings;
  /** tick and step are both overridden: quotable without stream 20. */
  readonly fullOverride: boolean;
  readonly model: QuotingModel;
  readonly calibration: IntensityCalibratorConfig | undefined;
}

export interface StrategySettings {
  readonly venue: 'simulator' | 'engine';
  /** Event order with the simulator venue (StrategyAgent's module comment); the backtest turns it on. */
  readonly eventOrder?: boolean;
  readonly symbols: readonly SymbolSettings[];
  readonly heartbeatTimeoutNs: number;
  readonly killSwitchFile: string;
  readonly calibrationIntervalNs: number;
  readonly dailyLossLimit: number;
}

const MS = 1e6;

function fixed8(symbol: string, key: string, text: string): number {
  try {
    return toFixed8(text);
  } catch (error) {
    throw new StrategyConfigError(`symbols.${symbol}.${key}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function buildModel(config: StrategyConfig, t: SymbolTableConfig, qMax: number): QuotingModel {
  const gamma = t.gamma ?? config.model.gamma;
  switch (config.model.kind) {
    case 'glft':
      return new Glft({ gamma, k: t.k, A: t.a });
    case 'as':
      return new AvellanedaStoikov({ gamma, k: t.k, sessionLengthS: config.model.sessionLengthS });
    case 'as-infinite':
      return new AvellanedaStoikovInfinite({
        gamma, k: t.k, qMax, ...(config.model.omega > 0 ? { omega: config.model.omega } : {}),
      });
  }
}

/** symbols.toml override → 1e-8 units; a value that cannot be one is a StrategyConfigError naming the key. */
function overrideOf(symbol: string, o: SymbolOverrideConfig | undefined): InstrumentOverrideSettings {
  if (o === undefined) return {};
  const units = (key: string, text: string | undefined, positive: boolean): number | undefined => {
    if (text === undefined) return undefined;
    let v: number;
    try {
      v = toFixed8(text);
    } catch (error) {
      throw new StrategyConfigError(`config/symbols.toml overrides.${symbol}.${key}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (positive && v <= 0) throw new StrategyConfigError(`config/symbols.toml overrides.${symbol}.${key} must be > 0`);
    return v;
  };
  const out: { tickE8?: number; stepE8?: number; minQtyE8?: number; minNotionalE8?: number; status?: string } = {};
  const tick = units('tick-size', o.tickSize, true);
  const step = units('lot-size', o.lotSize, true);
  const minQty = units('min-qty', o.minQty, false);
  const minNotional = units('min-notional', o.minNotional, false);
  if (tick !== undefined) out.tickE8 = tick;
  if (step !== undefined) out.stepE8 = step;
  if (minQty !== undefined) out.minQtyE8 = minQty;
  if (minNotional !== undefined) out.minNotionalE8 = minNotional;
  if (o.status !== undefined) out.status = o.status;
  return out;
}

/**
 * Checks the parsed configuration against the traded symbols and builds the per-symbol engine settings. Throws
 * StrategyConfigError naming every problem (the caller exits 78). `sessionStartNs` anchors finite-horizon sessions;
 * `overrides` are `config/symbols.toml`'s `[overrides.<SYMBOL>]` tables.
 */
export function toStrategySettings(
  config: StrategyConfig, symbols: readonly string[], sessionStartNs: number, overrides: Readonly<Record<string, SymbolOverrideConfig>> = {},
): StrategySettings {
  const problems: string[] = [];
  const out: SymbolSettings[] = [];
  for (const symbol of symbols) {
    const t = config.symbols[symbol];
    if (!t) {
      problems.push(`config/strategy.toml has no [symbols.${symbol}] table (every symbol of config/symbols.toml needs one)`);
      continue;
    }
    try {
      const override = overrideOf(symbol, overrides[symbol]);
      const fullOverride = override.tickE8 !== undefined && override.stepE8 !== undefined;
      const tickE8 = fullOverride ? override.tickE8! : 1;
      const lotE8 = override.stepE8 ?? 1;
      const orderQtyE8 = fixed8(symbol, 'order-size', t.orderSize);
      const maxPositionE8 = fixed8(symbol, 'max-position', t.maxPosition);
      const targetQtyE8 = fixed8(symbol, 'target-position', t.targetPosition);
      const thresholdE8 = fixed8(symbol, 'requote-threshold', t.requoteThreshold);
      // The order size is rounded down to the step wherever the step comes from (SymbolInstrument), as live with
      // exchangeInfo; only a size that would round to nothing is a configuration error.
      if (orderQtyE8 <= 0 || orderQtyE8 < lotE8) {
        throw new StrategyConfigError(`symbols.${symbol}.order-size ${t.orderSize} must be > 0${override.stepE8 !== undefined ? ` and at least the lot size ${overrides[symbol]!.lotSize!} (it is rounded down to a multiple of it)` : ''}`);
      }
      if (maxPositionE8 < orderQtyE8) {
        throw new StrategyConfigError(`symbols.${symbol}.max-position ${t.maxPosition} is below order-size ${t.orderSize}: nothing could ever be quoted`);
      }
      if (Math.abs(targetQtyE8) > maxPositionE8) {
        throw new StrategyConfigError(`symbols.${symbol}.target-position ${t.targetPosition} exceeds max-position ${t.maxPosition}`);
      }
      const gridQtyE8 = roundQtyDown(orderQtyE8, lotE8);
      const qMax = (maxPositionE8 + Math.abs(targetQtyE8)) / gridQtyE8;
      const engine: QuotingEngineConfig = {
        builder: {
          tickE8, lotE8, orderQtyE8: gridQtyE8, targetQtyE8, maxPositionE8,
          minSpreadBps: config.quoting.minSpreadBps,
          driftHorizonS: config.quoting.driftHorizonS,
        },
        throttle: {
          priceThresholdE8: thresholdE8,
          minIntervalNs: config.throttle.minIntervalMs * MS,
          refreshIntervalNs: config.throttle.refreshIntervalMs * MS,
          maxQuotesPerSecond: config.throttle.maxQuotesPerSecond,
        },
        maxPricingAgeNs: config.quoting.maxPricingAgeMs * MS,
        dailyLossLimit: config.risk.dailyLossLimit,
        sessionStartNs,
        sessionLengthS: config.model.kind === 'as' ? config.model.sessionLengthS : 0,
        useFairValue: config.model.centre === 'fair-value',
      };
      const model = buildModel(config, t, qMax);
      // Constructing one engine validates the builder and throttle settings with the models' own messages.
      new QuotingEngine(model, engine);
      const cal = config.calibration;
      out.push({
        symbol,
        engine,
        orderQtyE8,
        override,
        fullOverride,
        model,
        calibration: cal.enabled
          ? { bucketNs: cal.bucketMs * MS, windowBuckets: cal.windowBuckets, gridStep: t.gridStep, gridSize: cal.gridSize, minCount: cal.minCount }
          : undefined,
      });
    } catch (error) {
      problems.push(error instanceof StrategyConfigError ? error.message : `symbols.${symbol}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (problems.length > 0) throw new StrategyConfigError(problems.join('; '));
  return {
    venue: config.venue,
    eventOrder: config.eventOrder,
    symbols: out,
    heartbeatTimeoutNs: config.venueHealth.heartbeatTimeoutMs * MS,
    killSwitchFile: config.risk.killSwitchFile,
    calibrationIntervalNs: config.calibration.intervalMs * MS,
    dailyLossLimit: config.risk.dailyLossLimit,
  };
}
