/**
 * A compose project driven from tests through a compose CLI: `docker-compose` (v1) or `docker compose` (v2). Every call has a deadline and returns or throws with the command's output, so a failing
 * system test names the command that failed and what Docker said.
 * Limits: the engine is whatever DOCKER_HOST names (.ci/system starts a private one); the project name isolates
 * containers and volumes, not host ports (CI runs on the host network, so the caller picks free ports).
 */
import { spawn } from 'node:child_process';

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command with a deadline; never throws for a non-zero exit (the caller decides). */
export function run(cmd: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {}): Promise<RunResult> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${cmd}: ${e.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

export async function runOk(cmd: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {}): Promise<string> {
  const r = await run(cmd, args, options);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

export type ComposeCli = 'v1' | 'v2';

export function composeCommand(cli: ComposeCli): readonly [string, ...string[]] {
  return cli === 'v2' ? ['docker', 'compose'] : ['docker-compose'];
}

export type HealthStatus = 'starting' | 'healthy' | 'unhealthy' | 'none' | 'missing';

export class ComposeProject {
  private readonly cli: readonly [string, ...string[]];

  constructor(
    cli: ComposeCli,
    readonly name: string,
    readonly files: readonly string[],
    readonly cwd: string,
    readonly env: NodeJS.ProcessEnv,
  ) {
    this.cli = composeCommand(cli);
  }

  /** `compose -p <name> -f ... <args>`; throws with the output on a non-zero exit. */
  compose(args: readonly string[], timeoutMs = 180_000): Promise<string> {
    const [cmd, ...pre] = this.cli;
    const fileArgs = this.files.flatMap((f) => ['-f', f]);
    return runOk(cmd, [...pre, '-p', this.name, ...fileArgs, ...args], { cwd: this.cwd, env: this.env, timeoutMs });
  }

  /** The service's container id, or undefined when it has none. */
  async containerId(service: string): Promise<string | undefined> {
    const id = (await this.compose(['ps', '-q', service])).trim();
    return id === '' ? undefined : id;
  }

  async health(service: string): Promise<HealthStatus> {
    const id = await this.containerId(service);
    if (id === undefined) return 'missing';
    const out = await runOk('docker', ['inspect', '-f', '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}', id], { env: this.env });
    return out.trim() as HealthStatus;
  }

  /** The output of the service's latest health probe ('' when it has none). */
  async lastProbeOutput(service: string): Promise<string> {
    const id = await this.containerId(service);
    if (id === undefined) return '';
    const out = await run('docker', ['inspect', '-f', '{{with .State.Health}}{{range .Log}}{{.Output}}<<probe-end>>{{end}}{{end}}', id], { env: this.env });
    const probes = out.stdout.split('<<probe-end>>').map((p) => p.trim()).filter((p) => p !== '');
    return probes.at(-1) ?? '';
  }

  /** Runs a command in the service's running container (as the image's user). */
  exec(service: string, command: readonly string[], timeoutMs = 60_000): Promise<RunResult> {
    const [cmd, ...pre] = this.cli;
    const fileArgs = this.files.flatMap((f) => ['-f', f]);
    return run(cmd, [...pre, '-p', this.name, ...fileArgs, 'exec', '-T', service, ...command], { cwd: this.cwd, env: this.env, timeoutMs });
  }

  /** The service's last log lines (for failure messages). */
  async logs(service: string, lines = 40): Promise<string> {
    const [cmd, ...pre] = this.cli;
    const fileArgs = this.files.flatMap((f) => ['-f', f]);
    const r = await run(cmd, [...pre, '-p', this.name, ...fileArgs, 'logs', '--no-color', '--tail', String(lines), service], { cwd: this.cwd, env: this.env, timeoutMs: 30_000 });
    return r.stdout + r.stderr;
  }

  /** Stops and removes containers and volumes; safe to call when nothing runs. */
  async down(): Promise<void> {
    await this.compose(['down', '--volumes', '--remove-orphans', '--timeout', '10']);
  }
}
