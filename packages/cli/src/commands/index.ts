import { UsageError } from '../args.js';

/** Commands that need more than the CnC file (an Aeron client, the supervisor) are loaded on demand. */
export async function runCommand(command: string, args: string[]): Promise<number> {
  switch (command) {
    case 'start':
      return (await import('./start.js')).start(args);
    case 'restart':
      return (await import('./start.js')).restart(args);
    case 'stop':
      return (await import('./start.js')).stopAll();
    case 'stat':
      return (await import('./stat.js')).stat(args);
    case 'reset-kill-switch': {
      // The strategy owns the kill switch file and its format; its own script resets it (atomically).
      const { spawnSync } = await import('node:child_process');
      const { join } = await import('node:path');
      const { findRepoRoot } = await import('@mm/config');
      const script = join(findRepoRoot() ?? process.cwd(), 'services/strategy/dist/resetKillSwitch.js');
      return spawnSync(process.execPath, [script, ...args], { stdio: 'inherit' }).status ?? 1;
    }
    case 'tail':
      return (await import('./tail.js')).tail(args);
    case 'backtest':
      return (await import('./backtest.js')).backtest(args);
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}
