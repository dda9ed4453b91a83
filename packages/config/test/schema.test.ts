import { describe, expect, it } from 'vitest';
import { c } from '../src/c.js';
import { renderSchemaTable, schemaRows } from '../src/schemaTable.js';
import { tomlKeyOf } from '../src/fields.js';

describe('schema builders', () => {
  it('reject defaults that break their own rules', () => {
    expect(() => c.int({ min: 100, default: 5 })).toThrow(/invalid schema default: expected integer >= 100, found 5/);
    expect(() => c.int({ default: 1.5 })).toThrow(/invalid schema default/);
    expect(() => c.enum(['a', 'b'], { default: 'c' as 'a' })).toThrow(/invalid schema default/);
    expect(() => c.array(c.int({ min: 0 }), { default: [1, -1] })).toThrow(/invalid schema default/);
    expect(() => c.string({ pattern: /^x/, default: 'y' })).toThrow(/invalid schema default/);
  });

  it('reject property names that do not map reversibly to kebab-case', () => {
    expect(() => c.object({ wsURL: c.string() })).toThrow(/wsURL/);
    expect(() => c.object({ 'ws-url': c.string() })).toThrow(/ws-url/);
    expect(() => c.object({ WsUrl: c.string() })).toThrow(/WsUrl/);
  });

  it('map camelCase to kebab-case', () => {
    expect(tomlKeyOf('depthSpeedMs')).toBe('depth-speed-ms');
    expect(tomlKeyOf('l2Levels')).toBe('l2-levels');
    expect(tomlKeyOf('symbols')).toBe('symbols');
  });
});

describe('schema documentation', () => {
  const schema = c.object({
    tcpPort: c.port({ default: 9001, env: 'ENGINE_TCP_PORT', doc: 'order entry port' }),
    aeron: c.object({ dir: c.string({ doc: 'Aeron | dir' }) }),
    mode: c.enum(['live', 'replay'], { default: 'live' }),
    symbols: c.record(c.object({ tickSize: c.number({ min: 0, default: 0.01 }) }), { keyPattern: /^[A-Z0-9]+$/, keyText: 'upper-case symbols' }),
    note: c.optional(c.string()),
  });

  it('lists one row per key with type, default, range and both variable names', () => {
    expect(schemaRows('matching-engine', schema)).toEqual([
      { key: 'tcp-port', type: 'port', required: false, default: '9001', range: '0 to 65535', env: ['ENGINE_TCP_PORT', 'MM_MATCHING_ENGINE__TCP_PORT'], doc: 'order entry port' },
      { key: 'aeron.dir', type: 'string', required: true, default: '', range: '', env: ['MM_MATCHING_ENGINE__AERON__DIR'], doc: 'Aeron | dir' },
      { key: 'mode', type: 'enum', required: false, default: '"live"', range: 'live | replay', env: ['MM_MATCHING_ENGINE__MODE'], doc: '' },
      { key: 'symbols', type: 'table of tables', required: false, default: '{}', range: 'keys: upper-case symbols', env: ['MM_MATCHING_ENGINE__SYMBOLS'], doc: '' },
      { key: 'symbols.<key>.tick-size', type: 'number', required: false, default: '0.01', range: '>= 0', env: [], doc: '' },
      { key: 'note', type: 'string (optional)', required: false, default: '(none)', range: '', env: ['MM_MATCHING_ENGINE__NOTE'], doc: '' },
    ]);
  });

  it('renders a Markdown table with escaped cells', () => {
    const md = renderSchemaTable('matching-engine', schema);
    const lines = md.trimEnd().split('\n');
    expect(lines).toHaveLength(2 + 6);
    expect(lines[2]).toBe('| `tcp-port` | port | `9001` | 0 to 65535 | `ENGINE_TCP_PORT`, `MM_MATCHING_ENGINE__TCP_PORT` | order entry port |');
    expect(lines[3]).toBe('| `aeron.dir` | string | **required** |  | `MM_MATCHING_ENGINE__AERON__DIR` | Aeron \\| dir |');
  });
});
