/**
 * Builds the raw test client (RawClient + clientProcess) into plain JS for process tests, next to the package's
 * node_modules so `@mm/agrona` resolves to its compiled dist. Uses TypeScript's transpiler (no type check).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const testDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(testDir, '../node_modules/.cache/driver-test-clients');

export function buildClientProcessScript(): string {
  for (const rel of ['support/RawClient.ts', 'fixtures/clientProcess.ts']) {
    const source = readFileSync(join(testDir, rel), 'utf8');
    const out = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
    });
    const target = join(outDir, rel.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, out.outputText);
  }
  writeFileSync(join(outDir, 'package.json'), '{"type":"module"}');
  return join(outDir, 'fixtures/clientProcess.js');
}
