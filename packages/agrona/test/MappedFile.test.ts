import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MappedFile } from '../src/MappedFile.js';

const dir = mkdtempSync(join(tmpdir(), 'mm-mapped-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('MappedFile', () => {
  it('creates and sizes a file whose writes reach the file', () => {
    const path = join(dir, 'a.dat');
    const f = MappedFile.create(path, 8192);
    expect(f.length).toBe(8192);
    f.buffer.putInt32(100, 0x12345678);
    f.buffer.putInt64Ordered(4096, 42);
    f.close();
    const bytes = readFileSync(path);
    expect(bytes.length).toBe(8192);
    expect(bytes.readInt32LE(100)).toBe(0x12345678);
    expect(bytes.readBigInt64LE(4096)).toBe(42n);
  });

  it('maps an existing file read-write and sees another mapping of it', () => {
    const path = join(dir, 'b.dat');
    writeFileSync(path, Buffer.alloc(4096));
    const a = MappedFile.map(path);
    const b = MappedFile.map(path);
    a.buffer.putInt32Ordered(8, 7);
    expect(b.buffer.getInt32Volatile(8)).toBe(7);
    expect(a.buffer.getAndAddInt32(8, 5)).toBe(7);
    expect(b.buffer.compareAndSetInt64BigInt(16, 0n, 1n << 60n)).toBe(true);
    expect(a.buffer.getInt64VolatileBigInt(16)).toBe(1n << 60n);
    expect(Atomics.add(b.buffer.i64, 2, 1n)).toBe(1n << 60n);
    expect(a.buffer.getInt64BigInt(16)).toBe((1n << 60n) + 1n);
    a.close();
    b.close();
  });

  it('maps read-only', () => {
    const path = join(dir, 'c.dat');
    const buf = Buffer.alloc(4096);
    buf.writeInt32LE(99, 12);
    writeFileSync(path, buf);
    const f = MappedFile.map(path, { readOnly: true });
    expect(f.readOnly).toBe(true);
    expect(f.buffer.getInt32Volatile(12)).toBe(99);
    f.close();
  });

  it('detaches every view on close so stale views cannot touch the unmapped memory', () => {
    const f = MappedFile.create(join(dir, 'd.dat'), 4096);
    const view = f.buffer.i32;
    f.close();
    expect(f.isOpen).toBe(false);
    expect(view.length).toBe(0);
    expect(f.buffer.bytes.byteLength).toBe(0);
    expect(view[0]).toBeUndefined();
    f.close();
    // Mapping again after unmapping (the address may be reused) must work.
    for (let i = 0; i < 50; i++) MappedFile.create(join(dir, 'd.dat'), 4096).close();
  });

  it('names the path when it cannot map', () => {
    expect(() => MappedFile.map(join(dir, 'missing.dat'))).toThrow(/missing\.dat/);
    writeFileSync(join(dir, 'empty.dat'), '');
    expect(() => MappedFile.map(join(dir, 'empty.dat'))).toThrow(/empty/);
    expect(() => MappedFile.create(join(dir, 'x.dat'), 0)).toThrow(/positive/);
  });
});
