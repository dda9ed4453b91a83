// Loads the captured Aeron 1.47.3 artifacts (repo/../shared/vectors) for tests; product code never reads them.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { AtomicBuffer } from '@mm/agrona';

export const vectorsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/vectors/aeron-1.47.3');

export function loadVector(name: string): AtomicBuffer {
  const raw = readFileSync(join(vectorsDir, name));
  const bytes = name.endsWith('.gz') ? gunzipSync(raw) : raw;
  const buffer = AtomicBuffer.allocate(bytes.length);
  buffer.bytes.set(bytes);
  return buffer;
}

export function loadText(name: string): string {
  return readFileSync(join(vectorsDir, name), 'utf8');
}
