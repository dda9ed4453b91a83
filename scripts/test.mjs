#!/usr/bin/env node
// Runs the default test tier: unit tests, then process tests (serial), and prints one closing line
// "tests: N passed, N failed" summed over both. Extra args are passed to vitest (e.g. a file filter).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const tiers = process.env.MM_TEST_TIERS ? process.env.MM_TEST_TIERS.split(',') : ['unit', 'process'];
const extra = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), 'mm-test-'));
let passed = 0;
let failed = 0;
let exitCode = 0;
for (const tier of tiers) {
  const out = join(dir, `${tier}.json`);
  const started = Date.now();
  const r = spawnSync(
    process.execPath,
    ['node_modules/vitest/vitest.mjs', 'run', '--project', tier, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, '--passWithNoTests', ...extra],
    { stdio: 'inherit' },
  );
  try {
    const report = JSON.parse(readFileSync(out, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests + (report.numRuntimeErrors ?? 0);
    if (!report.success) exitCode = 1;
  } catch {
    console.error(`[test] no report from the ${tier} tier (vitest exit ${r.status})`);
    failed += 1;
  }
  if (r.status !== 0) exitCode = 1;
  console.log(`[test] ${tier} tier took ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
rmSync(dir, { recursive: true, force: true });
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(exitCode);
