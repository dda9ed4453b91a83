#!/usr/bin/env node
import { defaultAeronDir } from '@mm/aeron-client';
import { intFlag, parseArgs, stringFlag, UsageError } from './args.js';
import { checkHealth } from './commands/health.js';

const USAGE = `mm — run and watch the market maker

  mm start [--live] [--venue simulator|engine]   run the whole system (default: simulated Binance, simulator venue)
           [--colocate] [--fake-port N]          --colocate: collector, pricing and strategy in one process
                                                  (lowest tick-to-quote); --fake-port 0: any free port
  mm restart <service>                            restart one service of a running 'mm start' (applies edited TOML)
  mm stop                                         stop a running 'mm start'
  mm health <service> [--max-age-ms N]            exit 0 only if the service is live (reads the CnC file read-only)
  mm stat                                         one refreshed screen: services, books, fair values, quotes, PnL
  mm tail <stream> [--count N]                    print a live stream (10-20) as JSON lines
  mm backtest --data <files> [--config <dir>]     replay a recording through pricing, strategy and the simulator
  mm reset-kill-switch [--file <path>]            release the strategy's persisted kill switch (a running strategy
                                                  resumes within 0.5 s unless today's loss is still over the limit)

Common: --aeron-dir <dir> (default AERON_DIR or Aeron's default).`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'health': {
      const args = parseArgs(rest, ['aeron-dir', 'max-age-ms', 'driver-timeout-ms']);
      const service = args.positionals[0];
      if (!service) throw new UsageError('mm health needs a service name, e.g. mm health mm_collector');
      const report = checkHealth(
        stringFlag(args, 'aeron-dir') ?? defaultAeronDir(),
        service,
        intFlag(args, 'max-age-ms', 3000),
        Date.now(),
        intFlag(args, 'driver-timeout-ms', 10_000),
      );
      process.stdout.write(`${service}: ${report.reason}${report.heartbeatAgeMs !== undefined ? ` (heartbeat ${report.heartbeatAgeMs} ms ago, pid ${report.pid})` : ''}\n`);
      return report.live ? 0 : 1;
    }
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    default: {
      const { runCommand } = await import('./commands/index.js');
      return runCommand(command, rest);
    }
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`mm: ${error.message}\n\n${USAGE}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`mm: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
