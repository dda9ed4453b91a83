import { c, loadConfig, type Env, type InferShape, type Shape } from '@mm/config';
import { basename } from 'node:path';
import { collectorSchema, recordingInstruments, type RecordingInstrument } from '@mm/collector';
import { loggingSchema } from '@mm/logging';
import { formatFixed8 } from '@mm/protocol';
import type { PricingConfig } from '@mm/models';
import { pricingSchema, toPricingConfig } from '@mm/pricing';
import { loadStreams, loadSymbols, runtimeSection, type Streams, type SymbolsConfig } from '@mm/runtime';
import { simulatorSchema, toSimulatorSettings, type SimulatorConfig, type SimulatorSettings } from '@mm/simulator';
import { strategySchema, toStrategySettings, type StrategyConfig } from '@mm/strategy';

/**
 * The configuration of a backtest: the SAME files the services read (`config/<service>.toml`, `streams.toml`,
 * `symbols.toml` from `--config <dir>`), loaded with the services' own schemas, plus parameter overrides.
 *
 * An override is `name=value`; `name` is an alias (see PARAMETER_ALIASES) or a dotted TOML path
 * `<service>.<section>.<key>` (e.g. `strategy.model.gamma`). Overrides are applied as the services' generic
 * environment variables (`MM_STRATEGY__MODEL__GAMMA`), so they are validated exactly like a live override.
 */
export const PARAMETER_ALIASES: Readonly<Record<string, string>> = {
  gamma: 'strategy.model.gamma',
  'min-spread-bps': 'strategy.quoting.min-spread-bps',
  model: 'strategy.model.kind',
  'min-interval-ms': 'strategy.throttle.min-interval-ms',
  'entry-us': 'simulator.latency.entry-us',
  'cancel-us': 'simulator.latency.cancel-us',
  'maker-bps': 'simulator.fees.maker-bps',
  'taker-bps': 'simulator.fees.taker-bps',
  queue: 'simulator.queue.model',
};

const SERVICES = ['collector', 'pricing', 'strategy', 'simulator'] as const;

/** Configuration that parses but cannot run (e.g. a traded symbol without a `[symbols.X]` strategy table). */
export class BacktestConfigError extends Error {
  override readonly name = 'BacktestConfigError';
}

export interface BacktestConfig {
  readonly symbols: readonly string[];
  readonly streams: Streams;
  readonly bookLevels: number;
  /** `[book] book-ticker` of the collector: a recorded `@bookTicker` ahead of the book moves stream 10's top. */
  readonly bookTicker: boolean;
  readonly pricing: readonly { symbol: string; config: Partial<PricingConfig> }[];
  readonly strategy: StrategyConfig;
  /**
   * The instruments of the run as full symbols.toml overrides (what the strategy, the simulator and pricing are
   * given): a backtest fetches no exchangeInfo, so each comes from `[overrides.X]` > `--exchange-info` or the
   * recordings' sidecars > `[recorded.X]` (see @mm/collector RecordingInstruments).
   */
  readonly symbolOverrides: SymbolsConfig['overrides'];
  /** Where each symbol's instrument came from, and its values. */
  readonly instruments: ReadonlyMap<string, RecordingInstrument>;
  readonly simulator: SimulatorSettings;
  readonly simulatorConfig: SimulatorConfig;
  /** Heartbeat interval of each service's `[runtime]` section, ns. */
  readonly heartbeatIntervalNs: Readonly<Record<(typeof SERVICES)[number], number>>;
}

export interface BacktestConfigOptions {
  /** Config directory; default `MM_CONFIG_DIR` or `<repo>/config`, like the services. */
  readonly configDir?: string | undefined;
  /** `name → value` overrides (aliases or dotted paths). */
  readonly params?: Readonly<Record<string, string>> | undefined;
  /** Traded symbols; default `symbols.toml`. */
  readonly symbols?: readonly string[] | undefined;
  /** Base environment (default process.env); overrides are layered on it. */
  readonly env?: Env | undefined;
  /** The recordings: their `<recording>.exchangeInfo.json` sidecars give the instruments (after overrides). */
  readonly files?: readonly string[] | undefined;
  /** An exchangeInfo JSON file used instead of the sidecars (`mm backtest --exchange-info`). */
  readonly exchangeInfo?: string | undefined;
}

