/**
 * Where configuration and logs live when nothing says otherwise: `<repo>/config` and `<repo>/logs`, the repo root
 * being the nearest ancestor of the working directory holding `pnpm-workspace.yaml` (falling back to the working
 * directory itself, e.g. in a container where only the service is installed).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Env } from './envOverrides.js';

export function findRepoRoot(cwd: string = process.cwd()): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** `MM_CONFIG_DIR` (relative to cwd) or `<repo>/config`. */
export function resolveConfigDir(env: Env = process.env, cwd: string = process.cwd()): string {
  const fromEnv = env['MM_CONFIG_DIR'];
  if (fromEnv !== undefined && fromEnv !== '') return resolve(cwd, fromEnv);
  return join(findRepoRoot(cwd) ?? resolve(cwd), 'config');
}

/** `MM_LOG_DIR` (relative to cwd) or `<repo>/logs`. */
export function resolveLogDir(env: Env = process.env, cwd: string = process.cwd()): string {
  const fromEnv = env['MM_LOG_DIR'];
  if (fromEnv !== undefined && fromEnv !== '') return resolve(cwd, fromEnv);
  return join(findRepoRoot(cwd) ?? resolve(cwd), 'logs');
}
