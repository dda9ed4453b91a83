/**
 * Drives any encoder/decoder pair from a spec's field table by method name (the codecs' naming convention: a
 * field `x` has encoder `x(v)` and decoder `x()`; an epochNs field `xNs` has `xNsHiLo(hi, lo)` and `xNsHi()`/`xNsLo()`).
 */
import type { FieldSpec, MessageSpec } from '../../src/MessageSpec.js';
import type { Random } from './Random.js';

export type Value = number | string | boolean | { hi: number; lo: number };
export type Values = Record<string, Value>;
export interface Levels { bids: [number, number][]; asks: [number, number][] }

// Test-only dynamic access to the flyweights' methods by field name.
type Methods = Record<string, (...args: unknown[]) => unknown>;

const PRINTABLE = ' !#$%&()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_abcdefghijklmnopqrstuvwxyz{|}~';

/** Symbols may be empty only where the message allows "whole service / all symbols". */
const EMPTY_SYMBOL_ALLOWED = new Set(['State', 'PullQuotes']);

export function randomValue(spec: MessageSpec, field: FieldSpec, rnd: Random): Value | undefined {
  switch (field.type) {
    case 'padding': return undefined;
    case 'u8': return undefined; // only the book's level counts, set through levelCounts
    case 'u16': return rnd.int(0, 65535);
    case 'u32': return rnd.int(0, 4294967295);
    case 'i64': case 'fixed8': return rnd.safeInt();
    case 'epochNs': return { hi: rnd.int(-2147483648, 2147483647), lo: rnd.int(0, 4294967295) };
    case 'f64': return rnd.float();
    case 'char': {
      if (field.name === 'symbol') return rnd.ascii(EMPTY_SYMBOL_ALLOWED.has(spec.name) ? 0 : 1, 16);
      if (field.name === 'service') return rnd.ascii(1, 16, 'abcdefghijklmnopqrstuvwxyz_');
      return rnd.ascii(0, field.length ?? 0, PRINTABLE).replace(/ +$/, '');
    }
    case 'enum': return Number(rnd.pick(Object.keys(field.values ?? {})));
    case 'bool': return rnd.bool();
    case 'flags': {
      let mask = 0;
      for (const bit of Object.keys(field.values ?? {})) if (rnd.bool()) mask |= Number(bit);
      return mask;
    }
  }
}

export function randomValues(spec: MessageSpec, rnd: Random): Values {
  const values: Values = {};
  for (const field of spec.fields) {
    const v = randomValue(spec, field, rnd);
    if (v !== undefined) values[field.name] = v;
  }
  return values;
}

export function randomLevels(rnd: Random, max = 64): Levels {
  const side = (): [number, number][] => Array.from({ length: rnd.int(0, max) }, () => [rnd.safeInt(), rnd.safeInt()]);
  return { bids: side(), asks: side() };
}

export function applyValues(encoder: object, spec: MessageSpec, values: Values, levels?: Levels): void {
  const e = encoder as unknown as Methods;
  for (const field of spec.fields) {
    const v = values[field.name];
    if (v === undefined) continue;
    if (field.type === 'epochNs') {
      const { hi, lo } = v as { hi: number; lo: number };
      e[`${field.name}HiLo`]!.call(encoder, hi, lo);
    } else {
      e[field.name]!.call(encoder, v);
    }
  }
  if (levels) {
    e.levelCounts!.call(encoder, levels.bids.length, levels.asks.length);
    levels.bids.forEach(([p, q], i) => e.bid!.call(encoder, i, p, q));
    levels.asks.forEach(([p, q], i) => e.ask!.call(encoder, i, p, q));
  }
}

export function readValues(decoder: object, spec: MessageSpec): Values {
  const d = decoder as unknown as Methods;
  const out: Values = {};
  for (const field of spec.fields) {
    if (field.type === 'padding' || field.type === 'u8') continue;
    if (field.type === 'epochNs') {
      out[field.name] = { hi: d[`${field.name}Hi`]!.call(decoder) as number, lo: d[`${field.name}Lo`]!.call(decoder) as number };
    } else {
      out[field.name] = d[field.name]!.call(decoder) as Value;
    }
  }
  return out;
}

export function readLevels(decoder: object): Levels {
  const d = decoder as unknown as Methods;
  const bids: [number, number][] = [];
  const asks: [number, number][] = [];
  const nb = d.bidCount!.call(decoder) as number;
  const na = d.askCount!.call(decoder) as number;
  for (let i = 0; i < nb; i++) bids.push([d.bidPrice!.call(decoder, i) as number, d.bidQty!.call(decoder, i) as number]);
  for (let i = 0; i < na; i++) asks.push([d.askPrice!.call(decoder, i) as number, d.askQty!.call(decoder, i) as number]);
  return { bids, asks };
}
