import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from '@mm/test-support';

export const SCENARIO_DIR = join(sharedDir(), 'vectors', 'engine-scenarios');

/** The 16 scenarios of inputFile.csv (input lines without comments; each ended by its F). */
export function loadScenarios(): string[][] {
  const out: string[][] = [];
  let cur: string[] = [];
  for (const raw of readFileSync(join(SCENARIO_DIR, 'inputFile.csv'), 'utf8').split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line === 'F') {
      out.push(cur);
      cur = [];
    } else cur.push(line);
  }
  return out;
}

/** Expected output of the odd scenarios (exercise format), as trimmed field arrays. */
export function loadExpected(): Map<number, string[][]> {
  const map = new Map<number, string[][]>();
  let cur: string[][] | null = null;
  for (const raw of readFileSync(join(SCENARIO_DIR, 'output_file.csv'), 'utf8').split(/\r?\n/)) {
    const m = /^#name:\s*scenario\s+(\d+)/.exec(raw);
    if (m) {
      cur = [];
      map.set(Number(m[1]), cur);
      continue;
    }
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || cur === null) continue;
    cur.push(line.split(',').map((f) => f.trim()));
  }
  return map;
}

export function toExerciseFields(line: string): string[] {
  const f = line.split(',').map((x) => x.trim());
  return [f[0], ...f.slice(2)];
}
