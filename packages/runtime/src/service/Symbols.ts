import { c, loadConfig, type InferShape, type LoadConfigOptions } from '@mm/config';

/**
 * `config/symbols.toml`: the traded symbols. Tick size, lot size and trading status come from Binance's
 * exchangeInfo (served by the fake too); `[overrides.<SYMBOL>]` sets them explicitly, field by field, e.g. for the
 * model market or when exchangeInfo is not reachable. tick-size + lot-size make a full override (min-qty and
 * min-notional default to 0, status to TRADING): a strategy quotes such a symbol without waiting for exchangeInfo.
 *
 * `[recorded.<SYMBOL>]` (same keys, tick-size and lot-size required): the instruments assumed for recordings that
 * carry no exchangeInfo snapshot (no `<recording>.exchangeInfo.json`). Replay and backtest only, never used live;
 * overrides still win over it field by field.
 */
export const symbolsSchema = c.object({
  symbols: c.array(c.string({ pattern: /^[A-Z0-9]{1,16}$/ }), { default: ['BTCUSDT', 'ETHUSDT'], minLength: 1 }),
  overrides: c.record(
    c.object({
      tickSize: c.optional(c.string({ pattern: /^\d+(\.\d+)?$/, doc: 'decimal, e.g. "0.01"' })),
      lotSize: c.optional(c.string({ pattern: /^\d+(\.\d+)?$/, doc: 'decimal, e.g. "0.00001" (Binance LOT_SIZE stepSize)' })),
      minQty: c.optional(c.string({ pattern: /^\d+(\.\d+)?$/, doc: 'decimal, e.g. "0.00001" (LOT_SIZE minQty; 0 = none)' })),
      minNotional: c.optional(c.string({ pattern: /^\d+(\.\d+)?$/, doc: 'decimal quote amount, e.g. "5" (NOTIONAL minNotional; 0 = none)' })),
      status: c.optional(c.enum(['TRADING', 'HALT', 'BREAK', 'PRE_TRADING', 'POST_TRADING', 'END_OF_DAY', 'AUCTION_MATCH'], { doc: 'trading status; only TRADING is quoted' })),
    }),
  ),
  recorded: c.record(
    c.object({
      tickSize: c.string({ pattern: /^\d+(\.\d+)?$/, doc: 'decimal, e.g. "0.01" (PRICE_FILTER tickSize when recorded)' }),
      lotSize: c.string({ pattern: /^\d+(\.\d+)?$/, doc: 'decimal, e.g. "0.00001" (LOT_SIZE stepSize when recorded)' }),
      minQty: c.optional(c.string({ pattern: /^\d+(\.\d+)?$/, doc: 'decimal (LOT_SIZE minQty; default 0 = none)' })),
      minNotional: c.optional(c.string({ pattern: /^\d+(\.\d+)?$/, doc: 'decimal quote amount (NOTIONAL minNotional; default 0 = none)' })),
      status: c.optional(c.enum(['TRADING', 'HALT', 'BREAK', 'PRE_TRADING', 'POST_TRADING', 'END_OF_DAY', 'AUCTION_MATCH'], { doc: 'default TRADING' })),
    }),
  ),
});

export type SymbolsConfig = InferShape<(typeof symbolsSchema)['shape']>;

export function loadSymbols(options: LoadConfigOptions = {}): SymbolsConfig {
  return loadConfig('symbols', symbolsSchema, options);
}
