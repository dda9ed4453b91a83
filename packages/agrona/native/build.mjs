#!/usr/bin/env node
// Builds the mmap addon with node-gyp against the headers of the Node that runs this script, so nothing is
// downloaded (node-gyp otherwise fetches headers from nodejs.org). Falls back to a direct `cc` call, which is
// all an N-API addon needs on Linux, when no node-gyp is installed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = resolve(here, '..');

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

const dir = nodeDir();
const gyp = findNodeGyp();
let ok = false;
if (gyp) {
  const r = spawnSync(process.execPath, [gyp, 'rebuild', `--nodedir=${dir}`, '--directory', here], { stdio: 'inherit' });
  ok = r.status === 0;
  if (!ok) console.error('node-gyp failed; trying a direct cc build');
}
if (!ok) {
  const out = join(here, 'build', 'Release');
  mkdirSync(out, { recursive: true });
  const cc = process.env.CC || 'cc';
  const r = spawnSync(cc, ['-O2', '-Wall', '-shared', '-fPIC', `-I${join(dir, 'include', 'node')}`,
    '-DNODE_GYP_MODULE_NAME=mm_mmap', join(here, 'mmap.c'), '-o', join(out, 'mm_mmap.node')], { stdio: 'inherit' });
  if (r.status !== 0) { console.error(`building the mmap addon failed (${cc})`); process.exit(1); }
}
