import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AtomicBuffer } from '@mm/agrona';
import { ALL_CODECS, codecOf } from '../src/Codecs.js';
import { DecodeResult } from '../src/DecodeResult.js';
import { formatFixed8 } from '../src/FixedPoint.js';
import { HEADER_LENGTH, SCHEMA_VERSION } from '../src/MessageHeader.js';
import { messageToObject } from '../src/MessageJson.js';
import { fieldSize, type FieldSpec, type MessageSpec } from '../src/MessageSpec.js';
import { TEMPLATE_STREAM, TemplateId } from '../src/Templates.js';
import { PricingEncoder, type PricingValues } from '../src/PricingCodec.js';
import { applyValues, randomLevels, randomValues, readLevels, readValues, type Levels, type Value, type Values } from './support/FieldValues.js';
import { pairs } from './support/Pairs.js';
import { Random } from './support/Random.js';

const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), 'golden');

function expectSame(actual: Value, expected: Value, what: string): void {
  if (typeof expected === 'number' && Number.isNaN(expected)) expect(Number.isNaN(actual), what).toBe(true);
  else if (typeof expected === 'number') expect(Object.is(actual, expected) || actual === expected, `${what}: ${String(actual)} vs ${expected}`).toBe(true);
  else expect(actual, what).toEqual(expected);
}

/** What the JSON renderer must show for a value set through the encoder (independent of the codec's code). */
function expectedJson(field: FieldSpec, v: Value): unknown {
  switch (field.type) {
    case 'fixed8': return formatFixed8(v as number);
    case 'epochNs': {
      const { hi, lo } = v as { hi: number; lo: number };
      return ((BigInt(hi) << 32n) + BigInt(lo >>> 0)).toString();
    }
    case 'f64': return Number.isFinite(v as number) ? v : null;
    case 'enum': return field.values![v as number];
    case 'flags': return Object.entries(field.values!).filter(([bit]) => ((v as number) & Number(bit)) !== 0).map(([, n]) => n);
    default: return v;
  }
}

describe('field tables', () => {
  it.each(ALL_CODECS.map((s) => [s.name, s] as const))('%s tiles its block exactly with aligned int64 fields', (_, spec) => {
    let at = HEADER_LENGTH;
    for (const field of spec.fields) {
      expect(field.offset, `${spec.name}.${field.name} offset`).toBe(at);
      const size = fieldSize(field);
      expect(size, `${spec.name}.${field.name} size`).toBeGreaterThan(0);
      if (size === 8 && field.type !== 'padding') expect(field.offset % 8, `${spec.name}.${field.name} alignment`).toBe(0);
      at += size;
    }
    expect(at).toBe(HEADER_LENGTH + spec.blockLength);
    expect((HEADER_LENGTH + spec.blockLength) % 8).toBe(0);
    expect(spec.fields[0]).toMatchObject({ name: 'sequence', offset: 8, type: 'i64' });
  });

  it('gives every template a distinct id, its stream, and a lookup', () => {
    const ids = ALL_CODECS.map((s) => s.templateId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort((a, b) => a - b)).toEqual(Object.values(TemplateId).sort((a, b) => a - b));
    for (const spec of ALL_CODECS) {
      expect(spec.streamId).toBe(TEMPLATE_STREAM[spec.templateId as TemplateId]);
      expect(codecOf(spec.templateId)).toBe(spec);
    }
    expect(codecOf(0)).toBeUndefined();
    expect(codecOf(999)).toBeUndefined();
  });
});

describe('round trip (property-based, seeded)', () => {
  for (const { spec, encoder, decoder } of pairs()) {
    it(`${spec.name}: random valid values survive encode → check → decode → JSON`, () => {
      const rnd = new Random(0xC0DEC + spec.templateId);
      const buffer = AtomicBuffer.allocate(4096);
      for (let iteration = 0; iteration < 300; iteration++) {
        const offset = rnd.int(0, 64) * 8;
        buffer.setMemory(0, buffer.capacity, rnd.int(0, 255));
        const values = randomValues(spec, rnd);
        const levels: Levels | undefined = spec.levels ? randomLevels(rnd) : undefined;
        encoder.wrap(buffer, offset);
        applyValues(encoder, spec, values, levels);
        const length = encoder.encodedLength();
        const expectedLength = HEADER_LENGTH + spec.blockLength + (levels ? 16 * (levels.bids.length + levels.asks.length) : 0);
        expect(length).toBe(expectedLength);

        expect(decoder.wrapChecked(buffer, offset, length)).toBe(DecodeResult.OK);
        const decoded = readValues(decoder, spec);
        for (const name of Object.keys(values)) expectSame(decoded[name]!, values[name]!, `${spec.name}.${name}`);
        if (levels) expect(readLevels(decoder)).toEqual(levels);

        // The JSON renderer reads through the field table, so agreement proves the table matches the code.
        const json = messageToObject(spec, buffer, offset);
        expect(json.template).toBe(spec.name);
        expect(json.version).toBe(SCHEMA_VERSION);
        for (const field of spec.fields) {
          if (field.type === 'padding' || field.type === 'u8') continue;
          expect(json[field.name], `${spec.name}.${field.name} JSON`).toEqual(expectedJson(field, values[field.name]!));
        }
        if (levels) {
          const fmt = (rows: [number, number][]) => rows.map(([p, q]) => [formatFixed8(p), formatFixed8(q)]);
          expect(json.bids).toEqual(fmt(levels.bids));
          expect(json.asks).toEqual(fmt(levels.asks));
        }
      }
    });
  }

  it('epoch-ns fields written as (ms, nanos-of-ms) read back exactly above 2^53 ns', () => {
    const rnd = new Random(53);
    const buffer = AtomicBuffer.allocate(256);
    for (const { spec, encoder, decoder } of pairs()) {
      const epochFields = spec.fields.filter((f) => f.type === 'epochNs');
      for (const field of epochFields) {
        const base = field.name.slice(0, -2); // eventTimeNs → eventTime
        for (let i = 0; i < 200; i++) {
          const ms = rnd.int(0, 2 ** 43 - 1);
          const nanos = rnd.int(0, 999_999);
          encoder.wrap(buffer, 0);
          (encoder as unknown as Record<string, (a: number, b: number) => void>)[field.name]!(ms, nanos);
          if (spec.levels) (encoder as unknown as { levelCounts(a: number, b: number): void }).levelCounts(0, 0);
          decoder.wrap(buffer, 0);
          const d = decoder as unknown as Record<string, () => number>;
          expect(d[`${base}Ms`]!()).toBe(ms);
          expect(d[`${base}NanosOfMs`]!()).toBe(nanos);
          expect(buffer.getInt64BigInt(field.offset)).toBe(BigInt(ms) * 1_000_000n + BigInt(nanos));
        }
      }
    }
  });
});

