import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/** Captured Aeron 1.47.3 artefacts (see /work/shared/vectors/aeron-1.47.3/README.md), located relative to the repo. */
export const VECTORS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/vectors/aeron-1.47.3');

export function readVector(name: string): Uint8Array {
  const raw = readFileSync(resolve(VECTORS_DIR, name));
  const bytes = name.endsWith('.gz') ? gunzipSync(raw) : raw;
  // Copy into an 8-aligned ArrayBuffer so AtomicBuffer views can be built over it.
  const copy = new Uint8Array(new ArrayBuffer((bytes.length + 7) & ~7), 0, bytes.length);
  copy.set(bytes);
  return copy;
}

/** Default CnC layout of the captures: metadata header 128, then to-driver, to-clients, counters metadata/values, errors. */
export const CNC = {
  toDriver: 128,
  toDriverLength: 1_049_344,
  toClients: 128 + 1_049_344,
  toClientsLength: 1_048_704,
  countersMetadata: 128 + 1_049_344 + 1_048_704,
  countersMetadataLength: 4_194_304,
  countersValues: 128 + 1_049_344 + 1_048_704 + 4_194_304,
  countersValuesLength: 1_048_576,
  errorLog: 128 + 1_049_344 + 1_048_704 + 4_194_304 + 1_048_576,
  errorLogLength: 1_048_576,
} as const;
