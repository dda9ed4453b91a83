/**
 * A file mapped into memory (MAP_SHARED) through the package's N-API addon, exposed as an `AtomicBuffer`.
 *
 * Invariants and limits:
 * - The mapping is an external, non-shared ArrayBuffer. `Atomics` operations are allowed on typed arrays over
 *   non-shared buffers and, on the same physical pages, they synchronise with other processes exactly like the
 *   C/Java Aeron code (locked instructions on x86-64). A SharedArrayBuffer would only be needed for
 *   `Atomics.wait`, which cannot work across processes anyway.
 * - `close()` unmaps and detaches the ArrayBuffer: every view over it then has length 0, so a stale flyweight
 *   reads `undefined`/throws instead of touching unmapped memory. Closing twice is harmless.
 * - A read-only mapping must never be written: the page is mapped PROT_READ and a write would fault the process.
 *   Only readers (stat tools, `CncFile.openReadOnly`) use it.
 */
import { createRequire } from 'node:module';
import { AtomicBuffer } from './AtomicBuffer.js';

interface MmapAddon {
  map(path: string, readOnly: boolean): ArrayBuffer;
  create(path: string, length: number): ArrayBuffer;
  unmap(buffer: ArrayBuffer): boolean;
  sync(buffer: ArrayBuffer): void;
}

let addon: MmapAddon | undefined;

function loadAddon(): MmapAddon {
  if (addon === undefined) {
    const require = createRequire(import.meta.url);
    try {
      // Same relative path from src/ (tests) and dist/ (compiled).
      addon = require('../native/build/Release/mm_mmap.node') as MmapAddon;
    } catch (e) {
      throw new Error(
        `@mm/agrona: the mmap addon is not built (run \`node native/build.mjs\` in packages/agrona, or pnpm install): ${(e as Error).message}`,
      );
    }
  }
  return addon;
}

export interface MapOptions {
  readonly readOnly?: boolean;
}

export class MappedFile {
  readonly path: string;
  readonly length: number;
  readonly readOnly: boolean;
  /** The whole file; invalid (length 0 views) after `close()`. */
  readonly buffer: AtomicBuffer;
  private readonly arrayBuffer: ArrayBuffer;
  private open = true;

  private constructor(path: string, arrayBuffer: ArrayBuffer, readOnly: boolean) {
    this.path = path;
    this.arrayBuffer = arrayBuffer;
    this.length = arrayBuffer.byteLength;
    this.readOnly = readOnly;
    this.buffer = new AtomicBuffer(arrayBuffer, 0, arrayBuffer.byteLength);
  }

  /** Maps an existing, non-empty file in full. Throws an Error naming the path and the OS reason. */
  static map(path: string, options: MapOptions = {}): MappedFile {
    const readOnly = options.readOnly === true;
    return new MappedFile(path, loadAddon().map(path, readOnly), readOnly);
  }

  /** Creates (or truncates) `path`, sizes it to `length` zero bytes and maps it read-write. */
  static create(path: string, length: number): MappedFile {
    if (!Number.isSafeInteger(length) || length <= 0) throw new RangeError(`mapped file length ${length} must be a positive integer`);
    return new MappedFile(path, loadAddon().create(path, length), false);
  }

  get isOpen(): boolean { return this.open; }

  /** Flushes dirty pages to the file (msync); not needed for inter-process visibility. */
  sync(): void {
    if (this.open) loadAddon().sync(this.arrayBuffer);
  }

  /** Unmaps now (not at garbage collection) and detaches every view. */
  close(): void {
    if (!this.open) return;
    this.open = false;
    loadAddon().unmap(this.arrayBuffer);
  }
}
