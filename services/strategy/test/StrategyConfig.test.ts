import { afterEach, describe, expect, it } from 'vitest';
import { Glft, AvellanedaStoikov, AvellanedaStoikovInfinite } from '@mm/models/quoting';
import { StrategyConfigError } from '../src/StrategyConfig.js';
import { BASE_TOML, E8, removeTempDirs, settingsFrom } from './rig.js';

afterEach(() => removeTempDirs());

describe('strategy configuration', () => {
  it('converts decimals exactly and picks the model', () => {
    const s = settingsFrom(BASE_TOML);
    expect(s.venue).toBe('simulator');
    const btc = s.symbols.find((x) => x.symbol === 'BTCUSDT')!;
    expect(btc.engine.builder).toMatchObject({ tickE8: 0.01 * E8, lotE8: 1000, orderQtyE8: 100_000, maxPositionE8: 500_000, targetQtyE8: 0 });
    expect(btc.engine.throttle.priceThresholdE8).toBe(E8);
    expect(btc.model).toBeInstanceOf(Glft);
    expect(settingsFrom(`[model]\nkind = "as"\n${BASE_TOML}`).symbols[0]!.model).toBeInstanceOf(AvellanedaStoikov);
    expect(settingsFrom(`[model]\nkind = "as-infinite"\n${BASE_TOML}`).symbols[0]!.model).toBeInstanceOf(AvellanedaStoikovInfinite);
  });

  it('names a traded symbol without a table, and sizes off the lot grid', () => {
    expect(() => settingsFrom(BASE_TOML, ['BTCUSDT', 'SOLUSDT'])).toThrow(/no \[symbols\.SOLUSDT\] table/);
    // Off the grid: rounded down to the lot size where it is used (as with exchangeInfo live), not refused.
    expect(() => settingsFrom(BASE_TOML.replace('order-size = "0.001"', 'order-size = "0.000015"'))).not.toThrow();
    expect(() => settingsFrom(BASE_TOML.replace('order-size = "0.001"', 'order-size = "0.000005"'))).toThrow(StrategyConfigError);
    expect(() => settingsFrom(BASE_TOML.replace('order-size = "0.001"', 'order-size = "0.000005"'))).toThrow(/BTCUSDT\.order-size 0\.000005 .* at least the lot size 0\.00001/);
    expect(() => settingsFrom(BASE_TOML.replace('max-position = "0.005"', 'max-position = "0.0001"'))).toThrow(/max-position/);
  });

  it('the shipped config/strategy.toml is valid for the shipped symbols', async () => {
    const { readFileSync } = await import('node:fs');
    const { fileURLToPath } = await import('node:url');
    const text = readFileSync(fileURLToPath(new URL('../../../config/strategy.toml', import.meta.url)), 'utf8');
    const s = settingsFrom(text);
    expect(s.venue).toBe('simulator');
    expect(s.symbols.map((x) => x.symbol)).toEqual(['BTCUSDT', 'ETHUSDT']);
  });
});
