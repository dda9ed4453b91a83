#!/usr/bin/env node
/**
 * Releases the strategy's persisted kill switch: `node services/strategy/dist/resetKillSwitch.js [--file <path>]`.
 * Without --file the path is `risk.kill-switch-file` of config/strategy.toml (same rules as the service: MM_CONFIG_DIR,
 * MM_STRATEGY__RISK__KILL_SWITCH_FILE, relative to the working directory). A running strategy resumes within half a
 * second; exit 0 on success, 78 on a configuration error, 1 if the file cannot be written.
 */
import { resolve } from 'node:path';
import { c, loadConfigOrExit } from '@mm/config';
import { loggingSchema } from '@mm/logging';
import { runtimeSection } from '@mm/runtime';
import { resetKillSwitch } from './KillSwitchStore.js';
import { strategySchema } from './StrategyConfig.js';

function fileFromArgs(argv: readonly string[]): string | undefined {
  const i = argv.indexOf('--file');
  if (i < 0) return undefined;
  const f = argv[i + 1];
  if (f === undefined || f === '') {
    process.stderr.write('usage: resetKillSwitch.js [--file <path>]\n');
    process.exit(64);
  }
  return f;
}

const explicit = fileFromArgs(process.argv.slice(2));
const file = resolve(explicit ?? loadConfigOrExit('strategy', c.object({ ...strategySchema, runtime: runtimeSection, logging: loggingSchema })).risk.killSwitchFile);
try {
  const before = resetKillSwitch(file);
  process.stdout.write(`kill switch reset (${file}); it was ${before.engaged ? `engaged (${before.reason})` : 'not engaged'}\n`);
} catch (error) {
  process.stderr.write(`cannot reset the kill switch at ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
