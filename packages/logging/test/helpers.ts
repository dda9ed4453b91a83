import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

export function tempLogDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mm-logging-test-'));
  dirs.push(dir);
  return dir;
}

export interface LogLine {
  readonly level: string;
  readonly time: number;
  readonly service: string;
  readonly msg: string;
  readonly [key: string]: unknown;
}

/** Parsed JSON lines of a file ([] if absent); throws on a partial or non-JSON line. */
export function readLines(file: string): LogLine[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  if (text === '') return [];
  if (!text.endsWith('\n')) throw new Error(`${file} ends with a partial line`);
  return text.slice(0, -1).split('\n').map((l) => JSON.parse(l) as LogLine);
}

/** A controllable clock for the logger. */
export class TestClock {
  constructor(public ms: number) {}
  epochMs(): number {
    return this.ms;
  }
}
