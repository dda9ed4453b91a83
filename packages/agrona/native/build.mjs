#!/usr/bin/env node
// Builds the mmap addon with node-gyp against the headers of the Node that runs this script, so nothing is
// downloaded (node-gyp otherwise fetches headers from nodejs.org). Falls back to a direct `cc` call, which is
// all an N-API addon needs on Linux, when no node-gyp is installed.
//
// Concurrency: other processes may be using the addon while a `pnpm install` runs this script, so the build
// happens in a private temporary directory and the finished binary is moved into place with an atomic rename;
// an up-to-date binary is left alone (N-API binaries are ABI-stable across Node versions). MM_FORCE_NATIVE_BUILD=1
// rebuilds anyway.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = resolve(here, '..');
const target = join(here, 'build', 'Release', 'mm_mmap.node');
const sources = ['mmap.c', 'futex.c', 'sched.c', 'binding.gyp'];

function upToDate() {
  if (process.env.MM_FORCE_NATIVE_BUILD === '1' || !existsSync(target)) return false;
  const built = statSync(target).mtimeMs;
  return sources.every((s) => statSync(join(here, s)).mtimeMs <= built);
}

function nodeDir() {
  // <prefix>/bin/node -> <prefix>/include/node/node_api.h ; node-gyp wants <prefix>.
  const candidates = [resolve(dirname(process.execPath), '..'), '/usr', '/usr/local'];
  if (process.env.npm_config_nodedir) candidates.unshift(process.env.npm_config_nodedir);
  for (const c of candidates) if (existsSync(join(c, 'include', 'node', 'node_api.h'))) return c;
  throw new Error(`no Node headers (include/node/node_api.h) under ${candidates.join(', ')}`);
}

function findNodeGyp() {
  const req = createRequire(join(pkg, 'package.json'));
  try { return req.resolve('node-gyp/bin/node-gyp.js'); } catch { /* not a local dependency */ }
  const npmGyp = join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  if (existsSync(npmGyp)) return npmGyp;
  return undefined;
}

if (upToDate()) {
  console.log(`mmap addon up to date: ${target}`);
  process.exit(0);
}

const dir = nodeDir();
const work = mkdtempSync(join(here, '.build-'));
try {
  for (const s of sources) copyFileSync(join(here, s), join(work, s));
  const gyp = findNodeGyp();
  let ok = false;
  if (gyp) {
    const r = spawnSync(process.execPath, [gyp, 'rebuild', `--nodedir=${dir}`, '--directory', work], { stdio: 'inherit' });
    ok = r.status === 0;
    if (!ok) console.error('node-gyp failed; trying a direct cc build');
  }
  if (!ok) {
    mkdirSync(join(work, 'build', 'Release'), { recursive: true });
    const cc = process.env.CC || 'cc';
    const r = spawnSync(cc, ['-O2', '-Wall', '-shared', '-fPIC', `-I${join(dir, 'include', 'node')}`,
      '-DNODE_GYP_MODULE_NAME=mm_mmap', join(work, 'mmap.c'), join(work, 'futex.c'), join(work, 'sched.c'), '-o', join(work, 'build', 'Release', 'mm_mmap.node')], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`building the mmap addon failed (${cc})`);
  }
  mkdirSync(dirname(target), { recursive: true });
  renameSync(join(work, 'build', 'Release', 'mm_mmap.node'), target);
  console.log(`mmap addon built: ${target}`);
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
