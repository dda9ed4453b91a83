/** A small argv parser: `--key value`, `--key=value`, `--flag`, positionals. Unknown flags are an error. */
export interface ParsedArgs {
  readonly positionals: string[];
  readonly flags: Map<string, string | true>;
}

export function parseArgs(argv: readonly string[], known: readonly string[], booleans: readonly string[] = []): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (!known.includes(name) && !booleans.includes(name)) {
      throw new UsageError(`unknown option --${name} (known: ${[...known, ...booleans].map((k) => `--${k}`).join(', ') || 'none'})`);
    }
    if (booleans.includes(name)) {
      flags.set(name, true);
    } else if (eq >= 0) {
      flags.set(name, a.slice(eq + 1));
    } else {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`--${name} needs a value`);
      flags.set(name, v);
    }
  }
  return { positionals, flags };
}

export function intFlag(args: ParsedArgs, name: string, fallback: number): number {
  const v = args.flags.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (v === true || !Number.isInteger(n)) throw new UsageError(`--${name} must be an integer, got ${String(v)}`);
  return n;
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

export class UsageError extends Error {}
