/**
 * One problem found while loading configuration. Loading never stops at the first problem: every issue in the file
 * and the environment is collected so an operator fixes them all in one pass.
 *
 * `file` is always the configuration file the schema belongs to (even when the value came from the environment), so
 * the operator knows which service's configuration is wrong; `envVar` names the variable when the value came from it.
 */
export interface ConfigIssue {
  /** The configuration file (absolute or as given), whether or not it exists. */
  readonly file: string;
  /** 1-based position for TOML syntax errors. */
  readonly line?: number;
  readonly column?: number;
  /** Set when the offending value came from an environment variable. */
  readonly envVar?: string;
  /** TOML key path, e.g. `binance.depth-speed-ms` or `symbols.BTCUSDT.tick-size`; empty for the whole file. */
  readonly path: string;
  /** What went wrong, in words (includes expected vs found where that applies). */
  readonly message: string;
  readonly expected?: string;
  readonly found?: string;
  /** A close valid name (`did you mean`) for an unknown key or variable. */
  readonly hint?: string;
}

/** One line per issue, stable enough to grep: `<file>[:line:col] [env VAR] <path>: <message> (did you mean "x"?)`. */
export function formatIssue(issue: ConfigIssue): string {
  let where = issue.file;
  if (issue.line !== undefined) where += `:${issue.line}:${issue.column ?? 1}`;
  if (issue.envVar !== undefined) where += ` (env ${issue.envVar})`;
  const path = issue.path === '' ? '' : ` ${issue.path}:`;
  const hint = issue.hint === undefined ? '' : ` (did you mean "${issue.hint}"?)`;
  return `${where}:${path} ${issue.message}${hint}`;
}
