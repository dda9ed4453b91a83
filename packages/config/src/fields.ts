/**
 * Schema fields: each knows its static type (`Infer`), its default, how to decode a raw TOML value, how to parse an
 * environment variable's text, and how to describe itself for the documentation table.
 *
 * Invariants:
 * - A field without a default that is not wrapped in `optional` is required; an object is never "missing" (an
 *   absent table decodes as an empty one, so each missing required child is reported at its own path).
 * - Decoding never throws on bad input: it records an issue and returns INVALID, so every problem is reported.
 * - Defaults are checked against the field's own rules when the schema is built (a bad default is a programming
 *   error and throws there), and array/table defaults are copied on every load.
 * - Object properties are camelCase in code and kebab-case in TOML (`depthSpeedMs` ↔ `depth-speed-ms`); record
 *   keys (e.g. symbols) are kept verbatim.
 */
import { didYouMean } from './didYouMean.js';
import { DecodeContext, INVALID, childPath, describeValue, indexPath, isTable, type Invalid } from './DecodeContext.js';

export type EnvParse = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly expected: string };

export type FieldKind = 'string' | 'number' | 'int' | 'bool' | 'enum' | 'array' | 'record' | 'object' | 'optional';

export interface FieldOptions<T> {
  readonly default?: T;
  /** An established environment variable (e.g. `ENGINE_TCP_PORT`) that overrides this key above all other sources. */
  readonly env?: string;
  /** One line for the documentation table. */
  readonly doc?: string;
}

export abstract class Field<T> {
  /** Phantom: carries the decoded type for `Infer`; never set at run time. */
  declare readonly _output: T;
  abstract readonly kind: FieldKind;
  readonly hasDefault: boolean;
  readonly env: string | undefined;
  readonly doc: string | undefined;
  protected readonly defaultValue: T | undefined;

  constructor(options: FieldOptions<T>) {
    this.hasDefault = options.default !== undefined;
    this.defaultValue = options.default;
    this.env = options.env;
    this.doc = options.doc;
  }

  /** Human name of the type, e.g. `integer`, `array of string`. */
  abstract typeName(): string;

  /** Allowed values/range in words, or '' when unconstrained. */
  rangeText(): string {
    return '';
  }

  /** The default as shown in documentation ('' when required). */
  defaultText(): string {
    return this.hasDefault ? JSON.stringify(this.defaultValue) : '';
  }

  /** Decodes a raw value (undefined = absent) at `path`. */
  decode(value: unknown, path: string, ctx: DecodeContext): T | Invalid {
    if (value !== undefined) return this.decodePresent(value, path, ctx);
    if (this.hasDefault) return structuredClone(this.defaultValue as T);
    return ctx.report(path, `required key missing (expected ${this.typeName()}; it has no default)`, {
      expected: this.typeName(),
      found: 'nothing',
    });
  }

  protected abstract decodePresent(value: unknown, path: string, ctx: DecodeContext): T | Invalid;

  /** Turns an environment variable's text into a raw value for `decode` (which then checks ranges). */
  abstract parseEnv(raw: string): EnvParse;

  /** Throws if the default breaks the field's own rules (called by the builders). */
  checkDefault(): this {
    if (!this.hasDefault) return this;
    const ctx = new DecodeContext('<schema default>');
    this.decodePresent(this.defaultValue, '', ctx);
    if (ctx.issues.length > 0) throw new Error(`invalid schema default: ${ctx.issues.map((i) => i.message).join('; ')}`);
    return this;
  }
}

export type Infer<F extends Field<unknown>> = F['_output'];

// ---------------------------------------------------------------------------------------------------------------

export interface StringOptions extends FieldOptions<string> {
  readonly nonEmpty?: boolean;
  readonly pattern?: RegExp;
  /** Words for the pattern in messages, e.g. `a ws:// or wss:// URL`. */
  readonly patternText?: string;
}

export class StringField extends Field<string> {
  readonly kind = 'string';
  constructor(private readonly options: StringOptions = {}) {
    super(options);
  }
  typeName(): string {
    return 'string';
  }
  override rangeText(): string {
    if (this.options.pattern) return this.options.patternText ?? `matches ${String(this.options.pattern)}`;
    return this.options.nonEmpty ? 'non-empty' : '';
  }
  protected decodePresent(value: unknown, path: string, ctx: DecodeContext): string | Invalid {
    if (typeof value !== 'string') return ctx.mismatch(path, 'string', describeValue(value));
    if (this.options.nonEmpty && value.length === 0) return ctx.mismatch(path, 'a non-empty string', 'an empty string');
    const { pattern } = this.options;
    if (pattern && !pattern.test(value)) {
      return ctx.mismatch(path, this.options.patternText ?? `a string matching ${String(pattern)}`, describeValue(value));
    }
    return value;
  }
  parseEnv(raw: string): EnvParse {
    return { ok: true, value: raw };
  }
}

