// Type-level contract: Aeron's classes satisfy @mm/runtime's Transport interfaces structurally (aeron-client must
// not import runtime, so the check is compiled here rather than in src). Fails if either side drifts.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

describe('runtime Transport shapes', () => {
  it('Aeron, publications, subscription and BufferClaim type-check against @mm/runtime', () => {
    const tsc = createRequire(join(here, '../../../package.json')).resolve('typescript/bin/tsc');
    const run = spawnSync(process.execPath, [tsc, '--noEmit', '--strict', '--module', 'NodeNext', '--moduleResolution', 'NodeNext',
      '--target', 'ES2022', '--skipLibCheck', '--types', 'node', '--verbatimModuleSyntax', '--customConditions', 'source',
      join(here, 'transportShape.check.ts')], { encoding: 'utf8' });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  }, 60_000);
});
