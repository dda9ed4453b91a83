import type { ExchangeSymbolInfo } from '@mm/binance';
import { parseDecimalE8 } from '@mm/binance';
import { InstrumentOverride, InstrumentStatus } from '@mm/protocol';
import type { SymbolsConfig } from '@mm/runtime';

/**
 * One symbol's exchange rules as published on stream 20: Binance's exchangeInfo with the `config/symbols.toml`
 * `[overrides.<SYMBOL>]` applied field by field (an override always wins).
 *
 * Rules:
 * - tick and step must be known (> 0) from one source or the other, and the status too (Binance's, or the
 *   override's); otherwise the symbol has no usable instrument and `problems` says why.
 * - min qty and min notional default to 0 (no minimum) when neither source has them.
 * - An override alone makes an instrument when it has tick-size and lot-size (a "full" override): its status is
 *   the override's, else TRADING. Times are 0 then (nothing was fetched).
 * - A status text this schema does not know is UNKNOWN (never quoted) and noted in `problems`.
 */
/** `[overrides.<SYMBOL>]` of config/symbols.toml (what loadSymbols returns, every key optional). */
export interface SymbolOverride {
  readonly tickSize?: string | undefined;
  readonly lotSize?: string | undefined;
  readonly minQty?: string | undefined;
  readonly minNotional?: string | undefined;
  readonly status?: SymbolsConfig['overrides'][string]['status'];
}

export interface Instrument {
  readonly symbol: string;
  readonly tickSizeE8: number;
  readonly stepSizeE8: number;
  readonly minQtyE8: number;
  readonly minNotionalE8: number;
  readonly status: InstrumentStatus;
  /** Binance's text (or the override's), for logs. */
  readonly statusText: string;
  /** Bits of InstrumentOverride. */
  readonly overridden: number;
  /** exchangeInfo serverTime and local receive time, epoch ms; 0 when from overrides only. */
  readonly exchangeTimeMs: number;
  readonly fetchTimeMs: number;
}

export interface MergeResult {
  readonly instrument: Instrument | undefined;
  readonly problems: readonly string[];
}

const STATUS_BY_TEXT: Readonly<Record<string, InstrumentStatus>> = {
  TRADING: InstrumentStatus.TRADING,
  HALT: InstrumentStatus.HALT,
  BREAK: InstrumentStatus.BREAK,
  PRE_TRADING: InstrumentStatus.PRE_TRADING,
  POST_TRADING: InstrumentStatus.POST_TRADING,
  END_OF_DAY: InstrumentStatus.END_OF_DAY,
  AUCTION_MATCH: InstrumentStatus.AUCTION_MATCH,
};

export function statusOf(text: string): InstrumentStatus {
  return STATUS_BY_TEXT[text] ?? InstrumentStatus.UNKNOWN;
}

/** Checked override values in 1e-8 units; throws a RangeError naming the key (a configuration error). */
export function overrideUnits(symbol: string, o: SymbolOverride | undefined): {
  tick?: number; step?: number; minQty?: number; minNotional?: number; status?: string;
} {
  if (o === undefined) return {};
  const units = (key: string, text: string | undefined, positive: boolean): number | undefined => {
    if (text === undefined) return undefined;
    const v = parseDecimalE8(text);
    if (typeof v === 'string') throw new RangeError(`symbols.toml overrides.${symbol}.${key}: ${v}`);
    if (positive && v === 0) throw new RangeError(`symbols.toml overrides.${symbol}.${key} must be > 0`);
    return v;
  };
  const out: { tick?: number; step?: number; minQty?: number; minNotional?: number; status?: string } = {};
  const tick = units('tick-size', o.tickSize, true);
  const step = units('lot-size', o.lotSize, true);
  const minQty = units('min-qty', o.minQty, false);
  const minNotional = units('min-notional', o.minNotional, false);
  if (tick !== undefined) out.tick = tick;
  if (step !== undefined) out.step = step;
  if (minQty !== undefined) out.minQty = minQty;
  if (minNotional !== undefined) out.minNotional = minNotional;
  if (o.status !== undefined) out.status = o.status;
  return out;
}

