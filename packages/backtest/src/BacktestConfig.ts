import { c, loadConfig, type Env, type InferShape, type Shape } from '@mm/config';
import { collectorSchema } from '@mm/collector';
import { loggingSchema } from '@mm/logging';
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
  readonly pricing: readonly { symbol: string; config: Partial<PricingConfig> }[];
  readonly strategy: StrategyConfig;
  /** symbols.toml `[overrides.<SYMBOL>]`: the strategy's instruments (a backtest fetches no exchangeInfo). */
  readonly symbolOverrides: SymbolsConfig['overrides'];
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
  try {
    // The services check these at start; a backtest checks them before reading any data.
    const noInstrument = symbols.filter((x) => symbolsConfig.overrides[x]?.tickSize === undefined || symbolsConfig.overrides[x]?.lotSize === undefined);
    if (noInstrument.length > 0) throw new Error(`a backtest fetches no exchangeInfo: set tick-size and lot-size in [overrides.<SYMBOL>] of symbols.toml for ${noInstrument.join(', ')}`);
    toStrategySettings(strategy, symbols, 0, symbolsConfig.overrides);
    simulatorSettings = toSimulatorSettings(simulator, symbols, symbolsConfig.overrides);
  } catch (error) {
    throw new BacktestConfigError(`${options.configDir ?? 'config'}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    symbols,
    streams: loadStreams(base),
    bookLevels: collector.book.levels,
    pricing: symbols.map((symbol) => ({ symbol, config: toPricingConfig(pricing, symbolsConfig.overrides[symbol]?.tickSize) })),
    strategy,
    symbolOverrides: symbolsConfig.overrides,
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