export interface NumberOptions extends FieldOptions<number> {
  readonly min?: number;
  readonly max?: number;
}

/** Finite numbers; `integer` restricts to safe integers (TOML integers and whole floats such as `5.0`). */
export class NumberField extends Field<number> {
  readonly kind: 'number' | 'int';
  constructor(
    private readonly options: NumberOptions,
    readonly integer: boolean,
    private readonly name: string = integer ? 'integer' : 'number',
  ) {
    super(options);
    this.kind = integer ? 'int' : 'number';
  }
  typeName(): string {
    return this.name;
  }
  override rangeText(): string {
    const { min, max } = this.options;
    if (min !== undefined && max !== undefined) return `${min} to ${max}`;
    if (min !== undefined) return `>= ${min}`;
    if (max !== undefined) return `<= ${max}`;
    return '';
  }
  protected decodePresent(value: unknown, path: string, ctx: DecodeContext): number | Invalid {
    const what = this.name;
    const range = this.rangeText();
    const expected = range === '' ? what : `${what} ${range.startsWith('>') || range.startsWith('<') ? range : `in [${this.options.min}, ${this.options.max}]`}`;
    if (typeof value === 'bigint') return ctx.mismatch(path, expected, `${value} (beyond 2^53)`);
    if (typeof value !== 'number' || !Number.isFinite(value)) return ctx.mismatch(path, expected, describeValue(value));
    if (this.integer && !Number.isSafeInteger(value)) return ctx.mismatch(path, expected, describeValue(value));
    const { min, max } = this.options;
    if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
      return ctx.mismatch(path, expected, String(value));
    }
    return value;
  }
  parseEnv(raw: string): EnvParse {
    const s = raw.trim();
    if (this.integer) {
      return /^[+-]?\d+$/.test(s) ? { ok: true, value: Number(s) } : { ok: false, expected: 'an integer' };
    }
    const n = Number(s);
    return s !== '' && Number.isFinite(n) ? { ok: true, value: n } : { ok: false, expected: 'a number' };
  }
}

export class BoolField extends Field<boolean> {
  readonly kind = 'bool';
  constructor(options: FieldOptions<boolean> = {}) {
    super(options);
  }
  typeName(): string {
    return 'boolean';
  }
  protected decodePresent(value: unknown, path: string, ctx: DecodeContext): boolean | Invalid {
    return typeof value === 'boolean' ? value : ctx.mismatch(path, 'boolean', describeValue(value));
  }
  parseEnv(raw: string): EnvParse {
    const s = raw.trim().toLowerCase();
    if (s === 'true' || s === '1') return { ok: true, value: true };
    if (s === 'false' || s === '0') return { ok: true, value: false };
    return { ok: false, expected: 'true, false, 1 or 0' };
  }
}

export class EnumField<V extends string> extends Field<V> {
  readonly kind = 'enum';
  constructor(
    readonly values: readonly V[],
    options: FieldOptions<V> = {},
  ) {
    super(options);
  }
  typeName(): string {
    return 'enum';
  }
  override rangeText(): string {
    return this.values.join(' | ');
  }
  protected decodePresent(value: unknown, path: string, ctx: DecodeContext): V | Invalid {
    const expected = `one of ${this.values.map((v) => JSON.stringify(v)).join(', ')}`;
    if (typeof value !== 'string') return ctx.mismatch(path, expected, describeValue(value));
    const match = this.values.find((v) => v === value);
    if (match !== undefined) return match;
    const hint = didYouMean(value, this.values);
    return ctx.report(path, `expected ${expected}, found ${describeValue(value)}`, {
      expected,
      found: describeValue(value),
      ...(hint === undefined ? {} : { hint }),
    });
  }
  parseEnv(raw: string): EnvParse {
    return { ok: true, value: raw.trim() };
  }
}

export interface ArrayOptions<I> extends FieldOptions<I[]> {
  readonly minLength?: number;
  readonly maxLength?: number;
}

