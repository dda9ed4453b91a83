/**
 * Environment overrides. Two kinds, applied in this order on top of the file (later wins):
 *   1. generic: `MM_<NAME>__<PATH>` for every key, NAME = service/file name upper-cased with `-` → `_`, PATH = the
 *      TOML key path with segments joined by `__`, each segment upper-cased with `-` → `_`
 *      (`binance.depth-speed-ms` → `MM_COLLECTOR__BINANCE__DEPTH_SPEED_MS`);
 *   2. established: the `env` name declared on a field (`ENGINE_TCP_PORT`, `AERON_DIR`, `LOG_LEVEL`).
 * Generic variables are applied shallow paths first, so a JSON table variable can be refined by deeper ones.
 *
 * Limits: a record's entries are addressed by key (`MM_STRATEGY__SYMBOLS__BTCUSDT__SPREAD_BPS`; the segment
 * matches an existing key ignoring case and `-`/`_`, otherwise it becomes the key verbatim); arrays are replaced
 * whole (JSON array or comma list). `env` options on fields inside arrays or records are not consulted.
 */
import type { ConfigIssue } from './ConfigIssue.js';
import { childPath, isTable } from './DecodeContext.js';
import { didYouMean } from './didYouMean.js';
import { ObjectField, OptionalField, RecordField, type Field, type Shape } from './fields.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** `matching-engine` → `MM_MATCHING_ENGINE__`. */
export function envPrefix(name: string): string {
  return `MM_${envSegment(name)}__`;
}

/** `depth-speed-ms` → `DEPTH_SPEED_MS`. */
export function envSegment(key: string): string {
  return key.toUpperCase().replace(/-/g, '_');
}

export interface EnvOverride {
  readonly variable: string;
  /** TOML keys from the root. */
  readonly keys: readonly string[];
  readonly value: unknown;
}

function unwrap(field: Field<unknown>): Field<unknown> {
  return field instanceof OptionalField ? (field.inner as Field<unknown>) : field;
}

/** Generic variable names for every key reachable through tables (records and arrays end the walk). */
export function genericEnvNames(schema: ObjectField<Shape>, prefix: string): string[] {
  const names: string[] = [];
  const walk = (field: Field<unknown>, base: string): void => {
    const f = unwrap(field);
    if (!(f instanceof ObjectField)) return;
    for (const e of f.entries) {
      const name = base === '' ? envSegment(e.tomlKey) : `${base}__${envSegment(e.tomlKey)}`;
      names.push(prefix + name);
      walk(e.field, name);
    }
  };
  walk(schema, '');
  return names;
}

function sameKey(a: string, b: string): boolean {
  return envSegment(a) === envSegment(b);
}

/** Maps a generic variable's segments to a field and TOML keys, or undefined if no such key exists. */
function resolve(root: ObjectField<Shape>, segments: readonly string[], tree: unknown): { field: Field<unknown>; keys: string[] } | undefined {
  let field: Field<unknown> = root;
  let node: unknown = tree;
  const keys: string[] = [];
  for (const seg of segments) {
    if (seg === '') return undefined;
    const f = unwrap(field);
    let key: string;
    if (f instanceof ObjectField) {
      const entry = f.entries.find((e) => envSegment(e.tomlKey) === seg);
      if (entry === undefined) return undefined;
      key = entry.tomlKey;
      field = entry.field;
    } else if (f instanceof RecordField) {
      key = (isTable(node) ? Object.keys(node).find((k) => sameKey(k, seg)) : undefined) ?? seg;
      field = f.value;
    } else {
      return undefined;
    }
    keys.push(key);
    node = isTable(node) ? node[key] : undefined;
  }
  return { field, keys };
}

/** Established (`env:`) fields reachable through tables. */
function establishedFields(schema: ObjectField<Shape>): Array<{ variable: string; field: Field<unknown>; keys: string[] }> {
  const out: Array<{ variable: string; field: Field<unknown>; keys: string[] }> = [];
  const walk = (field: Field<unknown>, keys: string[]): void => {
    const f = unwrap(field);
    if (!(f instanceof ObjectField)) return;
    for (const e of f.entries) {
      const k = [...keys, e.tomlKey];
      if (e.field.env !== undefined) out.push({ variable: e.field.env, field: e.field, keys: k });
      walk(e.field, k);
    }
  };
  walk(schema, []);
  return out;
}

export function pathOf(keys: readonly string[]): string {
  return keys.reduce<string>((p, k) => childPath(p, k), '');
}

/**
 * Parses every relevant variable. Returns overrides in application order (generic shallow→deep, then established)
 * and records an issue for each unknown or unparsable variable.
 */
export function collectEnvOverrides(
  schema: ObjectField<Shape>,
  prefix: string | undefined,
  env: Env,
  tree: unknown,
  file: string,
  issues: ConfigIssue[],
): EnvOverride[] {
  const generic: Array<EnvOverride & { depth: number }> = [];
  let known: string[] | undefined;
  for (const variable of Object.keys(env).sort()) {
    if (prefix === undefined || !variable.startsWith(prefix)) continue;
    const raw = env[variable];
    if (raw === undefined) continue;
    const segments = variable.slice(prefix.length).split('__');
    const target = resolve(schema, segments, tree);
    if (target === undefined) {
      known ??= genericEnvNames(schema, prefix);
      const hint = didYouMean(variable, known);
      issues.push({ file, envVar: variable, path: '', message: 'unknown variable: no configuration key has this name', ...(hint === undefined ? {} : { hint }) });
      continue;
    }
    const parsed = target.field.parseEnv(raw);
    if (!parsed.ok) {
      issues.push({ file, envVar: variable, path: pathOf(target.keys), message: `expected ${parsed.expected}, found ${JSON.stringify(raw)}`, expected: parsed.expected, found: JSON.stringify(raw) });
      continue;
    }
    generic.push({ variable, keys: target.keys, value: parsed.value, depth: target.keys.length });
  }
  generic.sort((a, b) => a.depth - b.depth);

  const established: EnvOverride[] = [];
  for (const { variable, field, keys } of establishedFields(schema)) {
    const raw = env[variable];
    if (raw === undefined) continue;
    const parsed = field.parseEnv(raw);
    if (!parsed.ok) {
      issues.push({ file, envVar: variable, path: pathOf(keys), message: `expected ${parsed.expected}, found ${JSON.stringify(raw)}`, expected: parsed.expected, found: JSON.stringify(raw) });
      continue;
    }
    established.push({ variable, keys, value: parsed.value });
  }
  return [...generic.map(({ variable, keys, value }) => ({ variable, keys, value })), ...established];
}

/** Writes `value` at `keys`, creating (or replacing non-table) intermediate tables. */
export function setPath(tree: Record<string, unknown>, keys: readonly string[], value: unknown): void {
  let node = tree;
  for (let i = 0; i < keys.length - 1; i++) {
    const k = keys[i]!;
    const next = node[k];
    if (isTable(next)) {
      node = next;
    } else {
      const created: Record<string, unknown> = {};
      node[k] = created;
      node = created;
    }
  }
  node[keys[keys.length - 1]!] = value;
}