/** True when the override alone defines an instrument (tick-size and lot-size). */
export function isFullOverride(o: SymbolOverride | undefined): boolean {
  return o?.tickSize !== undefined && o.lotSize !== undefined;
}

/**
 * Merges exchangeInfo (undefined: not fetched, e.g. replay) with the symbol's override. `serverTimeMs` and
 * `fetchTimeMs` describe the exchangeInfo response.
 */
export function mergeInstrument(
  symbol: string, exchange: ExchangeSymbolInfo | undefined, override: SymbolOverride | undefined, serverTimeMs: number, fetchTimeMs: number,
): MergeResult {
  const o = overrideUnits(symbol, override);
  const problems: string[] = [];
  // Only problems of fields the override does not replace matter.
  for (const p of exchange?.problems ?? []) {
    const covered = (/tickSize|PRICE_FILTER/.test(p) && o.tick !== undefined)
      || (/stepSize/.test(p) && o.step !== undefined)
      || (/minQty/.test(p) && o.minQty !== undefined)
      || (/minNotional/.test(p) && o.minNotional !== undefined)
      || (/status/.test(p) && o.status !== undefined)
      || (/not in exchangeInfo|Invalid symbol/.test(p) && isFullOverride(override));
    if (!covered) problems.push(p);
  }
  let overridden = 0;
  const pick = (ov: number | undefined, ex: number | undefined, bit: number): number | undefined => {
    if (ov !== undefined) {
      overridden |= bit;
      return ov;
    }
    return ex;
  };
  const tick = pick(o.tick, exchange?.tickSizeE8, InstrumentOverride.TICK_SIZE);
  const step = pick(o.step, exchange?.stepSizeE8, InstrumentOverride.STEP_SIZE);
  const minQty = pick(o.minQty, exchange?.minQtyE8, InstrumentOverride.MIN_QTY) ?? 0;
  const minNotional = pick(o.minNotional, exchange?.minNotionalE8, InstrumentOverride.MIN_NOTIONAL) ?? 0;
  let statusText = exchange?.status;
  if (o.status !== undefined) {
    statusText = o.status;
    overridden |= InstrumentOverride.STATUS;
  } else if (statusText === undefined && exchange === undefined && isFullOverride(override)) {
    statusText = 'TRADING';
  }
  if (tick === undefined || step === undefined || statusText === undefined) {
    const missing = [tick === undefined ? 'tick size' : '', step === undefined ? 'step size' : '', statusText === undefined ? 'status' : '']
      .filter((x) => x !== '').join(', ');
    if (exchange === undefined) problems.push(`${symbol}: no exchangeInfo and no full override (missing ${missing}): set tick-size and lot-size in [overrides.${symbol}] of config/symbols.toml`);
    else if (problems.length === 0) problems.push(`${symbol}: missing ${missing}`);
    return { instrument: undefined, problems };
  }
  const status = statusOf(statusText);
  if (status === InstrumentStatus.UNKNOWN) problems.push(`${symbol}: status "${statusText}" unknown to this version: not quoted`);
  return {
    instrument: {
      symbol, tickSizeE8: tick, stepSizeE8: step, minQtyE8: minQty, minNotionalE8: minNotional, status, statusText, overridden,
      exchangeTimeMs: exchange !== undefined ? serverTimeMs : 0,
      fetchTimeMs: exchange !== undefined ? fetchTimeMs : 0,
    },
    problems,
  };
}

/** Same exchange rules (times and provenance aside)? */
export function sameRules(a: Instrument, b: Instrument): boolean {
  return a.tickSizeE8 === b.tickSizeE8 && a.stepSizeE8 === b.stepSizeE8 && a.minQtyE8 === b.minQtyE8
    && a.minNotionalE8 === b.minNotionalE8 && a.status === b.status && a.statusText === b.statusText && a.overridden === b.overridden;
}
