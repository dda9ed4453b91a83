import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AtomicBuffer } from '@mm/agrona';
import { Journal, type JournalOptions } from '../src/Journal.js';
import { JournalError } from '../src/JournalError.js';
import { FILE_HEADER_LENGTH, RECORD_HEADER_LENGTH } from '../src/JournalFormat.js';
import { readJournal } from '../src/JournalReader.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempPath(): string {
  const d = mkdtempSync(join(tmpdir(), 'mm-journal-'));
  dirs.push(d);
  return join(d, 'sub', 'test.journal');
}

const OPTIONS: JournalOptions = { kind: 7, maxRecordLength: 256, fsync: { mode: 'every-record' } };

/** Record i: (i % 50) + 1 bytes, each (i * 31 + j) & 0xff, so lengths and contents differ. */
function payload(i: number): AtomicBuffer {
  const n = (i % 50) + 1;
  const b = AtomicBuffer.allocate(n);
  for (let j = 0; j < n; j++) b.putUint8(j, (i * 31 + j) & 0xff);
  return b;
}

function writeRecords(path: string, count: number, options: JournalOptions = OPTIONS): number[] {
  const j = Journal.open(path, options);
  const ends: number[] = [];
  for (let i = 0; i < count; i++) {
    const p = payload(i);
    j.append(p, 0, p.capacity);
    ends.push(j.size);
  }
  j.close();
  return ends;
}

function collect(path: string, options: JournalOptions = OPTIONS): { journal: Journal; records: number[][] } {
  const records: number[][] = [];
  const journal = Journal.open(path, options, (buf, off, len) => records.push(Array.from(buf.bytes.subarray(off, off + len))));
  return { journal, records };
}

const expected = (count: number): number[][] => Array.from({ length: count }, (_, i) => Array.from(payload(i).bytes));

