// Several producer processes write into one ring buffer on a mapped file while this process consumes: every
// record arrives exactly once, in order per producer (the to-driver buffer's contract).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChildProcessHandle, killAll, removeTempDirs, tempDir } from '@mm/test-support';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { MappedFile } from '../src/MappedFile.js';
import { ManyToOneRingBuffer } from '../src/ManyToOneRingBuffer.js';
import { RingBufferDescriptor } from '../src/RingBufferDescriptor.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
afterEach(() => killAll());
afterAll(() => removeTempDirs());

describe('ManyToOneRingBuffer across processes', () => {
  it('delivers every record of three concurrent producer processes exactly once and in order', async () => {
    const path = join(tempDir('ring-'), 'ring.dat');
    writeFileSync(path, Buffer.alloc(4096 + RingBufferDescriptor.TRAILER_LENGTH));
    const file = MappedFile.map(path);
    const ring = new ManyToOneRingBuffer(file.buffer);
    const COUNT = 100_000;
    const producers = [1, 2, 3].map((id) => new ChildProcessHandle(join(fixtures, 'ringProducer.mjs'), { args: [path, String(id), String(COUNT)] }));
    const next = [0, 0, 0, 0];
    let errors = 0;
    const deadline = Date.now() + 60_000;
    while (next[1]! + next[2]! + next[3]! < 3 * COUNT) {
      const n = ring.read((type, buffer, index, length) => {
        const seq = buffer.getInt32(index);
        if (type < 1 || type > 3 || seq !== next[type] || length !== 4 + ((seq * 7) % 41)) errors++;
        next[type] = seq + 1;
      }, 100);
      if (n === 0) {
        if (Date.now() > deadline) throw new Error(`timed out with ${next.join(',')} read`);
        await new Promise((r) => setImmediate(r));
      }
    }
    for (const p of producers) await p.waitForLine(/"done":true/);
    expect(errors).toBe(0);
    expect(next.slice(1)).toEqual([COUNT, COUNT, COUNT]);
    expect(ring.size()).toBe(0);
    file.close();
  });
});
