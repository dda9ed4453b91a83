/** Tiny argument parser for the CLIs: `-d <dir>`, `--dir <dir>`, `--flag`, `-w true`. Unknown options throw. */
export interface CliArgs {
  readonly dir: string | undefined;
  readonly watch: boolean;
  readonly intervalMs: number;
  readonly filter: string | undefined;
  readonly help: boolean;
}

export function parseCliArgs(argv: readonly string[], usage: string): CliArgs {
  let dir: string | undefined;
  let watch = false;
  let intervalMs = 1000;
  let filter: string | undefined;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value\n${usage}`);
      return v;
    };
    if (a === '-d' || a === '--dir') dir = value();
    else if (a === '-w' || a === '--watch') {
      const next = argv[i + 1];
      if (next === 'true' || next === 'false') { watch = next === 'true'; i++; } else watch = true;
    } else if (a === '-i' || a === '--interval') {
      intervalMs = Number(value());
      if (!Number.isFinite(intervalMs) || intervalMs <= 0) throw new Error(`--interval must be a positive number of ms\n${usage}`);
    } else if (a === '-f' || a === '--filter') filter = value();
    else if (a === '-h' || a === '--help') help = true;
    else throw new Error(`unknown option ${a}\n${usage}`);
  }
  return { dir, watch, intervalMs, filter, help };
}

export function formatTimestamp(epochMs: number): string {
  const iso = new Date(epochMs).toISOString(); // 2026-11-21T13:20:04.003Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}+0000`;
}
