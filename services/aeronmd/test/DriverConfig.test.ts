import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '@mm/config';
import { afterAll, describe, expect, it } from 'vitest';
import { aeronmdConfigFile, aeronmdSchema, checkConfigFileAlone } from '../src/DriverConfig.js';

const here = dirname(fileURLToPath(import.meta.url));
const shipped = readFileSync(resolve(here, '../../../config/aeronmd.toml'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'mm-aeronmd-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeConfig(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.map((i) => `${i.path}: ${i.message}`);
    throw e;
  }
  return [];
}

describe('aeronmd config file checked on its own', () => {
  it('shouldAcceptTheShippedFile', () => {
    expect(issuesOf(() => checkConfigFileAlone(writeConfig('shipped.toml', shipped)))).toEqual([]);
  });

  it('shouldReportAnInvalidLoggingLevelThatLogLevelMasks', () => {
    const file = writeConfig('bad-level.toml', `${shipped.replace(/^\[logging\][^[]*/m, '')}\n[logging]\nlevel = "verbose"\n`);
    // With LOG_LEVEL set the loader replaces the value, and still reports the file's (@mm/config).
    expect(issuesOf(() => loadConfig('aeronmd', aeronmdSchema, { file, env: { LOG_LEVEL: 'info' } })))
      .toEqual([expect.stringMatching(/^logging\.level: .*verbose.*LOG_LEVEL overrides this key now/)]);
    const issues = issuesOf(() => checkConfigFileAlone(file));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^logging\.level: .*verbose/);
  });

  it('shouldReportAValueThatAGenericVariableMasks', () => {
    const file = writeConfig('bad-mtu.toml', shipped.replace(/^ipc-mtu-length = \d+/m, 'ipc-mtu-length = 10'));
    expect(issuesOf(() => loadConfig('aeronmd', aeronmdSchema, { file, env: { MM_AERONMD__AERON__IPC_MTU_LENGTH: '1408' } })))
      .toEqual([expect.stringMatching(/^aeron\.ipc-mtu-length: .*MM_AERONMD__AERON__IPC_MTU_LENGTH overrides this key now/)]);
    expect(issuesOf(() => checkConfigFileAlone(file))).toEqual([expect.stringMatching(/^aeron\.ipc-mtu-length: /)]);
  });

  it('shouldTreatAMissingFileAsDefaults', () => {
    expect(issuesOf(() => checkConfigFileAlone(join(dir, 'absent.toml')))).toEqual([]);
  });

  it('shouldFindTheFileInMmConfigDir', () => {
    expect(aeronmdConfigFile({ MM_CONFIG_DIR: dir })).toBe(join(dir, 'aeronmd.toml'));
  });
});
