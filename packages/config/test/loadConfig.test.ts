import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { c } from '../src/c.js';
import { ConfigError } from '../src/ConfigError.js';
import { loadConfig, loadConfigFile } from '../src/loadConfig.js';
import { configDir } from './helpers.js';

const schema = c.object({
  binance: c.object({
    wsUrl: c.string({ default: 'wss://stream.binance.com:9443', pattern: /^wss?:\/\//, patternText: 'a ws:// or wss:// URL' }),
    depthSpeedMs: c.int({ min: 100, max: 1000, default: 100 }),
  }),
  tcpPort: c.port({ default: 1234, env: 'ENGINE_TCP_PORT' }),
  mode: c.enum(['live', 'replay'], { default: 'live' }),
  enabled: c.bool({ default: true }),
  symbols: c.array(c.string(), { default: ['BTCUSDT'], minLength: 1 }),
  overrides: c.record(c.object({ spreadBps: c.number({ min: 0, default: 2 }) })),
  note: c.optional(c.string()),
});

function issuesOf(fn: () => unknown): ConfigError['issues'] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.issues;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig: file and defaults', () => {
  it('uses the built-in defaults when the file is missing', () => {
    const cfg = loadConfig('collector', schema, { configDir: configDir(), env: {} });
    expect(cfg).toEqual({
      binance: { wsUrl: 'wss://stream.binance.com:9443', depthSpeedMs: 100 },
      tcpPort: 1234,
      mode: 'live',
      enabled: true,
      symbols: ['BTCUSDT'],
      overrides: {},
      note: undefined,
    });
  });

  it('maps kebab-case TOML keys to camelCase properties and keeps record keys verbatim', () => {
    const dir = configDir({
      'collector.toml': `tcp-port = 4000\nsymbols = ["ETHUSDT", "BTCUSDT"]\n[binance]\ndepth-speed-ms = 250\n[overrides.BTCUSDT]\nspread-bps = 1.5\n[overrides.ETHUSDT]\n`,
    });
    const cfg = loadConfig('collector', schema, { configDir: dir, env: {} });
    expect(cfg.binance.depthSpeedMs).toBe(250);
    expect(cfg.tcpPort).toBe(4000);
    expect(cfg.symbols).toEqual(['ETHUSDT', 'BTCUSDT']);
    expect(cfg.overrides).toEqual({ BTCUSDT: { spreadBps: 1.5 }, ETHUSDT: { spreadBps: 2 } });
  });

  it('does not share default arrays between loads', () => {
    const a = loadConfig('collector', schema, { configDir: configDir(), env: {} });
    a.symbols.push('XRPUSDT');
    const b = loadConfig('collector', schema, { configDir: configDir(), env: {} });
    expect(b.symbols).toEqual(['BTCUSDT']);
  });

  it('reports a TOML syntax error with the file, line and column', () => {
    const dir = configDir({ 'collector.toml': 'tcp-port = 4000\nmode = = "live"\n' });
    const issues = issuesOf(() => loadConfig('collector', schema, { configDir: dir, env: {} }));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: join(dir, 'collector.toml'), line: 2, column: 8 });
    expect(issues[0]!.message).toMatch(/^invalid TOML: /);
    expect(String(new ConfigError(issues).message)).toContain(`${join(dir, 'collector.toml')}:2:8:`);
  });

  it('reports a file that is not TOML at all', () => {
    const dir = configDir({ 'collector.toml': '{"tcp-port": 4000}\n' });
    const issues = issuesOf(() => loadConfig('collector', schema, { configDir: dir, env: {} }));
    expect(issues[0]).toMatchObject({ line: 1 });
  });

  it('reports wrong types with the key path, expected and found', () => {
    const dir = configDir({ 'collector.toml': 'tcp-port = "4000"\nenabled = "yes"\nsymbols = "BTCUSDT"\n[binance]\ndepth-speed-ms = 250.5\n' });
    const issues = issuesOf(() => loadConfig('collector', schema, { configDir: dir, env: {} }));
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i]));
    expect(Object.keys(byPath).sort()).toEqual(['binance.depth-speed-ms', 'enabled', 'symbols', 'tcp-port']);
    expect(byPath['tcp-port']).toMatchObject({ expected: 'port in [0, 65535]', found: 'string "4000"', file: join(dir, 'collector.toml') });
    expect(byPath['enabled']).toMatchObject({ expected: 'boolean', found: 'string "yes"' });
    expect(byPath['binance.depth-speed-ms']).toMatchObject({ found: 'float 250.5' });
    expect(byPath['symbols']!.found).toBe('string "BTCUSDT"');
  });

  it('reports out-of-range values, bad enum values (with a hint) and pattern mismatches', () => {
    const dir = configDir({
      'collector.toml': 'tcp-port = 70000\nmode = "replya"\nsymbols = []\n[binance]\ndepth-speed-ms = 50\nws-url = "http://x"\n[overrides.BTCUSDT]\nspread-bps = -1\n',
    });
    const issues = issuesOf(() => loadConfig('collector', schema, { configDir: dir, env: {} }));
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i]));
    expect(byPath['tcp-port']!.message).toBe('expected port in [0, 65535], found 70000');
    expect(byPath['binance.depth-speed-ms']!.message).toBe('expected integer in [100, 1000], found 50');
    expect(byPath['binance.ws-url']!.expected).toBe('a ws:// or wss:// URL');
    expect(byPath['mode']).toMatchObject({ hint: 'replay' });
    expect(byPath['symbols']!.message).toContain('>= 1 items');
    expect(byPath['overrides.BTCUSDT.spread-bps']!.message).toBe('expected number >= 0, found -1');
    expect(issues).toHaveLength(6);
  });

  it('rejects unknown keys with a "did you mean" hint, at any depth', () => {
    const dir = configDir({
      'collector.toml': 'tcp_port = 1\ntcpPort = 2\ncompletely-unrelated = 3\n[binance]\ndepth-sped-ms = 200\n[overrides.BTCUSDT]\nspread = 1\n',
    });
    const issues = issuesOf(() => loadConfig('collector', schema, { configDir: dir, env: {} }));
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i]));
    expect(byPath['tcp_port']).toMatchObject({ message: 'unknown key', hint: 'tcp-port' });
    expect(byPath['tcpPort']).toMatchObject({ hint: 'tcp-port' });
    expect(byPath['completely-unrelated']!.hint).toBeUndefined();
    expect(byPath['binance.depth-sped-ms']).toMatchObject({ hint: 'depth-speed-ms' });
    expect(byPath['overrides.BTCUSDT.spread']).toMatchObject({ hint: 'spread-bps' });
    expect(new ConfigError(issues).message).toContain('binance.depth-sped-ms: unknown key (did you mean "depth-speed-ms"?)');
  });

  it('reports a required key without a default when the file does not set it', () => {
    const required = c.object({ aeron: c.object({ dir: c.string() }), name: c.optional(c.string()) });
    const issues = issuesOf(() => loadConfig('pricing', required, { configDir: configDir(), env: {} }));
    expect(issues).toEqual([
      expect.objectContaining({ path: 'aeron.dir', message: 'required key missing (expected string; it has no default)' }),
    ]);
    const ok = loadConfig('pricing', required, { configDir: configDir({ 'pricing.toml': '[aeron]\ndir = "/dev/shm/aeron"\n' }), env: {} });
    expect(ok).toEqual({ aeron: { dir: '/dev/shm/aeron' }, name: undefined });
  });

  it('reports a table given where a value is expected and vice versa', () => {
    const dir = configDir({ 'collector.toml': 'binance = 5\n[tcp-port]\nx = 1\n' });
    const issues = issuesOf(() => loadConfig('collector', schema, { configDir: dir, env: {} }));
    expect(issues.map((i) => `${i.path}: ${i.message}`).sort()).toEqual([
      'binance: expected table, found integer 5',
      'tcp-port: expected port in [0, 65535], found table',
    ]);
  });

  it('loads an explicit file via loadConfigFile (shared files such as streams.toml)', () => {
    const dir = configDir({ 'streams.toml': '[[stream]]\nid = 1001\nname = "md"\n[[stream]]\nid = 1002\nname = "quotes"\n' });
    const streams = c.object({ stream: c.array(c.object({ id: c.int({ min: 1 }), name: c.string() })) });
    expect(loadConfigFile(join(dir, 'streams.toml'), streams, { env: {} })).toEqual({
      stream: [{ id: 1001, name: 'md' }, { id: 1002, name: 'quotes' }],
    });
    const viaName = loadConfig('streams', streams, { configDir: dir, env: { MM_STREAMS__STREAM: '[{"id": 7, "name": "x"}]' } });
    expect(viaName.stream).toEqual([{ id: 7, name: 'x' }]);
  });

  it('reports bad array elements by index', () => {
    const dir = configDir({ 'streams.toml': '[[stream]]\nid = 1\nname = "a"\n[[stream]]\nid = 0\nname = "b"\n' });
    const streams = c.object({ stream: c.array(c.object({ id: c.int({ min: 1 }), name: c.string() })) });
    const issues = issuesOf(() => loadConfig('streams', streams, { configDir: dir, env: {} }));
    expect(issues.map((i) => i.path)).toEqual(['stream[1].id']);
  });

  it('uses MM_CONFIG_DIR when no configDir is given', () => {
    const dir = configDir({ 'collector.toml': 'tcp-port = 4321\n' });
    expect(loadConfig('collector', schema, { env: { MM_CONFIG_DIR: dir } }).tcpPort).toBe(4321);
  });
});