describe('Journal', () => {
  it('creates a file with only the header and recovers nothing from it', () => {
    const path = tempPath();
    const { journal, records } = collect(path);
    expect(journal.recovery).toMatchObject({ created: true, records: 0, tail: 'clean', truncatedBytes: 0 });
    journal.close();
    expect(statSync(path).size).toBe(FILE_HEADER_LENGTH);
    expect(records).toEqual([]);
    const again = collect(path);
    expect(again.journal.recovery).toMatchObject({ created: false, records: 0, tail: 'clean', truncatedBytes: 0 });
    again.journal.close();
  });

  it('treats an empty (0-byte) file as new and writes its header', () => {
    const path = tempPath();
    writeRecords(path, 0);
    truncateSync(path, 0);
    const { journal, records } = collect(path);
    expect(journal.recovery).toMatchObject({ created: true, records: 0, truncatedBytes: 0 });
    const p = payload(3);
    journal.append(p, 0, p.capacity);
    journal.close();
    expect(collect(path).records).toEqual([Array.from(p.bytes)]);
  });

  it('appends records and recovers every one, in order, and continues after them', () => {
    const path = tempPath();
    writeRecords(path, 120);
    const { journal, records } = collect(path);
    expect(records).toEqual(expected(120));
    expect(journal.recovery).toMatchObject({ records: 120, tail: 'clean', droppedBytes: 0, truncatedBytes: 0 });
    const p = payload(120);
    journal.append(p, 3, 5);
    journal.close();
    const after = collect(path);
    expect(after.records).toEqual([...expected(120), Array.from(p.bytes.subarray(3, 8))]);
    after.journal.close();
  });

  it('drops only a torn last record, at every byte offset inside it, and appends after the last intact one', () => {
    const path = tempPath();
    const ends = writeRecords(path, 5);
    const full = readFileSync(path);
    const lastStart = ends[3]!;
    const lastEnd = ends[4]!;
    for (let cut = lastStart + 1; cut < lastEnd; cut++) {
      writeFileSync(path, full.subarray(0, cut));
      const { journal, records } = collect(path);
      expect(records, `cut at ${cut}`).toEqual(expected(4));
      expect(journal.recovery.tail, `cut at ${cut}`).toBe('torn');
      expect(journal.recovery.truncatedBytes).toBe(cut - lastStart);
      expect(statSync(path).size).toBe(lastStart);
      const p = payload(99);
      journal.append(p, 0, p.capacity);
      journal.close();
      const again = collect(path);
      expect(again.records).toEqual([...expected(4), Array.from(p.bytes)]);
      expect(again.journal.recovery.tail).toBe('clean');
      again.journal.close();
    }
  });

  it('recovers a torn file header as a new journal', () => {
    const path = tempPath();
    writeRecords(path, 0);
    const header = readFileSync(path);
    for (let cut = 1; cut < FILE_HEADER_LENGTH; cut++) {
      writeFileSync(path, header.subarray(0, cut));
      const { journal, records } = collect(path);
      expect(records).toEqual([]);
      expect(journal.recovery).toMatchObject({ tornHeader: true, truncatedBytes: cut });
      journal.close();
      expect(statSync(path).size).toBe(FILE_HEADER_LENGTH);
    }
  });

  it('detects a CRC mismatch in any byte of the last record (length or payload or checksum) and drops that record', () => {
    const path = tempPath();
    const ends = writeRecords(path, 3);
    const full = readFileSync(path);
    for (let at = ends[1]!; at < ends[2]!; at++) {
      const bad = Buffer.from(full);
      bad[at] ^= 0x10;
      writeFileSync(path, bad);
      const { journal, records } = collect(path);
      expect(records, `flip at ${at}`).toEqual(expected(2));
      expect(journal.recovery.truncatedBytes).toBe(ends[2]! - ends[1]!);
      journal.close();
    }
  });

  it('stops at a corrupt record in the middle, keeps everything before it and reports the dropped bytes', () => {
    const path = tempPath();
    const ends = writeRecords(path, 10);
    const bad = readFileSync(path);
    bad[ends[4]! + RECORD_HEADER_LENGTH] ^= 0xff; // payload byte of record 5
    writeFileSync(path, bad);
    const report = readJournal(path, 7, 256, () => undefined);
    expect(report).toMatchObject({ records: 5, tail: 'corrupt', validBytes: ends[4], droppedBytes: ends[9]! - ends[4]! });
    expect(statSync(path).size).toBe(ends[9]); // reading does not change the file
    const { journal, records } = collect(path);
    expect(records).toEqual(expected(5));
    expect(journal.recovery.detail).toContain('CRC mismatch');
    journal.close();
  });

  it('rejects a length field out of range as corrupt', () => {
    const path = tempPath();
    const ends = writeRecords(path, 2);
    const bad = readFileSync(path);
    bad.writeUInt32LE(100_000, ends[0]!);
    writeFileSync(path, bad);
    const { journal, records } = collect(path);
    expect(records).toEqual(expected(1));
    expect(journal.recovery).toMatchObject({ tail: 'corrupt' });
    expect(journal.recovery.detail).toContain('length 100000');
    journal.close();
  });

  it('refuses a file that is not a journal, or one of another kind, without changing it', () => {
    const path = tempPath();
    writeRecords(path, 1);
    expect(() => Journal.open(path, { ...OPTIONS, kind: 8 })).toThrow(/record kind 7, expected 8/);
    const other = tempPath();
    writeRecords(other, 0);
    writeFileSync(other, 'hello world, not a journal');
    expect(() => Journal.open(other, OPTIONS)).toThrow(JournalError);
    expect(readFileSync(other, 'utf8')).toBe('hello world, not a journal');
  });

  it('rejects records of bad length and bad options with clear errors', () => {
    const path = tempPath();
    const j = Journal.open(path, OPTIONS);
    const big = AtomicBuffer.allocate(300);
    expect(() => j.append(big, 0, 257)).toThrow(/record length 257 outside 1..256/);
    expect(() => j.append(big, 0, 0)).toThrow(/record length 0/);
    j.close();
    expect(() => j.append(big, 0, 1)).toThrow(/closed/);
    expect(() => Journal.open(path, { ...OPTIONS, fsync: { mode: 'batch', maxRecords: 0, maxDelayMs: 1 } })).toThrow(/maxRecords/);
  });

  it('batch policy: fsyncs every maxRecords records, or on maybeSync once the oldest unsynced record is old enough', () => {
    const path = tempPath();
    let now = 1000;
    const j = Journal.open(path, { ...OPTIONS, fsync: { mode: 'batch', maxRecords: 3, maxDelayMs: 50 }, nowMs: () => now });
    const p = payload(1);
    j.append(p, 0, p.capacity);
    j.append(p, 0, p.capacity);
    expect(j.unsyncedRecords).toBe(2);
    j.append(p, 0, p.capacity);
    expect(j.unsyncedRecords).toBe(0);
    j.append(p, 0, p.capacity);
    now += 49;
    expect(j.maybeSync()).toBe(0);
    expect(j.unsyncedRecords).toBe(1);
    now += 1;
    expect(j.maybeSync()).toBe(1);
    expect(j.unsyncedRecords).toBe(0);
    j.close();
    expect(collect(path).records).toHaveLength(4);
  });
});
