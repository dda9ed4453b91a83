import { existsSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/createLogger.js';
import { HOUR_MS, hourStamp } from '../src/hourStamp.js';
import { readLines, tempLogDir, TestClock } from './helpers.js';

const T13 = Date.parse('2026-11-21T13:00:00.000Z');

describe('hourStamp', () => {
  it('names the UTC hour of an instant', () => {
    expect(hourStamp(T13)).toBe('2026-11-21-13');
    expect(hourStamp(T13 + HOUR_MS - 1)).toBe('2026-11-21-13');
    expect(hourStamp(T13 + HOUR_MS)).toBe('2026-11-21-14');
    expect(hourStamp(Date.parse('2026-12-31T23:59:59.999Z'))).toBe('2026-12-31-23');
    expect(hourStamp(Date.parse('2027-01-01T00:00:00.000Z'))).toBe('2027-01-01-00');
  });
});

describe('createLogger: hourly files', () => {
  it('writes JSON lines with level label, time from the clock and the service name', () => {
    const dir = tempLogDir();
    const clock = new TestClock(T13 + 1234);
    const log = createLogger({ service: 'mm_collector', logDir: dir, clock, stdout: false, env: {} });
    log.info({ symbol: 'BTCUSDT' }, 'hello');
    log.flushAndClose();
    const [line, ...rest] = readLines(join(dir, 'mm_collector.log.2026-11-21-13'));
    expect(rest).toEqual([]);
    expect(line).toMatchObject({ level: 'info', time: T13 + 1234, service: 'mm_collector', pid: process.pid, symbol: 'BTCUSDT', msg: 'hello' });
  });

  it('crosses an hour boundary without losing a line or misplacing one', () => {
    const dir = tempLogDir();
    const clock = new TestClock(T13 + HOUR_MS - 3);
    const log = createLogger({ service: 'mm_collector', logDir: dir, clock, stdout: false, env: {} });
    for (let i = 0; i < 7; i++) {
      log.info({ i }, 'tick');
      if (i === 2) clock.ms = T13 + HOUR_MS - 1;
    }
    expect(readlinkSync(join(dir, 'mm_collector.log'))).toBe('mm_collector.log.2026-11-21-13');
    const child = log.child({ component: 'depth' });
    clock.ms = T13 + HOUR_MS; // 14:00:00.000 exactly belongs to hour 14
    for (let i = 7; i < 12; i++) child.info({ i }, 'tick');
    log.flushAndClose();

    const h13 = readLines(join(dir, 'mm_collector.log.2026-11-21-13'));
    const h14 = readLines(join(dir, 'mm_collector.log.2026-11-21-14'));
    expect(h13.map((l) => l['i'])).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(h14.map((l) => l['i'])).toEqual([7, 8, 9, 10, 11]);
    for (const l of h13) expect(hourStamp(l.time)).toBe('2026-11-21-13');
    for (const l of h14) expect(hourStamp(l.time)).toBe('2026-11-21-14');
    expect(h14.every((l) => l['component'] === 'depth')).toBe(true);
    expect(readlinkSync(join(dir, 'mm_collector.log'))).toBe('mm_collector.log.2026-11-21-14');
    expect(readLines(join(dir, 'mm_collector.log'))).toHaveLength(5);
    expect(readdirSync(dir).sort()).toEqual(['mm_collector.log', 'mm_collector.log.2026-11-21-13', 'mm_collector.log.2026-11-21-14']);
  });

  it('flushes buffered lines into the old file at rotation', () => {
    const dir = tempLogDir();
    const clock = new TestClock(T13 + 10);
    const log = createLogger({ service: 'mm_pricing', logDir: dir, clock, stdout: false, bufferBytes: 1 << 20, env: {} });
    for (let i = 0; i < 100; i++) log.info({ i }, 'buffered');
    expect(readLines(join(dir, 'mm_pricing.log.2026-11-21-13'))).toHaveLength(0); // still in the buffer
    clock.ms = T13 + HOUR_MS + 10;
    log.info('next hour');
    expect(readLines(join(dir, 'mm_pricing.log.2026-11-21-13'))).toHaveLength(100);
    log.flushSync();
    expect(readLines(join(dir, 'mm_pricing.log.2026-11-21-14')).map((l) => l.msg)).toEqual(['next hour']);
    log.flushAndClose();
  });

  it('keeps only the newest retainFiles hourly files and leaves other services alone', () => {
    const dir = tempLogDir();
    writeFileSync(join(dir, 'mm_strategy.log.2026-11-20-01'), '');
    writeFileSync(join(dir, 'mm_collector.log.2026-11-20-01'), '{}\n');
    writeFileSync(join(dir, 'mm_collector.log.notes'), 'x');
    const clock = new TestClock(T13);
    const log = createLogger({ service: 'mm_collector', logDir: dir, clock, stdout: false, retainFiles: 3, env: {} });
    for (let h = 0; h < 6; h++) {
      clock.ms = T13 + h * HOUR_MS + 5;
      log.info({ h }, 'hour');
    }
    log.flushAndClose();
    expect(readdirSync(dir).sort()).toEqual([
      'mm_collector.log',
      'mm_collector.log.2026-11-21-16',
      'mm_collector.log.2026-11-21-17',
      'mm_collector.log.2026-11-21-18',
      'mm_collector.log.notes',
      'mm_strategy.log.2026-11-20-01',
    ]);
    expect(readLines(join(dir, 'mm_collector.log.2026-11-21-16')).map((l) => l['h'])).toEqual([3]);
    expect(readlinkSync(join(dir, 'mm_collector.log'))).toBe('mm_collector.log.2026-11-21-18');
  });

  it('appends to the current hour file after a restart', () => {
    const dir = tempLogDir();
    const clock = new TestClock(T13 + 5);
    const a = createLogger({ service: 'matching-engine', logDir: dir, clock, stdout: false, env: {} });
    a.info('first run');
    a.flushAndClose();
    const b = createLogger({ service: 'matching-engine', logDir: dir, clock, stdout: false, env: {} });
    b.info('second run');
    b.flushAndClose();
    expect(readLines(join(dir, 'matching-engine.log.2026-11-21-13')).map((l) => l.msg)).toEqual(['first run', 'second run']);
  });

  it('drops lines after flushAndClose without throwing', () => {
    const dir = tempLogDir();
    const log = createLogger({ service: 'mm_dashboard', logDir: dir, clock: new TestClock(T13), stdout: false, env: {} });
    log.info('kept');
    log.flushAndClose();
    log.flushAndClose();
    expect(() => log.info('dropped')).not.toThrow();
    expect(readLines(join(dir, 'mm_dashboard.log.2026-11-21-13')).map((l) => l.msg)).toEqual(['kept']);
  });

  it('creates the log directory and uses MM_LOG_DIR when no logDir is given', () => {
    const dir = join(tempLogDir(), 'nested', 'logs');
    const log = createLogger({ service: 'aeronmd', clock: new TestClock(T13), stdout: false, env: { MM_LOG_DIR: dir } });
    log.info('x');
    log.flushAndClose();
    expect(log.logDir).toBe(dir);
    expect(existsSync(join(dir, 'aeronmd.log.2026-11-21-13'))).toBe(true);
  });

  it('reports an unwritable directory without throwing', () => {
    const parent = tempLogDir();
    const blocker = join(parent, 'file');
    writeFileSync(blocker, 'not a directory');
    const errors: string[] = [];
    const clock = new TestClock(T13);
    const log = createLogger({ service: 'mm_simulator', logDir: join(blocker, 'logs'), clock, stdout: false, env: {}, onError: (m) => errors.push(m) });
    expect(() => log.info('nowhere to go')).not.toThrow();
    expect(() => log.info('still nowhere')).not.toThrow();
    expect(errors).toHaveLength(1); // once per hour, not per line
    expect(errors[0]).toMatch(/^\[mm_simulator\] logging: cannot open .*mm_simulator\.log\.2026-11-21-13: /);
    clock.ms = T13 + HOUR_MS;
    log.info('next hour');
    expect(errors).toHaveLength(2);
    log.flushAndClose();
  });
});

describe('createLogger: level', () => {
  const levels = (env: Record<string, string>, level?: 'warn' | 'debug'): string[] => {
    const dir = tempLogDir();
    const log = createLogger({ service: 'mm_strategy', logDir: dir, clock: new TestClock(T13), stdout: false, env, ...(level ? { level } : {}) });
    log.trace('t');
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.flushAndClose();
    return readLines(join(dir, 'mm_strategy.log.2026-11-21-13')).map((l) => `${l.level}:${l.msg}`);
  };

  it('defaults to info', () => {
    expect(levels({})).toEqual(['info:i', 'warn:w']);
  });
  it('takes the configured level', () => {
    expect(levels({}, 'warn')).toEqual(['warn:w']);
  });
  it('lets LOG_LEVEL override the configured level', () => {
    expect(levels({ LOG_LEVEL: 'debug' }, 'warn')).toEqual(['debug:d', 'info:i', 'warn:w']);
    expect(levels({ LOG_LEVEL: 'WARN' }, 'debug')).toEqual(['warn:w']);
  });
  it('ignores an invalid LOG_LEVEL with a warning line', () => {
    const out = levels({ LOG_LEVEL: 'verbose' }, 'debug');
    expect(out[0]).toMatch(/^warn:LOG_LEVEL is not one of .*; using "debug"$/);
    expect(out.slice(1)).toEqual(['debug:d', 'info:i', 'warn:w']);
  });
});
