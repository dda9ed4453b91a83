import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../src/paths.js';
import { aeronEnvFromDriverToml, withAeronValidTimerInterval } from '../src/testSystem.js';

afterEach(() => removeTempDirs());

describe('Aeron driver env from the product driver settings', () => {
  it('maps the [aeron] keys of aeronmd.toml to AERON_* names, ignoring comments, quotes and other sections', () => {
    const dir = join(tempDir('toml-'), 'config');
    mkdirSync(dir);
    writeFileSync(join(dir, 'aeronmd.toml'), [
      '[aeron]',
      'dir = "/dev/shm/x"            # no Aeron variable mapped from here',
      'ipc-term-buffer-length = 131072 # comment',
      'untethered-window-limit-timeout-ns = 250000000',
      '# timer-interval-ns = 5',
      'term-buffer-sparse-file = true',
      '[idle]',
      'timer-interval-ns = 7',
    ].join('\n'));
    expect(aeronEnvFromDriverToml(dir)).toEqual({
      AERON_IPC_TERM_BUFFER_LENGTH: '131072',
      AERON_UNTETHERED_WINDOW_LIMIT_TIMEOUT: '250000000',
      AERON_TERM_BUFFER_SPARSE_FILE: 'true',
    });
    expect(aeronEnvFromDriverToml(join(dir, 'missing'))).toEqual({});
  });

  it('lowers the timer interval below the shortest liveness/untethered timeout, as Aeron requires, and only then', () => {
    expect(withAeronValidTimerInterval({ AERON_UNTETHERED_WINDOW_LIMIT_TIMEOUT: '500000000', AERON_TIMER_INTERVAL: '1000000000' }))
      .toMatchObject({ AERON_TIMER_INTERVAL: '100000000' });
    // Equal is refused by Aeron too.
    expect(withAeronValidTimerInterval({ AERON_CLIENT_LIVENESS_TIMEOUT: '1000000000' }))
      .toMatchObject({ AERON_TIMER_INTERVAL: '200000000' });
    // Aeron's default 1 s timer is already below a 2 s liveness timeout and Aeron's untethered defaults (5 s, 10 s).
    const valid = { AERON_CLIENT_LIVENESS_TIMEOUT: '2000000000' };
    expect(withAeronValidTimerInterval(valid)).toEqual(valid);
  });
});
