import { formatIssue, type ConfigIssue } from './ConfigIssue.js';

/** Thrown by `loadConfig` with every problem found; the message lists them one per line. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(
      `invalid configuration (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((i) => `  ${formatIssue(i)}`).join('\n'),
    );
    this.issues = issues;
  }

  /** The issues as lines prefixed with the service name, as printed by `loadConfigOrExit`. */
  lines(service: string): string[] {
    return this.issues.map((i) => `[${service}] config error: ${formatIssue(i)}`);
  }
}
