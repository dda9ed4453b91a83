import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { MappedFile } from '../src/index.js';

/**
 * Call inside a `describe`: a fresh 128-byte mapped file (`bell` in its own temp dir) for each test, unmapped and
 * removed after it. `current()` is the file of the running test; `path()` its path, for a child process to map.
 */
export function useBellFile(): { current(): MappedFile; path(): string } {
  let dir = '';
  let file: MappedFile | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mm-futex-'));
    file = MappedFile.create(join(dir, 'bell'), 128);
  });
  afterEach(() => {
    file?.close();
    file = undefined;
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    current: () => {
      if (file === undefined) throw new Error('useBellFile: no test is running');
      return file;
    },
    path: () => join(dir, 'bell'),
  };
}
