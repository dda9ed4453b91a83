import type { ConfigIssue } from './ConfigIssue.js';

/** Returned by a field's decoder when the value was rejected (the issue is already recorded). */
export const INVALID: unique symbol = Symbol('invalid');
export type Invalid = typeof INVALID;

/** Collects issues while a merged TOML/environment tree is decoded against a schema. */
export class DecodeContext {
  readonly issues: ConfigIssue[] = [];

  /**
   * @param file the configuration file the schema belongs to (named in every issue)
   * @param envSources TOML key path → environment variable that supplied the value at that path
   */
  constructor(
    readonly file: string,
    private readonly envSources: ReadonlyMap<string, string> = new Map(),
  ) {}

  /** The variable that supplied `path` or one of its ancestors (a JSON object variable covers its children). */
  envVarFor(path: string): string | undefined {
    let p = path;
    for (;;) {
      const v = this.envSources.get(p);
      if (v !== undefined) return v;
      const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      if (cut <= 0) return undefined;
      p = p.slice(0, cut);
    }
  }

  report(path: string, message: string, extra: { expected?: string; found?: string; hint?: string } = {}): Invalid {
    const envVar = this.envVarFor(path);
    this.issues.push({ file: this.file, path, message, ...(envVar === undefined ? {} : { envVar }), ...extra });
    return INVALID;
  }

  /** `expected X, found Y` with both parts kept for programmatic use. */
  mismatch(path: string, expected: string, found: string): Invalid {
    return this.report(path, `expected ${expected}, found ${found}`, { expected, found });
  }
}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/** TOML-style key path: bare keys joined by `.`, other keys quoted, array elements as `[i]`. */
export function childPath(parent: string, key: string): string {
  const k = BARE_KEY.test(key) ? key : JSON.stringify(key);
  return parent === '' ? k : `${parent}.${k}`;
}

export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}

/** A short description of a raw TOML/JSON value for `found ...` (strings are quoted and truncated). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const s = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return `string ${JSON.stringify(s)}`;
  }
  if (typeof value === 'bigint') return `integer ${value}`;
  if (typeof value === 'number') return Number.isInteger(value) ? `integer ${value}` : `float ${value}`;
  if (typeof value === 'boolean') return `boolean ${value}`;
  if (value instanceof Date) return `datetime ${value.toISOString()}`;
  if (Array.isArray(value)) return `array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') return 'table';
  return typeof value;
}

export function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
