#!/usr/bin/env node
/**
 * aeron-stat: prints the media driver's counters (pub-pos, pub-lmt, sub-pos, client heartbeats, system counters)
 * from the CnC file without registering as a client. Exit 1 when there is no readable CnC file.
 */
import { CncFile } from '../CncFile.js';
import { defaultAeronDir } from '../Context.js';
import { formatAeronStat } from './AeronStat.js';
import { parseCliArgs } from './args.js';

const usage = 'usage: aeron-stat [-d <aeronDir>] [-w [true|false]] [-i <intervalMs>] [-f <label regex>]';

function main(): void {
  let args;
  try {
    args = parseCliArgs(process.argv.slice(2), usage);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(2);
  }
  if (args.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const dir = args.dir ?? defaultAeronDir();
  const print = (): boolean => {
    let cnc: CncFile | undefined;
    try {
      cnc = CncFile.openReadOnly(dir);
      process.stdout.write(`${formatAeronStat(cnc, Date.now(), args.filter)}\n`);
      return true;
    } catch (e) {
      process.stderr.write(`aeron-stat: ${(e as Error).message}\n`);
      return false;
    } finally {
      cnc?.close();
    }
  };
  if (!args.watch) {
    if (!print()) process.exitCode = 1;
    return;
  }
  print();
  setInterval(() => {
    process.stdout.write('\n');
    print();
  }, args.intervalMs);
}

main();
