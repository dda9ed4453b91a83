import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManualClock } from '@mm/runtime';
import { ExchangeInfoError } from '../src/ExchangeInfo.js';
import { exchangeInfoSidecarPath, readExchangeInfoFile, writeExchangeInfoSidecar } from '../src/ExchangeInfoSidecar.js';
import { Recorder } from '../src/Recorder.js';

const here = dirname(fileURLToPath(import.meta.url));
const BODY = readFileSync(join(here, 'fixtures/exchangeInfo-btcusdt-ethusdt.json'), 'utf8');
const depth = (sym: string, U: number): string =>
  `{"stream":"${sym}@depth@100ms","data":{"e":"depthUpdate","E":1,"s":"${sym.toUpperCase()}","U":${U},"u":${U},"b":[],"a":[]}}`;

describe('exchangeInfo sidecars', () => {
  let dir = '';
  afterEach(() => { if (dir !== '') rmSync(dir, { recursive: true, force: true }); });

  it('should be written by the recorder next to each symbol file, raw, once, and read back by the same parser', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sidecar-'));
    // 23:59:59.900 UTC: the third line falls into the next hour's file.
    const clock = new ManualClock(5e9, 1723161599900 - 5000);
    const rec = new Recorder(dir, clock, ['BTCUSDT', 'ETHUSDT']);
    rec.write(depth('btcusdt', 1), 5e9 + 1);
    // Not yet known: the open file gets it when it arrives.
    const halted = BODY.replace('"symbol":"BTCUSDT","status":"TRADING"', '"symbol":"BTCUSDT","status":"HALT"');
    expect(halted).not.toBe(BODY);
    rec.setExchangeInfo(BODY);
    rec.write(depth('ethusdt', 2), 5e9 + 2);
    // A later fetch never replaces a written sidecar; it is the next file's.
    rec.setExchangeInfo(halted);
    rec.write(depth('btcusdt', 3), 5e9 + 150_000_000);
    rec.write('{"stream":"!serverShutdown","data":{"e":"serverShutdown","E":1}}', 5e9 + 160_000_000);
    await rec.close();
    expect(readdirSync(dir).sort()).toEqual([
      'btcusdt_20240808_23.gz', 'btcusdt_20240808_23.gz.exchangeInfo.json',
      'btcusdt_20240809_00.gz', 'btcusdt_20240809_00.gz.exchangeInfo.json',
      'ethusdt_20240808_23.gz', 'ethusdt_20240808_23.gz.exchangeInfo.json',
      'misc_20240809_00.gz',
    ]);
    expect(rec.sidecarFailures).toBe(0);
    expect(readFileSync(exchangeInfoSidecarPath(join(dir, 'btcusdt_20240808_23.gz')), 'utf8')).toBe(BODY);
    expect(readFileSync(exchangeInfoSidecarPath(join(dir, 'ethusdt_20240808_23.gz')), 'utf8')).toBe(BODY);
    expect(readFileSync(exchangeInfoSidecarPath(join(dir, 'btcusdt_20240809_00.gz')), 'utf8')).toBe(halted);

    const info = readExchangeInfoFile(exchangeInfoSidecarPath(join(dir, 'btcusdt_20240808_23.gz')), ['BTCUSDT', 'ETHUSDT'])!;
    expect(info.serverTimeMs).toBe(1723161600123);
    expect(info.symbols.map((s) => [s.symbol, s.status, s.tickSizeE8, s.stepSizeE8, s.minQtyE8, s.minNotionalE8])).toEqual([
      ['BTCUSDT', 'TRADING', 1_000_000, 1000, 1000, 500_000_000],
      ['ETHUSDT', 'TRADING', 1_000_000, 10_000, 10_000, 500_000_000],
    ]);
    expect(readExchangeInfoFile(exchangeInfoSidecarPath(join(dir, 'btcusdt_20240809_00.gz')), ['BTCUSDT'])!.symbols[0]!.status).toBe('HALT');
  });

  it('should keep an existing sidecar, report a missing one as undefined and a bad one naming the file', () => {
    dir = mkdtempSync(join(tmpdir(), 'sidecar-'));
    const rec = join(dir, 'btcusdt_20240808_23.gz');
    expect(readExchangeInfoFile(exchangeInfoSidecarPath(rec), ['BTCUSDT'])).toBeUndefined();
    expect(writeExchangeInfoSidecar(rec, BODY)).toBe(true);
    expect(writeExchangeInfoSidecar(rec, '{}')).toBe(false);
    expect(readFileSync(exchangeInfoSidecarPath(rec), 'utf8')).toBe(BODY);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"symbols": 3}');
    expect(() => readExchangeInfoFile(bad, ['BTCUSDT'])).toThrow(ExchangeInfoError);
    expect(() => readExchangeInfoFile(bad, ['BTCUSDT'])).toThrow(`${bad}: exchangeInfo: no "symbols" array`);
  });

  it('should report a sidecar it cannot write and go on recording', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sidecar-'));
    const errors: string[] = [];
    const clock = new ManualClock(5e9, 1723161599900 - 5000);
    const rec = new Recorder(dir, clock, ['BTCUSDT'], (m) => errors.push(m));
    // A directory where the sidecar's temp file would go: the write fails.
    const path = join(dir, 'btcusdt_20240808_23.gz.exchangeInfo.json');
    mkdirSync(`${path}.${process.pid}.tmp`);
    rec.setExchangeInfo(BODY);
    rec.write(depth('btcusdt', 1), 5e9 + 1);
    rec.write(depth('btcusdt', 2), 5e9 + 2);
    await rec.close();
    expect(rec.sidecarFailures).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/exchangeInfo sidecar of .*btcusdt_20240808_23\.gz not written/);
    expect(rec.linesWritten).toBe(2);
  });
});
