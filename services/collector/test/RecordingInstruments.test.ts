import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExchangeInfoError, exchangeInfoSidecarPath } from '@mm/binance';
import { InstrumentOverride, InstrumentStatus } from '@mm/protocol';
import { loadSymbols } from '@mm/runtime';
import { recordingInstruments, RecordingInstrumentError, resolveRecordingInstruments } from '../src/RecordingInstruments.js';

const here = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(here, '../../..');
const BODY = readFileSync(join(REPO, 'packages/binance/test/fixtures/exchangeInfo-btcusdt-ethusdt.json'), 'utf8');
/** The fixture with BTCUSDT's tick and step changed, so each source is told apart by its values. */
const COARSE = BODY.replace('"tickSize":"0.01000000"},{"filterType":"LOT_SIZE","minQty":"0.00001000","maxQty":"9000.00000000","stepSize":"0.00001000"',
  '"tickSize":"0.10000000"},{"filterType":"LOT_SIZE","minQty":"0.00001000","maxQty":"9000.00000000","stepSize":"0.00100000"');
const RECORDED = { BTCUSDT: { tickSize: '1', lotSize: '0.01', minNotional: '7' } };

describe('instruments of a replay or backtest', () => {
  let dir = '';
  afterEach(() => { if (dir !== '') rmSync(dir, { recursive: true, force: true }); });
  const tmp = (): string => (dir = mkdtempSync(join(tmpdir(), 'rec-inst-')));

  it('should take overrides field by field over the sidecar, and the sidecar over [recorded]', () => {
    const d = tmp();
    expect(COARSE).not.toBe(BODY);
    const btc = join(d, 'btcusdt_20240808.gz');
    writeFileSync(exchangeInfoSidecarPath(btc), COARSE);
    const r = recordingInstruments({
      symbols: ['BTCUSDT'], overrides: { BTCUSDT: { minNotional: '10' } }, recorded: RECORDED, files: [{ path: btc, symbol: 'BTCUSDT' }],
    }).get('BTCUSDT')!;
    expect(r.instrument).toMatchObject({
      tickSizeE8: 10_000_000, stepSizeE8: 100_000, minQtyE8: 1000, minNotionalE8: 1_000_000_000, status: InstrumentStatus.TRADING,
      overridden: InstrumentOverride.MIN_NOTIONAL, exchangeTimeMs: 1723161600123,
    });
    expect(r.source).toBe(`${exchangeInfoSidecarPath(btc)} with overrides`);
  });

  it('should fall back to [recorded] without a sidecar, and let a full override stand alone', () => {
    const d = tmp();
    const files = [{ path: join(d, 'btcusdt_20240808.gz'), symbol: 'BTCUSDT' }];
    const recorded = recordingInstruments({ symbols: ['BTCUSDT'], overrides: {}, recorded: RECORDED, files }).get('BTCUSDT')!;
    expect(recorded.instrument).toMatchObject({ tickSizeE8: 1e8, stepSizeE8: 1e6, minQtyE8: 0, minNotionalE8: 7e8, status: InstrumentStatus.TRADING, overridden: 0 });
    expect(recorded.source).toBe('[recorded.BTCUSDT]');
    const halted = recordingInstruments({
      symbols: ['BTCUSDT'], overrides: { BTCUSDT: { status: 'HALT' } }, recorded: RECORDED, files,
    }).get('BTCUSDT')!;
    expect(halted.instrument).toMatchObject({ tickSizeE8: 1e8, status: InstrumentStatus.HALT, overridden: InstrumentOverride.STATUS });
    const full = recordingInstruments({
      symbols: ['BTCUSDT'], overrides: { BTCUSDT: { tickSize: '0.5', lotSize: '0.1' } }, recorded: {}, files,
    }).get('BTCUSDT')!;
    expect(full.instrument).toMatchObject({ tickSizeE8: 5e7, stepSizeE8: 1e7, status: InstrumentStatus.TRADING });
    expect(full.source).toBe('overrides');
  });

  it('should read a symbol from its own recording\'s sidecar first, then any other', () => {
    const d = tmp();
    const btc = join(d, 'btcusdt_20240808.gz');
    const eth = join(d, 'ethusdt_20240808.gz');
    writeFileSync(exchangeInfoSidecarPath(eth), BODY);
    writeFileSync(exchangeInfoSidecarPath(btc), COARSE);
    const files = [{ path: eth, symbol: 'ETHUSDT' }, { path: btc, symbol: 'BTCUSDT' }];
    const both = recordingInstruments({ symbols: ['BTCUSDT', 'ETHUSDT'], overrides: {}, recorded: {}, files });
    expect(both.get('BTCUSDT')!.instrument.tickSizeE8).toBe(10_000_000);
    expect(both.get('ETHUSDT')!.instrument).toMatchObject({ tickSizeE8: 1_000_000, stepSizeE8: 10_000 });
    // ETHUSDT's recording has no sidecar: BTCUSDT's (one fetch for both symbols) describes it too.
    rmSync(exchangeInfoSidecarPath(eth));
    const other = recordingInstruments({ symbols: ['ETHUSDT'], overrides: {}, recorded: {}, files }).get('ETHUSDT')!;
    expect(other.instrument.stepSizeE8).toBe(10_000);
    expect(other.source).toBe(exchangeInfoSidecarPath(btc));
  });

  it('should let an explicit exchangeInfo file replace the sidecars', () => {
    const d = tmp();
    const btc = join(d, 'btcusdt_20240808.gz');
    writeFileSync(exchangeInfoSidecarPath(btc), COARSE);
    const explicit = join(d, 'info.json');
    writeFileSync(explicit, BODY);
    const r = recordingInstruments({
      symbols: ['BTCUSDT'], overrides: {}, recorded: RECORDED, files: [{ path: btc, symbol: 'BTCUSDT' }], exchangeInfoFile: explicit,
    }).get('BTCUSDT')!;
    expect(r.instrument.tickSizeE8).toBe(1_000_000);
    expect(r.source).toBe(explicit);
    expect(() => recordingInstruments({ symbols: ['BTCUSDT'], overrides: {}, recorded: {}, files: [], exchangeInfoFile: join(d, 'nope.json') }))
      .toThrow(/exchangeInfo file .*nope\.json does not exist/);
  });

  it('should name each symbol without an instrument and the three ways to give it one', () => {
    const d = tmp();
    const btc = join(d, 'btcusdt_20240808.gz');
    const o = { symbols: ['BTCUSDT', 'ETHUSDT'], overrides: {}, recorded: { ETHUSDT: { tickSize: '0.01', lotSize: '0.0001' } }, files: [{ path: btc, symbol: 'BTCUSDT' }] };
    const partial = resolveRecordingInstruments(o);
    expect([...partial.resolved.keys()]).toEqual(['ETHUSDT']);
    expect(partial.missing).toHaveLength(1);
    let error: unknown;
    try {
      recordingInstruments(o);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RecordingInstrumentError);
    const text = (error as Error).message;
    expect(text).toMatch(/^BTCUSDT: no instrument for a replay or backtest/);
    expect(text).toContain(`looked for ${exchangeInfoSidecarPath(btc)}`);
    expect(text).toContain('[overrides.BTCUSDT]');
    expect(text).toContain('--exchange-info <file>');
    expect(text).toContain('[recorded.BTCUSDT]');
    expect(text).not.toContain('ETHUSDT');
  });

  it('should name an unusable sidecar or [recorded] value rather than skip it', () => {
    const d = tmp();
    const btc = join(d, 'btcusdt_20240808.gz');
    writeFileSync(exchangeInfoSidecarPath(btc), 'not json');
    expect(() => recordingInstruments({ symbols: ['BTCUSDT'], overrides: {}, recorded: RECORDED, files: [{ path: btc, symbol: 'BTCUSDT' }] }))
      .toThrow(ExchangeInfoError);
    expect(() => recordingInstruments({ symbols: ['BTCUSDT'], overrides: {}, recorded: RECORDED, files: [{ path: btc, symbol: 'BTCUSDT' }] }))
      .toThrow(exchangeInfoSidecarPath(btc));
    expect(() => recordingInstruments({ symbols: ['BTCUSDT'], overrides: {}, recorded: { BTCUSDT: { tickSize: '0', lotSize: '0.000000001' } }, files: [] }))
      .toThrow(/recorded\.BTCUSDT\.tick-size must be > 0; symbols\.toml recorded\.BTCUSDT\.lot-size: "0\.000000001" is finer than 1e-8/);
  });

  it('should find Binance\'s rules for the shipped recordings in the shipped config/symbols.toml', () => {
    const shipped = loadSymbols({ configDir: join(REPO, 'config'), env: {} });
    const r = recordingInstruments({ symbols: ['BTCUSDT', 'ETHUSDT'], overrides: shipped.overrides, recorded: shipped.recorded, files: [] });
    // Binance spot (the binance fixture, a real exchangeInfo response): BTCUSDT 0.01 / 0.00001, ETHUSDT 0.01 / 0.0001, 5 USDT.
    expect(r.get('BTCUSDT')!.instrument).toMatchObject({ tickSizeE8: 1_000_000, stepSizeE8: 1000, minQtyE8: 1000, minNotionalE8: 5e8, status: InstrumentStatus.TRADING });
    expect(r.get('ETHUSDT')!.instrument).toMatchObject({ tickSizeE8: 1_000_000, stepSizeE8: 10_000, minQtyE8: 10_000, minNotionalE8: 5e8, status: InstrumentStatus.TRADING });
  });
});
