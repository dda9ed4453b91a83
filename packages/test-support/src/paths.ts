import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the folder holding pnpm-workspace.yaml). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('pnpm-workspace.yaml not found above test-support');
    dir = parent;
  }
  return dir;
}

/** `../shared` beside the clone: test data only, never needed by the product at run time. */
export function sharedDir(): string {
  return resolve(repoRoot(), '..', 'shared');
}

const made: string[] = [];

/** A fresh temporary directory, removed by `removeTempDirs()` (call it in afterAll/afterEach). */
export function tempDir(prefix = 'mm-'): string {
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const dir = mkdtempSync(join(base, prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  while (made.length > 0) rmSync(made.pop()!, { recursive: true, force: true });
}
