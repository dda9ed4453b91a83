/**
 * Loading: built-in defaults < `<configDir>/<name>.toml` < generic `MM_<NAME>__*` variables < established variables
 * (`env:` on a field). All problems (TOML syntax, types, ranges, unknown keys, missing required keys, bad or unknown
 * variables) are collected into one ConfigError. A missing file is not an error: defaults apply, and any required
 * key without a default is reported.
 */
import { readFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseToml } from '@iarna/toml';
import { ConfigError } from './ConfigError.js';
import type { ConfigIssue } from './ConfigIssue.js';
import { DecodeContext, INVALID } from './DecodeContext.js';
import { collectEnvOverrides, envPrefix, pathOf, setPath, type Env } from './envOverrides.js';
import type { InferShape, ObjectField, Shape } from './fields.js';
import { resolveConfigDir } from './repoPaths.js';

/** sysexits.h EX_CONFIG: the service refuses to start on invalid configuration (intended, not a crash). */
export const EXIT_CONFIG = 78;

export interface LoadConfigOptions {
  /** Defaults to `MM_CONFIG_DIR` or `<repo>/config`. */
  readonly configDir?: string;
  /** Defaults to `process.env`. */
  readonly env?: Env;
  /** Explicit file; defaults to `<configDir>/<name>.toml`. */
  readonly file?: string;
}

export interface LoadConfigFileOptions {
  readonly env?: Env;
  /** Prefix of the generic variables, e.g. `MM_COLLECTOR__`; omit to ignore generic variables. */
  readonly envPrefix?: string;
}

interface TomlSyntaxError {
  readonly line: number;
  readonly col: number;
  readonly message: string;
}

function isTomlSyntaxError(e: unknown): e is TomlSyntaxError {
  return e instanceof Error && 'line' in e && 'col' in e && typeof e.line === 'number' && typeof e.col === 'number';
}

/** Reads and parses the file; absent → empty table; unreadable or bad TOML → an issue. */
function readToml(file: string, issues: ConfigIssue[]): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return {};
    issues.push({ file, path: '', message: `cannot read the file (${code ?? String(e)})` });
    return undefined;
  }
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (e) {
    if (isTomlSyntaxError(e)) {
      const first = e.message.split('\n')[0] ?? e.message;
      issues.push({ file, line: e.line + 1, column: e.col + 1, path: '', message: `invalid TOML: ${first.replace(/ at row \d+, col \d+, pos \d+:?$/, '')}` });
    } else {
      issues.push({ file, path: '', message: `invalid TOML: ${e instanceof Error ? e.message : String(e)}` });
    }
    return undefined;
  }
}

/**
 * A value the file sets must be valid even where a variable overrides it now: the variable may go away (a compose
 * file edited, a shell without LOG_LEVEL) and the file would then stop the service at its next start. So the file is
 * also decoded on its own, and its problems at keys a variable masks are reported too. Problems at keys the file
 * does not set (a required key a variable supplies) are not the file's.
 */
function checkMaskedValues(
  file: string, schema: ObjectField<Shape>, tree: Record<string, unknown>, overrides: readonly { keys: readonly string[]; variable: string }[],
  issues: ConfigIssue[],
): void {
  const masked = new Map<string, string>();
  for (const o of overrides) if (hasPath(tree, o.keys)) masked.set(pathOf(o.keys), o.variable);
  if (masked.size === 0) return;
  const ctx = new DecodeContext(file, new Map());
  schema.decode(structuredClone(tree), '', ctx);
  for (const issue of ctx.issues) {
    const variable = masked.get(issue.path);
    if (variable !== undefined) issues.push({ ...issue, message: `${issue.message} (the file's value; ${variable} overrides this key now)` });
  }
}

function hasPath(tree: Record<string, unknown>, keys: readonly string[]): boolean {
  let node: unknown = tree;
  for (const k of keys) {
    if (typeof node !== 'object' || node === null || !Object.prototype.hasOwnProperty.call(node, k)) return false;
    node = (node as Record<string, unknown>)[k];
  }
  return true;
}

/** Loads one TOML file against a schema with environment overrides; throws ConfigError listing every problem. */
export function loadConfigFile<S extends Shape>(file: string, schema: ObjectField<S>, options: LoadConfigFileOptions = {}): InferShape<S> {
  const env = options.env ?? process.env;
  const issues: ConfigIssue[] = [];
  const tree = readToml(file, issues);
  const root: ObjectField<Shape> = schema;
  const overrides = collectEnvOverrides(root, options.envPrefix, env, tree, file, issues);
  // A file that does not parse has no keys to check: report it (and bad variables) rather than a cascade of "missing".
  if (tree === undefined) throw new ConfigError(issues);

  if (overrides.length > 0) checkMaskedValues(file, schema, tree, overrides, issues);
  const envSources = new Map<string, string>();
  for (const o of overrides) {
    setPath(tree, o.keys, o.value);
    envSources.set(pathOf(o.keys), o.variable);
  }
  const ctx = new DecodeContext(file, envSources);
  const config = schema.decode(tree, '', ctx);
  const all = [...issues, ...ctx.issues];
  if (all.length > 0 || config === INVALID) throw new ConfigError(all);
  return config;
}

/**
 * Loads `<configDir>/<name>.toml` with `MM_<NAME>__*` overrides. `name` is the service's config name
 * (`collector`, `matching-engine`) or a shared file (`streams`, `symbols`).
 */
export function loadConfig<S extends Shape>(name: string, schema: ObjectField<S>, options: LoadConfigOptions = {}): InferShape<S> {
  const env = options.env ?? process.env;
  const file = options.file !== undefined ? resolve(options.file) : join(options.configDir ?? resolveConfigDir(env), `${name}.toml`);
  return loadConfigFile(file, schema, { env, envPrefix: envPrefix(name) });
}

/**
 * `loadConfig`, but on ConfigError prints one line per problem to stderr (`[name] config error: ...`) and exits
 * with EXIT_CONFIG (78) before the service does anything else. Other errors propagate (they are bugs).
 */
export function loadConfigOrExit<S extends Shape>(name: string, schema: ObjectField<S>, options: LoadConfigOptions = {}): InferShape<S> {
  try {
    return loadConfig(name, schema, options);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    // Synchronous write: the process exits on the next line and must not lose the explanation.
    writeSync(2, `${e.lines(name).join('\n')}\n`);
    process.exit(EXIT_CONFIG);
  }
}
