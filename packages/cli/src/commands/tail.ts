import { Aeron, Context, FragmentAssembler, defaultAeronDir } from '@mm/aeron-client';
import { decodeToJson } from '@mm/protocol';
import { loadStreams, type Streams } from '@mm/runtime';
import { intFlag, parseArgs, stringFlag, UsageError } from '../args.js';

/**
 * `mm tail <stream> [--count N] [--timeout-ms T]`: prints a live stream as JSON lines, one per message, with the
 * publishing session id. The subscription is untethered: a paused `mm tail` (e.g. piped into `less`) never holds back
 * the pipeline. Works against any Aeron driver. Exit 0 after `--count` messages, 3 when `--timeout-ms` passes first.
 */
export async function tail(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['aeron-dir', 'count', 'timeout-ms', 'channel']);
  const which = args.positionals[0];
  if (!which) throw new UsageError('mm tail needs a stream: a number 10-20 or a name (book, state, heartbeat, trade, pricing, quote, fill, position, engine-trade, engine-top, instrument)');
  const streams = loadStreams();
  const entry = findStream(streams, which);
  const count = intFlag(args, 'count', 0);
  const timeoutMs = intFlag(args, 'timeout-ms', 0);
  const aeron = await Aeron.connect(new Context({ aeronDir: stringFlag(args, 'aeron-dir') ?? defaultAeronDir() }));
  const channel = stringFlag(args, 'channel') ?? entry.channel;
  const sub = await aeron.addSubscription(channel, entry.streamId, { untethered: true });
  let printed = 0;
  let done = false;
  const out: string[] = [];
  const handler = (buffer: Parameters<typeof decodeToJson>[0], offset: number, length: number, header: { sessionId: number }): void => {
    if (count > 0 && printed >= count) return;
    out.push(`{"session":${header.sessionId},"message":${decodeToJson(buffer, offset, length)}}`);
    printed++;
  };
  // Book snapshots with many levels exceed one MTU and arrive fragmented.
  const assembler = new FragmentAssembler(handler);
  const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Infinity;
  let code = 0;
  await new Promise<void>((resolve) => {
    const stop = (): void => { done = true; resolve(); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const step = (): void => {
      if (done) return;
      try {
        aeron.doWork();
        const n = sub.poll(assembler.handler, 256);
        if (out.length > 0) {
          process.stdout.write(`${out.join('\n')}\n`);
          out.length = 0;
        }
        if (count > 0 && printed >= count) return stop();
        if (Date.now() > deadline) { code = 3; return stop(); }
        if (n > 0) setImmediate(step); else setTimeout(step, 1);
      } catch (error) {
        process.stderr.write(`mm tail: ${error instanceof Error ? error.message : String(error)}\n`);
        code = 1;
        stop();
      }
    };
    step();
  });
  aeron.close();
  return code;
}

const NAMES: Record<string, keyof Streams> = {
  book: 'book', state: 'state', heartbeat: 'heartbeat', trade: 'trade', trades: 'trade', pricing: 'pricing',
  quote: 'quote', quotes: 'quote', fill: 'fill', fills: 'fill', position: 'position', positions: 'position',
  'engine-trade': 'engineTrade', 'engine-top': 'engineTop', instrument: 'instrument', instruments: 'instrument',
};

export function findStream(streams: Streams, which: string): { streamId: number; channel: string } {
  const byName = NAMES[which];
  if (byName) return streams[byName];
  const id = Number(which);
  for (const s of Object.values(streams)) if (s.streamId === id) return s;
  throw new UsageError(`unknown stream '${which}': use 10-20 or one of ${Object.keys(NAMES).join(', ')}`);
}
