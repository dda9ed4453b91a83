import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { ActiveDriverError, CncFile, LOSS_REPORT_FILE } from '../src/CncFile.js';
import { resolveDriverContext } from '../src/DriverContext.js';
import { MediaDriver } from '../src/MediaDriver.js';
import { SYSTEM_COUNTER_LABELS } from '../src/SystemCounters.js';
import { RawClient } from './support/RawClient.js';
import { removeTempDirs, startDriver, tempAeronDir, type Harness } from './support/driverFixture.js';

const VECTORS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/vectors/aeron-1.47.3');

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  removeTempDirs();
});

describe('CncFile', () => {
  it('shouldMatchAeronsDefaultCncLayoutHeaderForHeader', () => {
    const captured = gunzipSync(readFileSync(join(VECTORS, 'cnc.fresh.dat.gz')));
    const ctx = resolveDriverContext({ aeronDir: '/nonexistent' });
    expect(CncFile.fileLength(ctx)).toBe(captured.length);
    const header = new DataView(captured.buffer, captured.byteOffset, 48);
    expect([4, 8, 12, 16, 20].map((o) => header.getInt32(o, true))).toEqual([
      ctx.conductorBufferLength, ctx.clientsBufferLength, ctx.countersBufferLength * 4, ctx.countersBufferLength, ctx.errorBufferLength,
    ]);
    expect(header.getBigInt64(24, true)).toBe(BigInt(ctx.clientLivenessTimeoutNs));
  });

  it('shouldPublishVersionHeartbeatAndSystemCountersLikeAeron', async () => {
    h = startDriver();
    const c = new RawClient(h.dir);
    try {
      const m = c.cnc.buffer;
      expect(m.getInt32Volatile(0)).toBe(0x200);
      expect(m.getInt64(40)).toBe(process.pid);
      expect(Math.abs(m.getInt64(32) - Date.now())).toBeLessThan(10_000);
      expect(Math.abs(c.toDriver.consumerHeartbeatTime() - Date.now())).toBeLessThan(2_000);
      for (let id = 0; id < SYSTEM_COUNTER_LABELS.length; id++) {
        expect(c.counters.getCounterTypeId(id)).toBe(0);
        expect(c.counters.getCounterLabel(id)).toBe(SYSTEM_COUNTER_LABELS[id]);
      }
      // Same labels as the real driver's AeronStat, apart from the version/commit text.
      const aeronStat = readFileSync(join(VECTORS, 'aeronstat.with-pub-sub.txt'), 'utf8');
      for (const id of [0, 14, 19, 20, 24, 35, 39]) {
        expect(aeronStat).toContain(`${String(id).padStart(3)} : `);
        expect(aeronStat).toMatch(new RegExp(`- ${SYSTEM_COUNTER_LABELS[id]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`));
      }
      expect(c.counters.getCounterValue(34)).toBe(77571);
      // The driver took correlation id 0; the client's id is the next one.
      expect(c.clientId).toBe(1);
      expect(existsSync(join(h.dir, 'publications'))).toBe(true);
      // Aeron's LossStat opens loss-report.dat; IPC loses nothing, so the report has no entries (all zeros).
      const lossReport = readFileSync(join(h.dir, LOSS_REPORT_FILE));
      expect(lossReport.length).toBe(1024 * 1024);
      expect(lossReport.every((b) => b === 0)).toBe(true);
    } finally {
      c.close();
    }
  });

  it('shouldRefuseToStartWhenALiveDriverOwnsTheDir', () => {
    h = startDriver();
    expect(() => MediaDriver.launch({ aeronDir: h!.dir })).toThrow(ActiveDriverError);
  });

  it('shouldRefuseWhenTheLiveDriverBeatsBetweenTheNewcomersClockReadAndItsLook', () => {
    h = startDriver();
    // The newcomer read its clock a few ms before the live driver's last heartbeat: a negative age is fresh too.
    expect(() => MediaDriver.launch({ aeronDir: h!.dir, epochClockMs: () => Date.now() - 50 })).toThrow(ActiveDriverError);
  });

  it('shouldReplaceAStaleDirAndHonourDeleteOnStart', async () => {
    const dir = tempAeronDir();
    mkdirSync(join(dir, 'publications'), { recursive: true });
    writeFileSync(join(dir, 'publications', 'junk.logbuffer'), 'x');
    // A dead driver's CnC: heartbeat far in the past.
    const old = MediaDriver.launch({ aeronDir: dir, ipcTermBufferLength: 65536, epochClockMs: () => Date.now() - 60_000 });
    await old.close();
    expect(existsSync(join(dir, 'cnc.dat'))).toBe(true);
    h = startDriver({ aeronDir: dir });
    expect(existsSync(join(dir, 'publications', 'junk.logbuffer'))).toBe(false);
    await h.close();
    // A live one is replaced only with delete-on-start.
    h = startDriver({ aeronDir: dir });
    const second = MediaDriver.launch({ aeronDir: dir, dirDeleteOnStart: true, ipcTermBufferLength: 65536 });
    await second.close();
  });

  it('shouldMarkTheCncAsShutDownAndDeleteTheDirWhenAskedOnClose', async () => {
    const dir = tempAeronDir();
    const driver = MediaDriver.launch({ aeronDir: dir, dirDeleteOnShutdown: true, ipcTermBufferLength: 65536 });
    const c = new RawClient(dir);
    await driver.close();
    expect(c.toDriver.consumerHeartbeatTime()).toBe(-1);
    c.close();
    expect(existsSync(dir)).toBe(false);
  });
});
