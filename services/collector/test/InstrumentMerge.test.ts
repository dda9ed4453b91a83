import { describe, expect, it } from 'vitest';
import type { ExchangeSymbolInfo } from '@mm/binance';
import { InstrumentOverride, InstrumentStatus } from '@mm/protocol';
import { isFullOverride, mergeInstrument, sameRules } from '../src/InstrumentMerge.js';

const BTC: ExchangeSymbolInfo = {
  symbol: 'BTCUSDT', status: 'TRADING', tickSizeE8: 1_000_000, stepSizeE8: 1_000, minQtyE8: 1_000, minNotionalE8: 500_000_000, problems: [],
};

describe('mergeInstrument', () => {
  it('takes exchangeInfo as is without overrides', () => {
    const r = mergeInstrument('BTCUSDT', BTC, undefined, 1_700_000_000_000, 1_700_000_000_050);
    expect(r.problems).toEqual([]);
    expect(r.instrument).toEqual({
      symbol: 'BTCUSDT', tickSizeE8: 1_000_000, stepSizeE8: 1_000, minQtyE8: 1_000, minNotionalE8: 500_000_000,
      status: InstrumentStatus.TRADING, statusText: 'TRADING', overridden: 0, exchangeTimeMs: 1_700_000_000_000, fetchTimeMs: 1_700_000_000_050,
    });
  });

  it('lets each override field win and flags it', () => {
    const r = mergeInstrument('BTCUSDT', BTC, { tickSize: '0.1', minNotional: '0', status: 'BREAK' }, 1, 2);
    expect(r.instrument).toMatchObject({
      tickSizeE8: 10_000_000, stepSizeE8: 1_000, minQtyE8: 1_000, minNotionalE8: 0, status: InstrumentStatus.BREAK,
      overridden: InstrumentOverride.TICK_SIZE | InstrumentOverride.MIN_NOTIONAL | InstrumentOverride.STATUS,
    });
  });

  it('fills a field Binance could not give from the override, and reports the ones it cannot fill', () => {
    const broken: ExchangeSymbolInfo = { ...BTC, tickSizeE8: undefined, problems: ['BTCUSDT: PRICE_FILTER filter missing (tickSize)'] };
    expect(mergeInstrument('BTCUSDT', broken, { tickSize: '0.01' }, 1, 2)).toMatchObject({ problems: [], instrument: { tickSizeE8: 1_000_000 } });
    const r = mergeInstrument('BTCUSDT', broken, undefined, 1, 2);
    expect(r.instrument).toBeUndefined();
    expect(r.problems).toEqual(['BTCUSDT: PRICE_FILTER filter missing (tickSize)']);
  });

  it('makes an instrument from a full override alone (TRADING unless it says otherwise), not from a partial one', () => {
    expect(isFullOverride({ tickSize: '0.01', lotSize: '0.001' })).toBe(true);
    expect(isFullOverride({ tickSize: '0.01' })).toBe(false);
    expect(mergeInstrument('X', undefined, { tickSize: '0.01', lotSize: '0.001' }, 0, 0).instrument).toMatchObject({
      tickSizeE8: 1_000_000, stepSizeE8: 100_000, minQtyE8: 0, minNotionalE8: 0, status: InstrumentStatus.TRADING, exchangeTimeMs: 0, fetchTimeMs: 0,
    });
    const partial = mergeInstrument('X', undefined, { tickSize: '0.01' }, 0, 0);
    expect(partial.instrument).toBeUndefined();
    expect(partial.problems[0]).toMatch(/X: no exchangeInfo and no full override \(missing step size, status\)/);
  });

  it('treats an unknown status as not tradable and says so', () => {
    const r = mergeInstrument('BTCUSDT', { ...BTC, status: 'SOMETHING_NEW' }, undefined, 1, 2);
    expect(r.instrument!.status).toBe(InstrumentStatus.UNKNOWN);
    expect(r.problems).toEqual(['BTCUSDT: status "SOMETHING_NEW" unknown to this version: not quoted']);
  });

  it('refuses an override finer than 1e-8 or a zero tick with the key named', () => {
    expect(() => mergeInstrument('BTCUSDT', BTC, { tickSize: '0.000000001' }, 1, 2)).toThrow(/overrides\.BTCUSDT\.tick-size.*finer than 1e-8/);
    expect(() => mergeInstrument('BTCUSDT', BTC, { lotSize: '0' }, 1, 2)).toThrow(/overrides\.BTCUSDT\.lot-size must be > 0/);
  });

  it('sameRules ignores times but not rules', () => {
    const a = mergeInstrument('BTCUSDT', BTC, undefined, 1, 2).instrument!;
    expect(sameRules(a, mergeInstrument('BTCUSDT', BTC, undefined, 5, 6).instrument!)).toBe(true);
    expect(sameRules(a, mergeInstrument('BTCUSDT', { ...BTC, status: 'HALT' }, undefined, 1, 2).instrument!)).toBe(false);
  });
});
