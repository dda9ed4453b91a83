import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeTempDirs, tempDir } from '@mm/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { CncFile } from '../../src/CncFile.js';
import { CncMetadata } from '../../src/CncFileDescriptor.js';
import { formatAeronStat } from '../../src/cli/AeronStat.js';
import { parseCliArgs } from '../../src/cli/args.js';
import { formatErrorStat } from '../../src/cli/ErrorStat.js';
import { loadText, loadVector } from '../vectors.js';

afterAll(() => removeTempDirs());

function cncDir(mutate?: (meta: CncMetadata) => void): string {
  const dir = tempDir('aeron-stat-');
  const cnc = loadVector('cnc.with-pub-sub.dat.gz');
  mutate?.(new CncMetadata(cnc));
  writeFileSync(join(dir, 'cnc.dat'), cnc.bytes);
  return dir;
}

describe('aeron-stat formatting', () => {
  it('prints every counter exactly as Aeron 1.47.3 AeronStat did', () => {
    const cnc = CncFile.openReadOnly(cncDir());
    try {
      const expected = loadText('aeronstat.with-pub-sub.txt').trimEnd().split('\n');
      const heartbeat = cnc.driverHeartbeatMs();
      const out = formatAeronStat(cnc, heartbeat + 624).split('\n');
      expect(out.slice(1)).toEqual(expected.slice(1));
      expect(out[0]).toMatch(/- Aeron Stat \(CnC v0\.2\.0\), pid \d+, heartbeat age 624ms$/);
      expect(expected[0]).toContain(out[0]!.split(' - ')[1]!.replace(/pid \d+/, `pid ${cnc.pid()}`));
      expect(formatAeronStat(cnc, heartbeat, '^(pub|sub)-').split('\n').slice(2)).toEqual(expected.slice(-3));
    } finally {
      cnc.close();
    }
  });

  it('prints the distinct error log like ErrorStat', () => {
    const dir = cncDir((meta) => {
      const log = meta.errorLogBuffer();
      const text = Buffer.from('(-1) invalid channel', 'utf8');
      log.putInt32(4, 3);
      log.putInt64(8, Date.UTC(2026, 10, 21, 13, 0, 1));
      log.putInt64(16, Date.UTC(2026, 10, 21, 13, 0, 0));
      log.bytes.set(text, 24);
      log.putInt32(0, 24 + text.length);
    });
    const cnc = CncFile.openReadOnly(dir);
    try {
      expect(formatErrorStat(cnc)).toBe([
        '***',
        '3 observations from 2026-11-21 13:00:00.000+0000 to 2026-11-21 13:00:01.000+0000 for:',
        ' (-1) invalid channel',
        '',
        '1 distinct errors observed.',
      ].join('\n'));
    } finally {
      cnc.close();
    }
  });

  it('parses CLI options and rejects unknown ones', () => {
    expect(parseCliArgs(['-d', '/x', '-w', 'false', '-f', 'sub-pos'], 'u')).toMatchObject({ dir: '/x', watch: false, filter: 'sub-pos' });
    expect(parseCliArgs(['--watch', '-i', '250'], 'u')).toMatchObject({ watch: true, intervalMs: 250 });
    expect(() => parseCliArgs(['--bogus'], 'usage: x')).toThrow(/unknown option --bogus/);
    expect(() => parseCliArgs(['-d'], 'u')).toThrow(/needs a value/);
  });

  it('refuses a directory without a CnC file with a clear message', () => {
    expect(() => CncFile.openReadOnly(tempDir('aeron-empty-'))).toThrow(/no CnC file at .*cnc\.dat/);
  });
});