/** `gamma` → `MM_STRATEGY__MODEL__GAMMA`; throws a RangeError naming the parameter when it is not one. */
export function parameterVariable(name: string): string {
  const path = PARAMETER_ALIASES[name] ?? name;
  const parts = path.split('.');
  if (parts.length < 2 || !(SERVICES as readonly string[]).includes(parts[0]!) || parts.some((p) => !/^[a-z0-9-]+$/.test(p))) {
    throw new RangeError(
      `unknown parameter '${name}': use one of ${Object.keys(PARAMETER_ALIASES).join(', ')} or <service>.<section>.<key> with service in ${SERVICES.join('/')}`,
    );
  }
  return `MM_${parts.map((p) => p.toUpperCase().replace(/-/g, '_')).join('__')}`;
}

const withRuntime = <S extends Shape>(shape: S) => c.object({ ...shape, runtime: runtimeSection, logging: loggingSchema });

export function loadBacktestConfig(options: BacktestConfigOptions = {}): BacktestConfig {
  const env: Record<string, string | undefined> = { ...(options.env ?? process.env) };
  for (const [name, value] of Object.entries(options.params ?? {})) env[parameterVariable(name)] = value;
  const base = { env, ...(options.configDir !== undefined ? { configDir: options.configDir } : {}) };
  const symbolsConfig = loadSymbols(base);
  const symbols = options.symbols ?? symbolsConfig.symbols;
  const collector = loadConfig('collector', withRuntime(collectorSchema), base) as InferShape<typeof collectorSchema> & RuntimePart;
  const pricing = loadConfig('pricing', withRuntime(pricingSchema), base) as InferShape<typeof pricingSchema> & RuntimePart;
  const strategy = loadConfig('strategy', withRuntime(strategySchema), base) as StrategyConfig & RuntimePart;
  const simulator = loadConfig('simulator', withRuntime(simulatorSchema), base) as SimulatorConfig & RuntimePart;
  let simulatorSettings: SimulatorSettings;
  let instruments: Map<string, RecordingInstrument>;
  let symbolOverrides: SymbolsConfig['overrides'];
  try {
    // The services check these at start; a backtest checks them before reading any data.
    instruments = recordingInstruments({
      symbols, overrides: symbolsConfig.overrides, recorded: symbolsConfig.recorded,
      files: (options.files ?? []).map((path) => ({ path, symbol: symbols.find((x) => basename(path).toLowerCase().startsWith(x.toLowerCase())) })),
      exchangeInfoFile: options.exchangeInfo,
    });
    symbolOverrides = asFullOverrides(instruments);
    toStrategySettings(strategy, symbols, 0, symbolOverrides);
    simulatorSettings = toSimulatorSettings(simulator, symbols, symbolOverrides);
  } catch (error) {
    throw new BacktestConfigError(`${options.configDir ?? 'config'}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    symbols,
    streams: loadStreams(base),
    bookLevels: collector.book.levels,
    bookTicker: collector.book.bookTicker,
    pricing: symbols.map((symbol) => ({ symbol, config: toPricingConfig(pricing, symbolOverrides[symbol]?.tickSize) })),
    strategy,
    symbolOverrides,
    instruments,
    simulator: simulatorSettings,
    simulatorConfig: simulator,
    heartbeatIntervalNs: {
      collector: collector.runtime.heartbeatIntervalMs * 1e6,
      pricing: pricing.runtime.heartbeatIntervalMs * 1e6,
      strategy: strategy.runtime.heartbeatIntervalMs * 1e6,
      simulator: simulator.runtime.heartbeatIntervalMs * 1e6,
    },
  };
}

interface RuntimePart {
  readonly runtime: { readonly heartbeatIntervalMs: number };
}

/** Resolved instruments as full `[overrides.X]` tables: every consumer then has its instrument from the start. */
function asFullOverrides(instruments: ReadonlyMap<string, RecordingInstrument>): SymbolsConfig['overrides'] {
  const out: Record<string, SymbolsConfig['overrides'][string]> = {};
  for (const [symbol, { instrument: i }] of instruments) {
    out[symbol] = {
      tickSize: formatFixed8(i.tickSizeE8),
      lotSize: formatFixed8(i.stepSizeE8),
      minQty: formatFixed8(i.minQtyE8),
      minNotional: formatFixed8(i.minNotionalE8),
      // A status this version does not know is never quoted: HALT keeps it so (the merge already warned).
      status: isStatus(i.statusText) ? i.statusText : 'HALT',
    };
  }
  return out;
}

type Status = NonNullable<SymbolsConfig['overrides'][string]['status']>;
const STATUSES: readonly string[] = ['TRADING', 'HALT', 'BREAK', 'PRE_TRADING', 'POST_TRADING', 'END_OF_DAY', 'AUCTION_MATCH'] satisfies readonly Status[];
function isStatus(text: string): text is Status {
  return STATUSES.includes(text);
}
