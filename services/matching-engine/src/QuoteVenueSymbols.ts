/**
 * Per-symbol scaling between the market maker's 1e-8 prices and quantities (streams 15/16/17) and the engine's
 * integer ticks and lots, plus the rounding rule for quotes that are not on the grid: toward passivity (bid price
 * down, ask price up, quantity down), so a rounded quote never crosses further or risks more than asked.
 */
import { toFixed8 } from '@mm/protocol';

export interface VenueSymbol {
  readonly symbol: string;
  /** One engine tick, 1e-8 quote units (integer ≥ 1). */
  readonly tickE8: number;
  /** One engine lot, 1e-8 base units (integer ≥ 1). */
  readonly lotE8: number;
}

/** Built-in scaling (Binance spot's tick and lot sizes); `[venue.symbols.<S>]` entries replace or add to these. */
export const DEFAULT_VENUE_SYMBOLS: Readonly<Record<string, { readonly tickSize: string; readonly lotSize: string }>> = {
  BTCUSDT: { tickSize: '0.01', lotSize: '0.00001' },
  ETHUSDT: { tickSize: '0.01', lotSize: '0.0001' },
};

/** Largest engine price or quantity (u32 on the engine's wire). */
export const MAX_ENGINE_U32 = 0xffffffff;

/** The configured symbols over the defaults; throws a RangeError naming the key for a size that is not > 0 at 1e-8. */
export function venueSymbolsOf(configured: Readonly<Record<string, { readonly tickSize: string; readonly lotSize: string }>>): VenueSymbol[] {
  const all = { ...DEFAULT_VENUE_SYMBOLS, ...configured };
  return Object.entries(all).map(([symbol, s]) => {
    if (symbol.length === 0 || symbol.length > 8) throw new RangeError(`venue.symbols.${symbol}: engine symbols are 1-8 characters`);
    return { symbol, tickE8: positiveE8(s.tickSize, `venue.symbols.${symbol}.tick-size`), lotE8: positiveE8(s.lotSize, `venue.symbols.${symbol}.lot-size`) };
  });
}

function positiveE8(text: string, key: string): number {
  let v: number;
  try {
    v = toFixed8(text);
  } catch (error) {
    throw new RangeError(`${key}: ${(error as Error).message}`);
  }
  if (!(v >= 1)) throw new RangeError(`${key} must be > 0 at 1e-8 precision, got ${JSON.stringify(text)}`);
  return v;
}

/** Bid price in ticks, rounded down (0 = below one tick: no bid). */
export function bidTicks(priceE8: number, tickE8: number): number {
  return Math.floor(priceE8 / tickE8);
}

/** Ask price in ticks, rounded up. */
export function askTicks(priceE8: number, tickE8: number): number {
  return Math.ceil(priceE8 / tickE8);
}

/** Quantity in lots, rounded down (0 = less than one lot: that side is cancelled). */
export function lots(qtyE8: number, lotE8: number): number {
  return Math.floor(qtyE8 / lotE8);
}
