import { describe, expect, it } from 'vitest';
import { DriverConfigError, resolveDriverContext } from '../src/DriverContext.js';
import { driverSettingsFromEnv } from '../src/DriverEnv.js';
import { parseIpcChannel } from '../src/IpcChannel.js';

describe('DriverEnv', () => {
  it('shouldReadAeronsStandardVariablesWithUnits', () => {
    const s = driverSettingsFromEnv({
      AERON_DIR: '/dev/shm/x',
      AERON_DIR_DELETE_ON_START: 'true',
      AERON_DIR_DELETE_ON_SHUTDOWN: 'false',
      AERON_IPC_TERM_BUFFER_LENGTH: '64k',
      AERON_CLIENT_LIVENESS_TIMEOUT: '500ms',
      AERON_PUBLICATION_UNBLOCK_TIMEOUT: '2000000000',
      AERON_TIMER_INTERVAL: '10ms',
      AERON_DRIVER_TERMINATION_VALIDATOR: 'allow',
    });
    expect(s).toEqual({
      aeronDir: '/dev/shm/x',
      dirDeleteOnStart: true,
      dirDeleteOnShutdown: false,
      ipcTermBufferLength: 65536,
      clientLivenessTimeoutNs: 500_000_000,
      publicationUnblockTimeoutNs: 2_000_000_000,
      timerIntervalNs: 10_000_000,
      terminationValidator: 'allow',
    });
  });

  it('shouldNameTheVariableThatIsMalformed', () => {
    expect(() => driverSettingsFromEnv({ AERON_IPC_TERM_BUFFER_LENGTH: 'lots' })).toThrow(/AERON_IPC_TERM_BUFFER_LENGTH='lots'/);
    expect(() => driverSettingsFromEnv({ AERON_DIR_DELETE_ON_START: 'maybe' })).toThrow(DriverConfigError);
    expect(() => resolveDriverContext({ ipcTermBufferLength: 100_000 })).toThrow(/ipc term buffer length 100000/);
  });

  it('shouldDefaultToTermsThatFitTheProductIn512MiB', () => {
    const ctx = resolveDriverContext({ aeronDir: '/tmp/x' });
    expect(ctx.ipcTermBufferLength).toBe(1024 * 1024);
    expect(ctx.clientLivenessTimeoutNs).toBe(10_000_000_000);
    expect(ctx.publicationUnblockTimeoutNs).toBe(15_000_000_000);
  });
});

describe('IpcChannel', () => {
  it('shouldParseIpcParameters', () => {
    expect(parseIpcChannel('aeron:ipc?term-length=128k|tether=false|session-id=-5|linger=0')).toMatchObject({
      termLength: 131072, tether: false, sessionId: -5, lingerNs: 0,
    });
    expect(parseIpcChannel('aeron:ipc').tether).toBe(true);
  });

  it('shouldRejectOtherMediaWithClearErrors', () => {
    expect(() => parseIpcChannel('aeron:udp?endpoint=localhost:1')).toThrow(/Aeron's C or Java media driver/);
    expect(() => parseIpcChannel('aeron-spy:aeron:ipc')).toThrow(/spy/);
    expect(() => parseIpcChannel('aeron:ipcx')).toThrow(/unexpected/);
    expect(() => parseIpcChannel('aeron:ipc?term-length=3')).toThrow(/term-length/);
    expect(() => parseIpcChannel('aeron:ipc?init-term-id=1')).toThrow(/not supported/);
  });
});
