import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared vectors live beside the repository: <repo>/../shared. */
export const SHARED_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '..', 'shared');
export const SCENARIO_DIR = join(SHARED_DIR, 'vectors', 'engine-scenarios');

export interface Scenario {
  number: number;
  /** Input lines (no comments, no blanks, no flush). */
  input: string[];
}

/** Splits inputFile.csv into its 16 scenarios at each `F`. */
export function loadScenarios(): Scenario[] {
  const text = readFileSync(join(SCENARIO_DIR, 'inputFile.csv'), 'utf8');
  const out: Scenario[] = [];
  let cur: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line === 'F') {
      out.push({ number: out.length + 1, input: cur });
      cur = [];
    } else cur.push(line);
  }
  return out;
}

/** Expected output of the odd scenarios, keyed by scenario number, lines as field arrays (trimmed). */
export function loadExpected(): Map<number, string[][]> {
  const text = readFileSync(join(SCENARIO_DIR, 'output_file.csv'), 'utf8');
  const map = new Map<number, string[][]>();
  let cur: string[][] | null = null;
  for (const raw of text.split(/\r?\n/)) {
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

/** Our output line → the exercise's format: drop the symbol (second field). */
export function toExerciseFields(line: string): string[] {
  const f = line.split(',').map((x) => x.trim());
  return [f[0], ...f.slice(2)];
}
