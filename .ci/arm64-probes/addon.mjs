// Runs inside the product image (mounted read-only): the N-API mmap addon is a binary for the arch Node runs on,
// loads, and maps a file read-write then read-only with the values intact. Exits 1 naming what was wrong.
import { readFileSync, rmSync } from 'node:fs';
import { MappedFile } from '/app/packages/agrona/dist/index.js';

const ADDON = '/app/packages/agrona/native/build/Release/mm_mmap.node';
const ELF_MACHINE = { x64: 62, arm64: 183 }; // e_machine: EM_X86_64, EM_AARCH64

function check(ok, what) {
  if (!ok) {
    console.error(`addon check FAILED: ${what}`);
    process.exit(1);
  }
}

const elf = readFileSync(ADDON);
const machine = elf.readUInt16LE(18);
check(elf.readUInt32BE(0) === 0x7f454c46, `${ADDON} is not an ELF file`);
check(machine === ELF_MACHINE[process.arch], `${ADDON} has e_machine ${machine}, Node runs as ${process.arch}`);

const path = `/tmp/mm-addon-check-${process.pid}`;
const length = 64 * 1024;
const stamp = BigInt(Date.now()) * 1000n + BigInt(process.pid);
const rw = MappedFile.create(path, length);
rw.buffer.putInt64BigInt(8, stamp);
rw.buffer.putInt32Ordered(64, 41);
check(rw.buffer.compareAndSetInt32(64, 41, 42), 'compare-and-set on the mapping failed');
rw.close();
const ro = MappedFile.map(path, { readOnly: true });
check(ro.length === length, `mapped length ${ro.length}, expected ${length}`);
check(ro.buffer.getInt64BigInt(8) === stamp, `read ${ro.buffer.getInt64BigInt(8)} back, wrote ${stamp}`);
check(ro.buffer.getInt32Volatile(64) === 42, `read ${ro.buffer.getInt32Volatile(64)} back after CAS, expected 42`);
ro.close();
check(ro.buffer.bytes.length === 0, 'views still usable after close (not unmapped)');
rmSync(path);
console.log(`addon ok: node ${process.version} ${process.arch}, mm_mmap.node e_machine ${machine}, mapped ${length} B (rw, CAS, ro)`);
