import { UsageError } from '../args.js';

/** Commands that need more than the CnC file (an Aeron client, the supervisor) are loaded on demand. */
export async function runCommand(command: string, args: string[]): Promise<number> {
  switch (command) {
    case 'tail':
      return (await import('./tail.js')).tail(args);
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}
