import { spawn, type ChildProcess } from 'node:child_process';
import { waitFor } from './waitFor.js';

export interface SpawnOptions {
  readonly env?: Record<string, string | undefined>;
  readonly cwd?: string;
  readonly args?: readonly string[];
  readonly nodeArgs?: readonly string[];
  /** Prefix for echoing the child's output to the test's stderr (undefined = silent unless MM_TEST_VERBOSE). */
  readonly name?: string;
}

const live = new Set<ChildProcessHandle>();

/**
 * A child Node process for process tests: keeps every stdout/stderr line, waits for lines or exit with deadlines,
 * and is killed by `killAll()` (call it in afterEach) so no test leaves processes behind.
 */
export class ChildProcessHandle {
  readonly child: ChildProcess;
  readonly lines: string[] = [];
  readonly stderrLines: string[] = [];
  exitCode: number | null = null;
  signal: NodeJS.Signals | null = null;
  private exited = false;

  constructor(script: string, options: SpawnOptions = {}) {
    const verbose = process.env.MM_TEST_VERBOSE === '1';
    this.child = spawn(process.execPath, [...(options.nodeArgs ?? []), script, ...(options.args ?? [])], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const name = options.name ?? script.split('/').slice(-3, -2)[0] ?? 'child';
    const collect = (into: string[]) => {
      let rest = '';
      return (chunk: Buffer): void => {
        const text = rest + chunk.toString('utf8');
        const parts = text.split('\n');
        rest = parts.pop() ?? '';
        for (const line of parts) {
          into.push(line);
          if (verbose) process.stderr.write(`[${name}] ${line}\n`);
        }
      };
    };
    this.child.stdout!.on('data', collect(this.lines));
    this.child.stderr!.on('data', collect(this.stderrLines));
    this.child.on('exit', (code, signal) => {
      this.exitCode = code;
      this.signal = signal;
      this.exited = true;
      live.delete(this);
    });
    live.add(this);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get hasExited(): boolean {
    return this.exited;
  }

  /** All output so far (stdout then stderr), for assertion messages. */
  output(): string {
    return [...this.lines, ...this.stderrLines].join('\n');
  }

  async waitForLine(pattern: RegExp, timeoutMs = 10_000, from = 0): Promise<string> {
    return waitFor(
      () => {
        for (let i = from; i < this.lines.length; i++) if (pattern.test(this.lines[i]!)) return this.lines[i]!;
        for (const l of this.stderrLines) if (pattern.test(l)) return l;
        if (this.exited) throw new Error(`process exited (${this.exitCode ?? this.signal}) before printing ${pattern}:\n${this.output()}`);
        return undefined;
      },
      { timeoutMs, what: `a line matching ${pattern}` },
    );
  }

  /** Parses JSON lines of stdout and returns the first object matching `predicate`. */
  async waitForJson<T = Record<string, unknown>>(predicate: (o: Record<string, unknown>) => boolean, timeoutMs = 10_000): Promise<T> {
    return waitFor(
      () => {
        for (const line of this.lines) {
          if (!line.startsWith('{')) continue;
          try {
            const o = JSON.parse(line) as Record<string, unknown>;
            if (predicate(o)) return o as T;
          } catch {
            /* not JSON */
          }
        }
        if (this.exited) throw new Error(`process exited (${this.exitCode ?? this.signal}):\n${this.output()}`);
        return undefined;
      },
      { timeoutMs, what: 'a matching JSON log line' },
    );
  }

  async waitForExit(timeoutMs = 10_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    await waitFor(() => this.exited, { timeoutMs, what: `exit of pid ${this.pid}` });
    return { code: this.exitCode, signal: this.signal };
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (!this.exited) this.child.kill(signal);
  }
}

export function spawnNode(script: string, options: SpawnOptions = {}): ChildProcessHandle {
  return new ChildProcessHandle(script, options);
}

/** Kills every child still running (SIGKILL) and waits for them to go. */
export async function killAll(): Promise<void> {
  const handles = [...live];
  for (const h of handles) h.kill('SIGKILL');
  await Promise.all(handles.map((h) => h.waitForExit(5_000).catch(() => undefined)));
}

/** Whether a process with this pid exists (signal 0). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
