/**
 * `GET /api/v3/exchangeInfo` → one `ExchangeSymbolInfo` per requested symbol (pure; no I/O).
 *
 * What is read (Binance spot):
 * - `serverTime` (epoch ms) at the top level;
 * - per symbol: `status` (TRADING, HALT, BREAK, ...; kept as text, the caller maps it), and the filters
 *   PRICE_FILTER `tickSize`, LOT_SIZE `stepSize`/`minQty`, NOTIONAL `minNotional` (or the older MIN_NOTIONAL).
 *
 * Invariants and limits:
 * - Decimals go to int64 units of 1e-8 without float arithmetic (`parseDecimalE8`); scientific notation and any
 *   number of trailing zeros are accepted, a value finer than 1e-8 or above 2^53 units is an error.
 * - A top-level problem (not JSON, no `symbols` array) throws `ExchangeInfoError`. A per-symbol problem never
 *   throws: it is a sentence naming the symbol and the field in that symbol's `problems`, and the field is left
 *   undefined, so the caller can fill it from an override and keep the rest.
 * - A tick or step of 0 means Binance disabled that filter: for a market maker that is unusable, so it is reported
 *   like a missing field. A missing NOTIONAL/MIN_NOTIONAL filter means no minimum (0), not a problem.
 */
import { FIXED8_SCALE } from './FixedPoint.js';

export class ExchangeInfoError extends Error {}

export interface ExchangeSymbolInfo {
  readonly symbol: string;
  /** Binance's status text, undefined when missing. */
  readonly status: string | undefined;
  readonly tickSizeE8: number | undefined;
  readonly stepSizeE8: number | undefined;
  readonly minQtyE8: number | undefined;
  readonly minNotionalE8: number | undefined;
  /** One sentence per problem, each naming the symbol and the field. Empty when every field was read. */
  readonly problems: readonly string[];
}

export interface ExchangeInfo {
  /** Binance's `serverTime`, epoch ms; 0 when absent. */
  readonly serverTimeMs: number;
  /** In the order requested; a symbol absent from the response has every field undefined and a problem. */
  readonly symbols: readonly ExchangeSymbolInfo[];
}

const DECIMAL = /^(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d{1,3}))?$/;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Exact decimal text (e.g. "0.01000000", "1e-5", "1.5E+2") → units of 1e-8; a string describing the problem
 * otherwise. Not for the hot path (BigInt).
 */
export function parseDecimalE8(text: string): number | string {
  const m = DECIMAL.exec(text);
  if (m === null) return `"${text}" is not a non-negative decimal`;
  const intDigits = m[1]!;
  const fracDigits = m[2] ?? '';
  const exponent = m[3] !== undefined ? Number(m[3]) : 0;
  // value = digits × 10^(exponent − fraction length); in 1e-8 units the power grows by 8.
  let digits = (intDigits + fracDigits).replace(/^0+(?=\d)/, '');
  let shift = exponent - fracDigits.length + Math.log10(FIXED8_SCALE);
  if (shift < 0) {
    const cut = Math.min(-shift, digits.length);
    const dropped = digits.slice(digits.length - cut);
    if (/[^0]/.test(dropped)) return `"${text}" is finer than 1e-8`;
    digits = digits.slice(0, digits.length - cut) || '0';
    shift = 0;
  }
  if (digits.length + shift > 17) return `"${text}" is too large`;
  const units = BigInt(digits) * 10n ** BigInt(shift);
  if (units > MAX_SAFE) return `"${text}" is too large`;
  return Number(units);
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses the body for `wanted` symbols (case-insensitive); throws ExchangeInfoError when the body is unusable. */
export function parseExchangeInfo(body: string, wanted: readonly string[]): ExchangeInfo {
  let root: unknown;
  try {
    root = JSON.parse(body);
  } catch (e) {
    throw new ExchangeInfoError(`exchangeInfo: body is not JSON (${(e as Error).message}): ${body.slice(0, 120)}`);
  }
  if (!isObject(root)) throw new ExchangeInfoError('exchangeInfo: body is not a JSON object');
  if (!Array.isArray(root.symbols)) throw new ExchangeInfoError('exchangeInfo: no "symbols" array');
  const serverTimeMs = typeof root.serverTime === 'number' && Number.isSafeInteger(root.serverTime) && root.serverTime >= 0 ? root.serverTime : 0;
  const bySymbol = new Map<string, Json>();
  for (const s of root.symbols) if (isObject(s) && typeof s.symbol === 'string') bySymbol.set(s.symbol.toUpperCase(), s);
  return { serverTimeMs, symbols: wanted.map((w) => parseSymbol(w.toUpperCase(), bySymbol.get(w.toUpperCase()))) };
}

function parseSymbol(symbol: string, s: Json | undefined): ExchangeSymbolInfo {
  if (s === undefined) {
    return {
      symbol, status: undefined, tickSizeE8: undefined, stepSizeE8: undefined, minQtyE8: undefined, minNotionalE8: undefined,
      problems: [`${symbol}: not in exchangeInfo (unknown symbol?)`],
    };
  }
  const problems: string[] = [];
  const status = typeof s.status === 'string' && s.status !== '' ? s.status : undefined;
  if (status === undefined) problems.push(`${symbol}: status missing`);
  const filters = new Map<string, Json>();
  if (Array.isArray(s.filters)) {
    for (const f of s.filters) if (isObject(f) && typeof f.filterType === 'string') filters.set(f.filterType, f);
  } else {
    problems.push(`${symbol}: filters missing`);
  }
  const read = (filterType: string, key: string, positive: boolean): number | undefined => {
    const f = filters.get(filterType);
    if (f === undefined) {
      if (Array.isArray(s.filters)) problems.push(`${symbol}: ${filterType} filter missing (${key})`);
      return undefined;
    }
    const text = f[key];
    if (typeof text !== 'string') {
      problems.push(`${symbol}: ${filterType}.${key} missing or not a string`);
      return undefined;
    }
    const v = parseDecimalE8(text);
    if (typeof v === 'string') {
      problems.push(`${symbol}: ${filterType}.${key}: ${v}`);
      return undefined;
    }
    if (positive && v === 0) {
      problems.push(`${symbol}: ${filterType}.${key} is 0 (filter disabled)`);
      return undefined;
    }
    return v;
  };
  const tickSizeE8 = read('PRICE_FILTER', 'tickSize', true);
  const stepSizeE8 = read('LOT_SIZE', 'stepSize', true);
  const minQtyE8 = filters.has('LOT_SIZE') ? read('LOT_SIZE', 'minQty', false) : undefined;
  // NOTIONAL replaced MIN_NOTIONAL on spot; either may be present. Absent: no minimum.
  const notional = filters.has('NOTIONAL') ? 'NOTIONAL' : filters.has('MIN_NOTIONAL') ? 'MIN_NOTIONAL' : undefined;
  const minNotionalE8 = notional !== undefined ? read(notional, 'minNotional', false) : 0;
  return { symbol, status, tickSizeE8, stepSizeE8, minQtyE8, minNotionalE8, problems };
}