export class ArrayField<I> extends Field<I[]> {
  readonly kind = 'array';
  constructor(
    readonly item: Field<I>,
    private readonly options: ArrayOptions<I> = {},
  ) {
    super(options);
  }
  typeName(): string {
    return `array of ${this.item.typeName()}`;
  }
  override rangeText(): string {
    const { minLength: lo, maxLength: hi } = this.options;
    const items = lo !== undefined && hi !== undefined ? `${lo} to ${hi} items` : lo !== undefined ? `>= ${lo} items` : hi !== undefined ? `<= ${hi} items` : '';
    const inner = this.item.rangeText();
    return [items, inner === '' ? '' : `each ${inner}`].filter((s) => s !== '').join('; ');
  }
  protected decodePresent(value: unknown, path: string, ctx: DecodeContext): I[] | Invalid {
    if (!Array.isArray(value)) return ctx.mismatch(path, this.typeName(), describeValue(value));
    const { minLength: lo, maxLength: hi } = this.options;
    if ((lo !== undefined && value.length < lo) || (hi !== undefined && value.length > hi)) {
      return ctx.mismatch(path, `${this.typeName()} with ${this.rangeText().split(';')[0]}`, describeValue(value));
    }
    const out: I[] = [];
    let ok = true;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const decoded = item === undefined || item === null ? ctx.mismatch(indexPath(path, i), this.item.typeName(), 'null') : this.item.decode(item, indexPath(path, i), ctx);
      if (decoded === INVALID) ok = false;
      else out.push(decoded);
    }
    return ok ? out : INVALID;
  }
  parseEnv(raw: string): EnvParse {
    const s = raw.trim();
    const expected = `a JSON array or a comma-separated list of ${this.item.typeName()}`;
    if (s.startsWith('[')) {
      try {
        const v: unknown = JSON.parse(s);
        return Array.isArray(v) ? { ok: true, value: v } : { ok: false, expected };
      } catch {
        return { ok: false, expected };
      }
    }
    if (s === '') return { ok: true, value: [] };
    const out: unknown[] = [];
    for (const part of s.split(',')) {
      const parsed = this.item.parseEnv(part.trim());
      if (!parsed.ok) return { ok: false, expected: `${expected} (an item is not ${parsed.expected})` };
      out.push(parsed.value);
    }
    return { ok: true, value: out };
  }
}

function parseJsonObject(raw: string): EnvParse {
  try {
    const v: unknown = JSON.parse(raw);
    if (isTable(v)) return { ok: true, value: v };
  } catch {
    // reported below
  }
  return { ok: false, expected: 'a JSON object (TOML key names)' };
}

export interface RecordOptions<V> extends FieldOptions<Record<string, V>> {
  /** Constraint on the table's keys, e.g. /^[A-Z0-9]+$/ for symbols. */
  readonly keyPattern?: RegExp;
  readonly keyText?: string;
}

/** A table with free-form keys (kept verbatim, e.g. symbols) and values of one schema. */
export class RecordField<V> extends Field<Record<string, V>> {
  readonly kind = 'record';
  constructor(
    readonly value: Field<V>,
    private readonly options: RecordOptions<V> = {},
  ) {
    super(options);
  }
  typeName(): string {
    return `table of ${this.value.kind === 'object' ? 'tables' : this.value.typeName()}`;
  }
  override defaultText(): string {
    return this.hasDefault ? JSON.stringify(this.defaultValue) : '{}';
  }
  override rangeText(): string {
    const { keyPattern, keyText } = this.options;
    return keyPattern ? `keys: ${keyText ?? String(keyPattern)}` : '';
  }
  // An absent table is empty unless a default says otherwise: per-key overrides are optional by nature.
  override decode(value: unknown, path: string, ctx: DecodeContext): Record<string, V> | Invalid {
    if (value === undefined && !this.hasDefault) return {};
    return super.decode(value, path, ctx);
  }
  protected decodePresent(value: unknown, path: string, ctx: DecodeContext): Record<string, V> | Invalid {
    if (!isTable(value)) return ctx.mismatch(path, 'table', describeValue(value));
    const out: Record<string, V> = {};
    let ok = true;
    for (const [key, item] of Object.entries(value)) {
      const at = childPath(path, key);
      const { keyPattern, keyText } = this.options;
      if (keyPattern && !keyPattern.test(key)) {
        ctx.mismatch(at, `a key that is ${keyText ?? `matching ${String(keyPattern)}`}`, `key ${JSON.stringify(key)}`);
        ok = false;
        continue;
      }
      const decoded = this.value.decode(item, at, ctx);
      if (decoded === INVALID) ok = false;
      // defineProperty: a key named `__proto__` must stay a plain entry, not replace the prototype.
      else Object.defineProperty(out, key, { value: decoded, enumerable: true, writable: true, configurable: true });
    }
    return ok ? out : INVALID;
  }
  parseEnv(raw: string): EnvParse {
    return parseJsonObject(raw);
  }
}

