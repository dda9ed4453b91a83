import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Runs the product's processes without Docker: each service a separate child process with prefixed output,
 * restarted with exponential backoff when it exits while the supervisor runs, stopped in reverse start order.
 *
 * The supervisor keeps `<runDir>/supervisor.json` ({ pid, services: { name: pid } }) current, so
 * `mm restart <service>` can SIGTERM one service (which is then started again at once, applying an edited TOML) and
 * `mm stop` can stop everything from another terminal.
 */
export interface ServiceSpec {
  /** Log/compose name, e.g. `mm_collector`. */
  readonly name: string;
  readonly script: string;
  readonly args?: readonly string[];
  readonly env?: Record<string, string>;
  /** Resolved when the started process printed a line matching this (e.g. the driver being ready). */
  readonly ready?: RegExp;
  readonly readyTimeoutMs?: number;
}

export interface SupervisorOptions {
  readonly runDir: string;
  readonly output: (name: string, line: string, stream: 'stdout' | 'stderr') => void;
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** A process that ran this long is considered healthy: its next crash restarts it after the initial backoff. */
  readonly resetAfterMs?: number;
  readonly stopTimeoutMs?: number;
  readonly event?: (name: string, event: string, detail?: Record<string, unknown>) => void;
}

interface Running {
  spec: ServiceSpec;
  child: ChildProcess | undefined;
  restarts: number;
  backoffMs: number;
  startedAt: number;
  timer: NodeJS.Timeout | undefined;
  /** A restart requested by the user: no backoff. */
  immediate: boolean;
  exited: Promise<void>;
  readyLine: ((line: string) => void) | undefined;
}

export class Supervisor {
  private readonly running = new Map<string, Running>();
  private readonly order: string[] = [];
  private stopping = false;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly resetAfterMs: number;

  constructor(private readonly options: SupervisorOptions) {
    this.initialBackoffMs = options.initialBackoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.resetAfterMs = options.resetAfterMs ?? 30_000;
    mkdirSync(options.runDir, { recursive: true });
  }

  /** Starts a service and, if it declares a ready line, resolves with that line once it printed it. */
  async add(spec: ServiceSpec): Promise<string | undefined> {
    if (this.running.has(spec.name)) throw new Error(`service ${spec.name} is already supervised`);
    const r: Running = {
      spec, child: undefined, restarts: 0, backoffMs: this.initialBackoffMs, startedAt: 0, timer: undefined,
      immediate: false, exited: Promise.resolve(), readyLine: undefined,
    };
    this.running.set(spec.name, r);
    this.order.push(spec.name);
    const ready = spec.ready
      ? new Promise<string | undefined>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`${spec.name} did not become ready within ${spec.readyTimeoutMs ?? 15_000} ms`)),
            spec.readyTimeoutMs ?? 15_000,
          );
          r.readyLine = (line) => {
            if (spec.ready!.test(line)) {
              clearTimeout(timer);
              r.readyLine = undefined;
              resolve(line);
            }
          };
        })
      : Promise.resolve(undefined);
    this.launch(r);
    return ready;
  }

  pidOf(name: string): number | undefined {
    return this.running.get(name)?.child?.pid;
  }

  restartsOf(name: string): number {
    return this.running.get(name)?.restarts ?? 0;
  }

  /** SIGTERMs a service; it is started again as soon as it exits. */
  restart(name: string): void {
    const r = this.running.get(name);
    if (!r) throw new Error(`unknown service ${name}; known: ${this.order.join(', ')}`);
    r.immediate = true;
    r.child?.kill('SIGTERM');
  }

  /** Stops every service in reverse start order: SIGTERM, then SIGKILL after the stop timeout. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const timeout = this.options.stopTimeoutMs ?? 10_000;
    for (const name of [...this.order].reverse()) {
      const r = this.running.get(name)!;
      if (r.timer) clearTimeout(r.timer);
      const child = r.child;
      if (!child || child.exitCode !== null || child.signalCode !== null) continue;
      child.kill('SIGTERM');
      const killer = setTimeout(() => {
        this.options.event?.(name, 'kill', { reason: `no exit ${timeout} ms after SIGTERM` });
        child.kill('SIGKILL');
      }, timeout);
      await r.exited;
      clearTimeout(killer);
    }
    this.writeState();
  }

  private launch(r: Running): void {
    const { spec } = r;
    // Each child gets its own process group, so a terminal's Ctrl-C reaches only the supervisor, which then stops
    // the services in reverse order (clients before the driver). MM_PARENT_PID lets a child notice that the
    // supervisor died (kill -9) and stop itself instead of running on as an orphan.
    const child = spawn(process.execPath, [spec.script, ...(spec.args ?? [])], {
      env: { ...process.env, ...spec.env, MM_PARENT_PID: String(process.pid) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    r.child = child;
    r.startedAt = Date.now();
    this.options.event?.(spec.name, 'started', { pid: child.pid, restarts: r.restarts });
    const lines = (stream: 'stdout' | 'stderr') => {
      let rest = '';
      return (chunk: Buffer): void => {
        const parts = (rest + chunk.toString('utf8')).split('\n');
        rest = parts.pop() ?? '';
        for (const line of parts) {
          r.readyLine?.(line);
          this.options.output(spec.name, line, stream);
        }
      };
    };
    child.stdout!.on('data', lines('stdout'));
    child.stderr!.on('data', lines('stderr'));
    r.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.options.event?.(spec.name, 'exited', { code, signal });
        resolve();
        if (!this.stopping) this.scheduleRestart(r, code);
      });
      child.on('error', (error) => {
        this.options.event?.(spec.name, 'spawn-error', { error: error.message });
      });
    });
    this.writeState();
  }

  private scheduleRestart(r: Running, code: number | null): void {
    if (Date.now() - r.startedAt >= this.resetAfterMs) r.backoffMs = this.initialBackoffMs;
    // Exit 78 is a configuration error: restarting cannot fix it, but an edited file can — keep trying slowly.
    const delay = r.immediate ? 0 : code === 78 ? this.maxBackoffMs : r.backoffMs;
    if (!r.immediate) r.backoffMs = Math.min(r.backoffMs * 2, this.maxBackoffMs);
    r.immediate = false;
    r.restarts++;
    this.options.event?.(r.spec.name, 'restarting', { inMs: delay, restarts: r.restarts });
    r.timer = setTimeout(() => {
      r.timer = undefined;
      if (!this.stopping) this.launch(r);
    }, delay);
  }

  private writeState(): void {
    const services: Record<string, number | null> = {};
    for (const [name, r] of this.running) {
      const alive = r.child && r.child.exitCode === null && r.child.signalCode === null;
      services[name] = alive ? (r.child!.pid ?? null) : null;
    }
    const file = join(this.options.runDir, 'supervisor.json');
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ pid: this.stopping ? null : process.pid, services }, null, 2));
    renameSync(tmp, file);
  }
}