describe('loadConfig: environment overrides', () => {
  const file = 'tcp-port = 2000\n[binance]\ndepth-speed-ms = 250\n';

  it('applies generic MM_<SERVICE>__<PATH> variables over the file', () => {
    const dir = configDir({ 'collector.toml': file });
    const cfg = loadConfig('collector', schema, {
      configDir: dir,
      env: {
        MM_COLLECTOR__BINANCE__DEPTH_SPEED_MS: '500',
        MM_COLLECTOR__ENABLED: 'false',
        MM_COLLECTOR__SYMBOLS: 'BTCUSDT, ETHUSDT',
        MM_COLLECTOR__MODE: 'replay',
        MM_COLLECTOR__NOTE: 'hello',
      },
    });
    expect(cfg.binance.depthSpeedMs).toBe(500);
    expect(cfg.enabled).toBe(false);
    expect(cfg.symbols).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(cfg.mode).toBe('replay');
    expect(cfg.note).toBe('hello');
    expect(cfg.tcpPort).toBe(2000);
  });

  it('follows the precedence defaults < file < generic < established', () => {
    const withFile = configDir({ 'collector.toml': file });
    const load = (dir: string, env: Record<string, string>): number => loadConfig('collector', schema, { configDir: dir, env }).tcpPort;
    expect(load(configDir(), {})).toBe(1234);
    expect(load(withFile, {})).toBe(2000);
    expect(load(withFile, { MM_COLLECTOR__TCP_PORT: '3000' })).toBe(3000);
    expect(load(withFile, { MM_COLLECTOR__TCP_PORT: '3000', ENGINE_TCP_PORT: '4000' })).toBe(4000);
    expect(load(configDir(), { ENGINE_TCP_PORT: '4000' })).toBe(4000);
  });

  it('still rejects an invalid value in the file that a variable masks now (the variable may go away)', () => {
    const bad = configDir({ 'collector.toml': 'tcp-port = 99999\n[binance]\ndepth-speed-ms = 7\n' });
    const issues = issuesOf(() => loadConfig('collector', schema, { configDir: bad, env: { ENGINE_TCP_PORT: '4000', MM_COLLECTOR__BINANCE__DEPTH_SPEED_MS: '500' } }));
    expect(issues.map((i) => `${i.path}: ${i.message}`).sort()).toEqual([
      expect.stringMatching(/^binance\.depth-speed-ms: .*found 7 \(the file's value; MM_COLLECTOR__BINANCE__DEPTH_SPEED_MS overrides this key now\)$/),
      expect.stringMatching(/^tcp-port: .*99999 \(the file's value; ENGINE_TCP_PORT overrides this key now\)$/),
    ]);
    // A valid masked value, or a key only a variable sets, is fine.
    const good = configDir({ 'collector.toml': 'tcp-port = 2000\n' });
    expect(loadConfig('collector', schema, { configDir: good, env: { ENGINE_TCP_PORT: '4000' } }).tcpPort).toBe(4000);
    expect(loadConfig('collector', schema, { configDir: configDir(), env: { ENGINE_TCP_PORT: '4000' } }).tcpPort).toBe(4000);
  });

  it('names the service in the prefix with - turned into _', () => {
    const cfg = loadConfig('matching-engine', schema, { configDir: configDir(), env: { MM_MATCHING_ENGINE__TCP_PORT: '9100', MM_COLLECTOR__TCP_PORT: '1' } });
    expect(cfg.tcpPort).toBe(9100);
  });

  it('accepts arrays as JSON, booleans as 1/0, records per key and as JSON', () => {
    const dir = configDir({ 'collector.toml': '[overrides.BTCUSDT]\nspread-bps = 3\n' });
    const cfg = loadConfig('collector', schema, {
      configDir: dir,
      env: {
        MM_COLLECTOR__SYMBOLS: '["A", "B"]',
        MM_COLLECTOR__ENABLED: '0',
        MM_COLLECTOR__OVERRIDES__BTCUSDT__SPREAD_BPS: '4.5',
        MM_COLLECTOR__OVERRIDES__ETHUSDT__SPREAD_BPS: '1',
      },
    });
    expect(cfg.symbols).toEqual(['A', 'B']);
    expect(cfg.enabled).toBe(false);
    expect(cfg.overrides).toEqual({ BTCUSDT: { spreadBps: 4.5 }, ETHUSDT: { spreadBps: 1 } });
    const json = loadConfig('collector', schema, { configDir: dir, env: { MM_COLLECTOR__OVERRIDES: '{"XRPUSDT": {"spread-bps": 9}}' } });
    expect(json.overrides).toEqual({ XRPUSDT: { spreadBps: 9 } });
  });

  it('lets deeper variables refine a JSON table variable regardless of name order', () => {
    const cfg = loadConfig('collector', schema, {
      configDir: configDir(),
      env: { MM_COLLECTOR__BINANCE__DEPTH_SPEED_MS: '300', MM_COLLECTOR__BINANCE: '{"depth-speed-ms": 200, "ws-url": "ws://local"}' },
    });
    expect(cfg.binance).toEqual({ wsUrl: 'ws://local', depthSpeedMs: 300 });
  });

  it('clears an optional key with an empty variable', () => {
    const dir = configDir({ 'collector.toml': 'note = "from file"\n' });
    expect(loadConfig('collector', schema, { configDir: dir, env: {} }).note).toBe('from file');
    expect(loadConfig('collector', schema, { configDir: dir, env: { MM_COLLECTOR__NOTE: '' } }).note).toBeUndefined();
  });

  it('reports unparsable variables by name', () => {
    const issues = issuesOf(() =>
      loadConfig('collector', schema, {
        configDir: configDir(),
        env: { MM_COLLECTOR__TCP_PORT: 'abc', MM_COLLECTOR__ENABLED: 'yes', ENGINE_TCP_PORT: '12.5', MM_COLLECTOR__OVERRIDES: '[1]' },
      }),
    );
    const byVar = Object.fromEntries(issues.map((i) => [i.envVar, i]));
    expect(byVar['MM_COLLECTOR__TCP_PORT']).toMatchObject({ path: 'tcp-port', message: 'expected an integer, found "abc"' });
    expect(byVar['MM_COLLECTOR__ENABLED']).toMatchObject({ path: 'enabled', expected: 'true, false, 1 or 0' });
    expect(byVar['ENGINE_TCP_PORT']).toMatchObject({ path: 'tcp-port', found: '"12.5"' });
    expect(byVar['MM_COLLECTOR__OVERRIDES']!.expected).toContain('JSON object');
    expect(issues).toHaveLength(4);
  });

  it('reports range errors of env values naming the variable', () => {
    const issues = issuesOf(() => loadConfig('collector', schema, { configDir: configDir(), env: { MM_COLLECTOR__BINANCE__DEPTH_SPEED_MS: '5000', ENGINE_TCP_PORT: '99999' } }));
    const byVar = Object.fromEntries(issues.map((i) => [i.envVar, i]));
    expect(byVar['MM_COLLECTOR__BINANCE__DEPTH_SPEED_MS']).toMatchObject({ path: 'binance.depth-speed-ms', found: '5000' });
    expect(byVar['ENGINE_TCP_PORT']).toMatchObject({ path: 'tcp-port', found: '99999' });
    expect(new ConfigError(issues).message).toContain('(env ENGINE_TCP_PORT): tcp-port: expected port in [0, 65535], found 99999');
  });

  it('rejects unknown MM_<SERVICE>__ variables with a hint', () => {
    const issues = issuesOf(() =>
      loadConfig('collector', schema, {
        configDir: configDir(),
        env: { MM_COLLECTOR__BINANCE__DEPTH_SPEED: '200', MM_COLLECTOR__TCP_PORT__X: '1', MM_COLLECTOR__NOPE_NOTHING_LIKE_IT: '1', MM_COLLECTOR_TCP_PORT: '5' },
      }),
    );
    const byVar = Object.fromEntries(issues.map((i) => [i.envVar, i]));
    expect(byVar['MM_COLLECTOR__BINANCE__DEPTH_SPEED']).toMatchObject({ hint: 'MM_COLLECTOR__BINANCE__DEPTH_SPEED_MS' });
    expect(byVar['MM_COLLECTOR__TCP_PORT__X']).toMatchObject({ hint: 'MM_COLLECTOR__TCP_PORT' });
    expect(byVar['MM_COLLECTOR__NOPE_NOTHING_LIKE_IT']!.hint).toBeUndefined();
    // Single underscore: not in the generic namespace, so not ours to judge.
    expect(issues).toHaveLength(3);
  });

  it('collects file and environment problems together', () => {
    const dir = configDir({ 'collector.toml': 'tcp-port = "x"\nbogus = 1\n' });
    const issues = issuesOf(() => loadConfig('collector', schema, { configDir: dir, env: { MM_COLLECTOR__MODE: 'nope' } }));
    expect(issues.map((i) => i.path).sort()).toEqual(['bogus', 'mode', 'tcp-port']);
  });
});

describe('loadConfig: odd input', () => {
  it('keeps a record key named __proto__ as a plain entry', () => {
    const schema2 = c.object({ names: c.record(c.int()) });
    const dir = configDir({ 'x.toml': '[names]\n"__proto__" = 1\nok = 2\n' });
    const cfg = loadConfig('x', schema2, { configDir: dir, env: {} });
    expect(Object.keys(cfg.names)).toEqual(['__proto__', 'ok']);
    expect(Object.getPrototypeOf(cfg.names)).toBe(Object.prototype);
  });

  it('reports datetimes and integers beyond 2^53 as such', () => {
    const schema2 = c.object({ name: c.string({ default: 'a' }), count: c.int({ default: 1 }) });
    const dir = configDir({ 'x.toml': 'name = 1979-05-27T07:32:00Z\ncount = 9007199254740993\n' });
    try {
      loadConfig('x', schema2, { configDir: dir, env: {} });
      expect.unreachable();
    } catch (e) {
      expect((e as ConfigError).issues.map((i) => i.found)).toEqual(['datetime 1979-05-27T07:32:00.000Z', '9007199254740993 (beyond 2^53)']);
    }
  });

  it('ignores generic variables when loadConfigFile gets no prefix', () => {
    const dir = configDir({ 'x.toml': 'count = 5\n' });
    const schema2 = c.object({ count: c.int() });
    expect(loadConfigFile(join(dir, 'x.toml'), schema2, { env: { MM_X__COUNT: '7', MM_X__BOGUS: '1' } })).toEqual({ count: 5 });
  });
});