describe('golden bytes', () => {
  /** Deterministic, readable values: the n-th field gets a value derived from n (not from a PRNG). */
  function goldenValues(spec: MessageSpec): Values {
    const values: Values = {};
    spec.fields.forEach((field, n) => {
      switch (field.type) {
        case 'i64': case 'fixed8': values[field.name] = (n + 1) * 1_000_000_007 * (n % 3 === 2 ? -1 : 1); break;
        case 'epochNs': values[field.name] = { hi: 0x17a0_0000 + n, lo: 0x89ab_cdef }; break;
        case 'f64': values[field.name] = (n + 1) * 1.25 - 7; break;
        case 'u32': case 'u16': values[field.name] = 0x1000 + n; break;
        case 'char': values[field.name] = field.name === 'symbol' ? 'BTCUSDT' : field.name === 'service' ? 'mm_pricing' : `reason ${n}`; break;
        case 'enum': values[field.name] = Number(Object.keys(field.values!).at(-1)); break;
        case 'bool': values[field.name] = true; break;
        case 'flags': values[field.name] = Object.keys(field.values!).reduce((m, b) => m | Number(b), 0); break;
        default: break;
      }
    });
    return values;
  }

  function hex(bytes: Uint8Array): string {
    const lines: string[] = [];
    for (let i = 0; i < bytes.length; i += 16) {
      lines.push(Array.from(bytes.subarray(i, i + 16), (b) => b.toString(16).padStart(2, '0')).join(' '));
    }
    return `${lines.join('\n')}\n`;
  }

  for (const { spec, encoder } of pairs()) {
    it(`${spec.name} encodes to the committed bytes`, () => {
      const buffer = AtomicBuffer.allocate(4096);
      encoder.wrap(buffer, 0);
      const levels: Levels | undefined = spec.levels
        ? { bids: [[6_500_012_000_000, 150_000_000], [6_500_011_000_000, 1]], asks: [[6_500_013_000_000, 25_000_000]] }
        : undefined;
      applyValues(encoder, spec, goldenValues(spec), levels);
      const actual = hex(buffer.bytes.subarray(0, encoder.encodedLength()));
      const file = join(GOLDEN_DIR, `${spec.name}.hex`);
      // UPDATE_GOLDEN=1 rewrites the files after an intended layout change (then review the diff).
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, actual);
      expect(existsSync(file), `golden file ${file} missing (run with UPDATE_GOLDEN=1)`).toBe(true);
      expect(actual).toBe(readFileSync(file, 'utf8'));
    });
  }

  it('Trade layout matches an independently written byte image', () => {
    const view = new DataView(new ArrayBuffer(80));
    view.setUint16(0, 4, true); view.setUint16(2, 1, true); view.setUint16(4, 72, true);
    view.setBigInt64(8, 7n, true);
    view.setBigInt64(16, 123_456_789n, true);
    view.setBigInt64(24, 1_732_190_400_123n * 1_000_000n + 456_789n, true);
    view.setBigInt64(32, 4_242_424_242n, true);
    view.setBigInt64(40, 6_543_210_000_000n, true);
    view.setBigInt64(48, 1_500n, true);
    'ETHUSDT'.split('').forEach((c, i) => view.setUint8(56 + i, c.charCodeAt(0)));
    view.setUint8(72, 2);

    const buffer = AtomicBuffer.allocate(80);
    const encoder = pairs().find((p) => p.spec.name === 'Trade')!.encoder as import('../src/TradeCodec.js').TradeEncoder;
    encoder.wrap(buffer, 0).sequence(7).recvTimeNs(123_456_789).tradeTimeNs(1_732_190_400_123, 456_789)
      .tradeId(4_242_424_242).price(6_543_210_000_000).qty(1_500).symbol('ETHUSDT').aggressorSide(2);
    expect(Array.from(buffer.bytes)).toEqual(Array.from(new Uint8Array(view.buffer)));
  });
});

describe('PricingEncoder.values', () => {
  it('writes an engine result object field by field, as the individual setters would', () => {
    const rnd = new Random(14);
    const spec = pairs().find((p) => p.spec.name === 'Pricing')!;
    const values = randomValues(spec.spec, rnd);
    const a = AtomicBuffer.allocate(256);
    const b = AtomicBuffer.allocate(256);
    spec.encoder.wrap(a, 0);
    applyValues(spec.encoder, spec.spec, values);
    const encoder = new PricingEncoder().wrap(b, 0).sequence(values.sequence as number).symbol(values.symbol as string);
    encoder.values(values as unknown as PricingValues);
    expect(Array.from(b.bytes)).toEqual(Array.from(a.bytes));
  });
});

