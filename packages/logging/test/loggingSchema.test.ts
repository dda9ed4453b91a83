import { c, loadConfig, ConfigError } from '@mm/config';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loggingSchema } from '../src/loggingSchema.js';

const dir = mkdtempSync(join(tmpdir(), 'mm-logging-schema-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const schema = c.object({ logging: loggingSchema });

describe('loggingSchema', () => {
  it('defaults to info, 72 files, unbuffered', () => {
    expect(loadConfig('collector', schema, { configDir: dir, env: {} }).logging).toEqual({ level: 'info', retainFiles: 72, bufferBytes: 0 });
  });
  it('takes LOG_LEVEL over the generic variable', () => {
    const cfg = loadConfig('collector', schema, { configDir: dir, env: { MM_COLLECTOR__LOGGING__LEVEL: 'warn', LOG_LEVEL: 'debug' } });
    expect(cfg.logging.level).toBe('debug');
  });
  it('rejects an unknown LOG_LEVEL with a hint', () => {
    try {
      loadConfig('collector', schema, { configDir: dir, env: { LOG_LEVEL: 'wran' } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).issues[0]).toMatchObject({ envVar: 'LOG_LEVEL', path: 'logging.level', hint: 'warn' });
    }
  });
});
