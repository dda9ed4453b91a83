// Writes docs/protocol.md from the compiled codecs' field tables. Run after `npx tsc -b packages/protocol`.
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderProtocolDoc } from '../dist/index.js';

const target = resolve(dirname(fileURLToPath(import.meta.url)), '../../../docs/protocol.md');
writeFileSync(target, renderProtocolDoc());
console.log(`wrote ${target}`);
