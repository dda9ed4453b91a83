import { c, loadConfig, type InferShape, type LoadConfigOptions } from '@mm/config';

/**
 * `config/symbols.toml`: the traded symbols. Tick size, lot size and trading status come from Binance's
 * exchangeInfo (served by the fake too); `[overrides.<SYMBOL>]` sets them explicitly, e.g. for the model market or
 * when exchangeInfo is not reachable.
 */
export const symbolsSchema = c.object({
  symbols: c.array(c.string({ pattern: /^[A-Z0-9]{1,16}$/ }), { default: ['BTCUSDT', 'ETHUSDT'], minLength: 1 }),
  overrides: c.record(
    c.object({
      tickSize: c.optional(c.string({ pattern: /^\d+(\.\d+)?$/, doc: 'decimal, e.g. "0.01"' })),
      lotSize: c.optional(c.string({ pattern: /^\d+(\.\d+)?$/, doc: 'decimal, e.g. "0.00001"' })),
    }),
  ),
});

export type SymbolsConfig = InferShape<(typeof symbolsSchema)['shape']>;

export function loadSymbols(options: LoadConfigOptions = {}): SymbolsConfig {
  return loadConfig('symbols', symbolsSchema, options);
}
