import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { c, loadConfig } from '@mm/config';
import { simulatorSchema, toSimulatorSettings } from '../src/SimulatorConfig.js';

const schema = c.object(simulatorSchema);
const shipped = join(dirname(fileURLToPath(import.meta.url)), '../../../config/simulator.toml');
const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
function configDir(text: string): string {
  const d = mkdtempSync(join(tmpdir(), 'mm-simcfg-'));
  dirs.push(d);
  writeFileSync(join(d, 'simulator.toml'), text);
  return d;
}

describe('SimulatorConfig', () => {
  it('the shipped config/simulator.toml shows exactly the built-in defaults', () => {
    const defaults = loadConfig('simulator', schema, { configDir: configDir(''), env: {} });
    expect(loadConfig('simulator', schema, { file: shipped, env: {} })).toEqual(defaults);
    expect(defaults.journal.dir).toBe('data/simulator');
    expect(defaults.positions.publishIntervalMs).toBe(1000);
  });

  it('converts to engine units: µs → ns, lot sizes from symbols.toml overrides or the default, queue model parameters', () => {
    const cfg = loadConfig('simulator', schema, {
      configDir: configDir('[latency]\nentry-us = 250.5\ncancel-us = 1000\n[queue]\nmodel = "log"\nlog-variant = 2\nlog-unit = "0.5"\n'),
      env: {},
    });
    const s = toSimulatorSettings(cfg, ['BTCUSDT', 'ETHUSDT'], { ETHUSDT: { lotSize: '0.0001' } });
    expect(s).toMatchObject({
      entryLatencyNs: 250_500, cancelLatencyNs: 1_000_000, queue: { kind: 'log', variant: 2, unitE8: 50_000_000 },
      positionIntervalNs: 1e9, symbols: [{ symbol: 'BTCUSDT', lotE8: 1000 }, { symbol: 'ETHUSDT', lotE8: 10_000 }],
    });
    const power = toSimulatorSettings(loadConfig('simulator', schema, { configDir: configDir('[queue]\npower-n = 3\npower-variant = 2\n'), env: {} }), ['BTCUSDT'], {});
    expect(power.queue).toEqual({ kind: 'power', n: 3, variant: 2 });
  });

  it('rejects bad values with the key named', () => {
    expect(() => loadConfig('simulator', schema, { configDir: configDir('[queue]\nmodel = "fifo"\n'), env: {} })).toThrow(/queue\.model/);
    expect(() => loadConfig('simulator', schema, { configDir: configDir('[latency]\nentry-us = -1\n'), env: {} })).toThrow(/latency\.entry-us/);
    expect(() => loadConfig('simulator', schema, { configDir: configDir('[fees]\nmaker-bsp = 1\n'), env: {} })).toThrow(/maker-bps/);
    const cfg = loadConfig('simulator', schema, { configDir: configDir('[orders]\ndefault-lot-size = "0.000000001"\n'), env: {} });
    expect(() => toSimulatorSettings(cfg, ['BTCUSDT'], {})).toThrow(/orders\.default-lot-size/);
    const ok = loadConfig('simulator', schema, { configDir: configDir(''), env: {} });
    expect(() => toSimulatorSettings(ok, ['BTCUSDT'], { BTCUSDT: { lotSize: '0' } })).toThrow(/overrides\.BTCUSDT\.lot-size/);
  });
});
