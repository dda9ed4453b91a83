import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ExchangeInfoError, parseDecimalE8, parseExchangeInfo } from '../src/ExchangeInfo.js';

const FIXTURE = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'fixtures/exchangeInfo-btcusdt-ethusdt.json'), 'utf8');

/** A payload with one symbol whose filters are given (the rest of Binance's shape kept minimal). */
function payload(symbol: Record<string, unknown>): string {
  return JSON.stringify({ timezone: 'UTC', serverTime: 1_700_000_000_000, rateLimits: [], symbols: [symbol] });
}

describe('parseDecimalE8', () => {
  it.each([
    ['0.01000000', 1_000_000], ['0.00001000', 1_000], ['5.00000000', 500_000_000], ['1', 100_000_000],
    ['0.01', 1_000_000], ['0.010000000000', 1_000_000], ['1e-8', 1], ['1E-5', 1_000], ['1.5e2', 15_000_000_000],
    ['2.50E+1', 2_500_000_000], ['0', 0], ['0.00000000', 0], ['000.1', 10_000_000], ['90071992.54740991', 9_007_199_254_740_991],
    ['100e-10', 1],
  ])('%s → %d units of 1e-8', (text, units) => {
    expect(parseDecimalE8(text)).toBe(units);
  });

  it.each([
    ['0.000000001', /finer than 1e-8/], ['1e-9', /finer than 1e-8/], ['-1', /not a non-negative decimal/],
    ['', /not a non-negative decimal/], ['0x10', /not a non-negative decimal/], ['1.2.3', /not a non-negative decimal/],
    [' 1', /not a non-negative decimal/], ['.5', /not a non-negative decimal/], ['90071992.54740992', /too large/],
    ['1e300', /too large/],
  ])('%s is refused (%s)', (text, why) => {
    const r = parseDecimalE8(text);
    expect(typeof r).toBe('string');
    expect(r as string).toMatch(why);
  });
});

describe('parseExchangeInfo', () => {
  it('reads a real-shaped Binance payload (every filter type present, symbols in another order)', () => {
    const info = parseExchangeInfo(FIXTURE, ['BTCUSDT', 'ethusdt']);
    expect(info.serverTimeMs).toBe(1_723_161_600_123);
    expect(info.symbols).toEqual([
      { symbol: 'BTCUSDT', status: 'TRADING', tickSizeE8: 1_000_000, stepSizeE8: 1_000, minQtyE8: 1_000, minNotionalE8: 500_000_000, problems: [] },
      { symbol: 'ETHUSDT', status: 'TRADING', tickSizeE8: 1_000_000, stepSizeE8: 10_000, minQtyE8: 10_000, minNotionalE8: 500_000_000, problems: [] },
    ]);
  });

  it('accepts scientific notation and trailing zeros, and the older MIN_NOTIONAL filter', () => {
    const info = parseExchangeInfo(payload({
      symbol: 'XYZUSDT', status: 'HALT', filters: [
        { filterType: 'PRICE_FILTER', minPrice: '1e-4', maxPrice: '1000', tickSize: '1e-4' },
        { filterType: 'LOT_SIZE', minQty: '1.00000000000', maxQty: '1e6', stepSize: '0.10' },
        { filterType: 'MIN_NOTIONAL', minNotional: '10.0', applyToMarket: true, avgPriceMins: 5 },
      ],
    }), ['XYZUSDT']);
    expect(info.symbols[0]).toEqual({ symbol: 'XYZUSDT', status: 'HALT', tickSizeE8: 10_000, stepSizeE8: 10_000_000, minQtyE8: 100_000_000, minNotionalE8: 1_000_000_000, problems: [] });
  });

  it('names the symbol and field of every problem and keeps the fields that were readable', () => {
    const info = parseExchangeInfo(payload({
      symbol: 'BTCUSDT', status: 'TRADING', filters: [
        { filterType: 'LOT_SIZE', minQty: '0.00001', maxQty: '9000', stepSize: '0.000000001' },
        { filterType: 'NOTIONAL', minNotional: 5 },
      ],
    }), ['BTCUSDT']);
    const s = info.symbols[0]!;
    expect(s.tickSizeE8).toBeUndefined();
    expect(s.stepSizeE8).toBeUndefined();
    expect(s.minQtyE8).toBe(1_000);
    expect(s.minNotionalE8).toBeUndefined();
    expect(s.problems).toEqual([
      'BTCUSDT: PRICE_FILTER filter missing (tickSize)',
      'BTCUSDT: LOT_SIZE.stepSize: "0.000000001" is finer than 1e-8',
      'BTCUSDT: NOTIONAL.minNotional missing or not a string',
    ]);
  });

  it('reports a disabled filter (tick 0), a missing status and missing filters', () => {
    const a = parseExchangeInfo(payload({
      symbol: 'AAAUSDT', status: 'TRADING', filters: [
        { filterType: 'PRICE_FILTER', minPrice: '0', maxPrice: '0', tickSize: '0.00000000' },
        { filterType: 'LOT_SIZE', minQty: '1', maxQty: '10', stepSize: '1' },
      ],
    }), ['AAAUSDT']).symbols[0]!;
    expect(a.problems).toEqual(['AAAUSDT: PRICE_FILTER.tickSize is 0 (filter disabled)']);
    expect(a.minNotionalE8).toBe(0);
    const b = parseExchangeInfo(payload({ symbol: 'BBBUSDT' }), ['BBBUSDT']).symbols[0]!;
    expect(b.problems).toEqual(['BBBUSDT: status missing', 'BBBUSDT: filters missing']);
  });

  it('reports a requested symbol the payload does not have', () => {
    const info = parseExchangeInfo(FIXTURE, ['BTCUSDT', 'NOPEUSDT']);
    expect(info.symbols[0]!.problems).toEqual([]);
    expect(info.symbols[1]).toMatchObject({ symbol: 'NOPEUSDT', tickSizeE8: undefined, problems: ['NOPEUSDT: not in exchangeInfo (unknown symbol?)'] });
  });

  it('throws ExchangeInfoError for a body it cannot use at all', () => {
    expect(() => parseExchangeInfo('<html>502</html>', ['BTCUSDT'])).toThrow(ExchangeInfoError);
    expect(() => parseExchangeInfo('[]', ['BTCUSDT'])).toThrow(/not a JSON object/);
    expect(() => parseExchangeInfo('{"code":-1121,"msg":"Invalid symbol."}', ['BTCUSDT'])).toThrow(/no "symbols" array/);
  });
});
