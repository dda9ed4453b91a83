import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Context } from '../src/Context.js';
import { AERON_CLIENT_VERSION } from '../src/version.js';

describe('client identity', () => {
  it('reports the package version in heartbeat labels', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(AERON_CLIENT_VERSION).toBe(pkg.version);
  });

  it('takes the client name from the options, else AERON_CLIENT_NAME, else empty (as Aeron C)', () => {
    const saved = process.env.AERON_CLIENT_NAME;
    try {
      delete process.env.AERON_CLIENT_NAME;
      expect(new Context({ aeronDir: '/tmp/x' }).clientName).toBe('');
      process.env.AERON_CLIENT_NAME = 'from-env';
      expect(new Context({ aeronDir: '/tmp/x' }).clientName).toBe('from-env');
      expect(new Context({ aeronDir: '/tmp/x', clientName: 'mm_pricing' }).clientName).toBe('mm_pricing');
    } finally {
      if (saved === undefined) delete process.env.AERON_CLIENT_NAME; else process.env.AERON_CLIENT_NAME = saved;
    }
  });
});