export type Shape = Readonly<Record<string, Field<unknown>>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type InferShape<S extends Shape> = Simplify<{ readonly [K in keyof S]: Infer<S[K]> }>;

export interface ObjectOptions {
  readonly doc?: string;
}

export interface ObjectEntry {
  readonly prop: string;
  readonly tomlKey: string;
  readonly field: Field<unknown>;
}

const PROP_NAME = /^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]+)*(?:[A-Z])?$/;

/** camelCase property → kebab-case TOML key (`depthSpeedMs` → `depth-speed-ms`). */
export function tomlKeyOf(prop: string): string {
  return prop.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`);
}

/** A TOML table with fixed keys; unknown keys are rejected with a "did you mean". */
export class ObjectField<S extends Shape> extends Field<InferShape<S>> {
  readonly kind = 'object';
  readonly entries: readonly ObjectEntry[];
  private readonly byTomlKey: ReadonlyMap<string, ObjectEntry>;

  constructor(
    readonly shape: S,
    options: ObjectOptions = {},
  ) {
    super(options);
    this.entries = Object.entries(shape).map(([prop, field]) => {
      // Acronyms as words (`wsUrl`, not `wsURL`) keep the kebab mapping reversible.
      if (!PROP_NAME.test(prop)) throw new Error(`schema property "${prop}" must be camelCase with acronyms as words`);
      return { prop, tomlKey: tomlKeyOf(prop), field };
    });
    this.byTomlKey = new Map(this.entries.map((e) => [e.tomlKey, e]));
  }
  typeName(): string {
    return 'table';
  }
  override defaultText(): string {
    return '';
  }
  entry(tomlKey: string): ObjectEntry | undefined {
    return this.byTomlKey.get(tomlKey);
  }
  override decode(value: unknown, path: string, ctx: DecodeContext): InferShape<S> | Invalid {
    return this.decodePresent(value === undefined ? {} : value, path, ctx);
  }
  protected decodePresent(value: unknown, path: string, ctx: DecodeContext): InferShape<S> | Invalid {
    if (!isTable(value)) return ctx.mismatch(path, 'table', describeValue(value));
    let ok = true;
    for (const key of Object.keys(value)) {
      if (this.byTomlKey.has(key)) continue;
      const hint = didYouMean(key, this.byTomlKey.keys());
      ctx.report(childPath(path, key), 'unknown key', { ...(hint === undefined ? {} : { hint }) });
      ok = false;
    }
    const out: Record<string, unknown> = {};
    for (const { prop, tomlKey, field } of this.entries) {
      const decoded = field.decode(value[tomlKey], childPath(path, tomlKey), ctx);
      if (decoded === INVALID) ok = false;
      else out[prop] = decoded;
    }
    // Every property of the shape was decoded above, so `out` has exactly the inferred type.
    return ok ? (out as InferShape<S>) : INVALID;
  }
  parseEnv(raw: string): EnvParse {
    return parseJsonObject(raw);
  }
}

/** `T | undefined`: absent (or an empty environment variable) means undefined unless the inner field has a default. */
export class OptionalField<T> extends Field<T | undefined> {
  readonly kind = 'optional';
  constructor(readonly inner: Field<T>) {
    super({ env: inner.env, doc: inner.doc });
  }
  typeName(): string {
    return this.inner.typeName();
  }
  override rangeText(): string {
    return this.inner.rangeText();
  }
  override defaultText(): string {
    return this.inner.hasDefault ? this.inner.defaultText() : '(none)';
  }
  override decode(value: unknown, path: string, ctx: DecodeContext): T | undefined | Invalid {
    if (value === undefined && !this.inner.hasDefault) return undefined;
    return this.inner.decode(value, path, ctx);
  }
  protected decodePresent(value: unknown, path: string, ctx: DecodeContext): T | undefined | Invalid {
    return this.inner.decode(value, path, ctx);
  }
  parseEnv(raw: string): EnvParse {
    return raw.trim() === '' ? { ok: true, value: undefined } : this.inner.parseEnv(raw);
  }
}
