#!/usr/bin/env node
/** aeron-errors: prints the media driver's distinct error log from the CnC file. Exit 1 when it cannot be read. */
import { CncFile } from '../CncFile.js';
import { defaultAeronDir } from '../Context.js';
import { parseCliArgs } from './args.js';
import { formatErrorStat } from './ErrorStat.js';

const usage = 'usage: aeron-errors [-d <aeronDir>]';

let args;
try {
  args = parseCliArgs(process.argv.slice(2), usage);
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(2);
}
if (args.help) {
  process.stdout.write(`${usage}\n`);
} else {
  const dir = args.dir ?? defaultAeronDir();
  let cnc: CncFile | undefined;
  try {
    cnc = CncFile.openReadOnly(dir);
    process.stdout.write(`${formatErrorStat(cnc)}\n`);
  } catch (e) {
    process.stderr.write(`aeron-errors: ${(e as Error).message}\n`);
    process.exitCode = 1;
  } finally {
    cnc?.close();
  }
}
