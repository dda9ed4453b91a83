import { Aeron, Context, FragmentAssembler, defaultAeronDir } from '@mm/aeron-client';
import type { AtomicBuffer, CountersReader } from '@mm/agrona';
import { SERVICE_COUNTER_TYPE_ID, loadStreams } from '@mm/runtime';
import { intFlag, parseArgs, stringFlag } from '../args.js';
import { StatModel } from './StatModel.js';

/**
 * `mm stat [--once] [--interval-ms N] [--wait-ms N]`: one screen, refreshed, with every service's state and heartbeat
 * age, per-symbol book sync, trading status and rules (20), fair value, live quotes, positions and PnL, message rates, tick→quote latency and the
 * Aeron stream positions. Every subscription is untethered: watching never slows the pipeline.
 */
const PUBLISHER_POS_TYPE_ID = 12;
const SUBSCRIBER_POS_TYPE_ID = 4;

export async function stat(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['aeron-dir', 'interval-ms', 'wait-ms'], ['once']);
  const once = args.flags.has('once');
  const intervalMs = intFlag(args, 'interval-ms', 1000);
  const waitMs = intFlag(args, 'wait-ms', 2000);
  const streams = loadStreams();
  const aeron = await Aeron.connect(new Context({ aeronDir: stringFlag(args, 'aeron-dir') ?? defaultAeronDir() }));
  const model = new StatModel();
  const names = ['book', 'state', 'heartbeat', 'pricing', 'quote', 'position', 'instrument'] as const;
  const subs = await Promise.all(names.map((n) => aeron.addSubscription(streams[n].channel, streams[n].streamId, { untethered: true })));
  const productIds = new Set(Object.values(streams).map((x) => x.streamId));
  const assembler = new FragmentAssembler((b: AtomicBuffer, o: number, l: number) => model.onMessage(b, o, l));
  const draw = (): void => {
    const lines = model.render([...serviceCounters(aeron.countersReader()), ...streamPositions(aeron.countersReader(), productIds)]);
    process.stdout.write(once ? `${lines.join('\n')}\n` : `\x1b[H\x1b[2J${lines.join('\n')}\n`);
  };
  const started = Date.now();
  let lastDraw = 0;
  let done = false;
  const stop = (): void => { done = true; };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  while (!done) {
    aeron.doWork();
    let n = 0;
    for (const s of subs) n += s.poll(assembler.handler, 256);
    const now = Date.now();
    if (once && now - started >= waitMs) { draw(); break; }
    if (!once && now - lastDraw >= intervalMs) { draw(); lastDraw = now; }
    await new Promise((r) => (n > 0 ? setImmediate(r) : setTimeout(r, 5)));
  }
  aeron.close();
  return 0;
}

/** Every service's own counters (type SERVICE_COUNTER_TYPE_ID), non-zero ones, one line per service. */
export function serviceCounters(counters: CountersReader): string[] {
  const byService = new Map<string, string[]>();
  counters.forEach((id, typeId, _key, _keyOffset, label) => {
    if (typeId !== SERVICE_COUNTER_TYPE_ID) return;
    const value = counters.getCounterValue(id);
    const m = /^mm counter: (\S+) (\S+)$/.exec(label);
    if (!m || value === 0) return;
    const list = byService.get(m[1]!) ?? [];
    list.push(`${m[2]}=${value}`);
    byService.set(m[1]!, list);
  });
  const lines: string[] = [];
  for (const [service, values] of [...byService].sort()) lines.push(`${service} counters: ${values.join(' ')}`);
  if (lines.length > 0) lines.push('');
  return lines;
}

/**
 * Per product stream (`streams.toml`) and publisher session: position, and how far the slowest subscriber is behind
 * it (driver counters). Sessions on other stream ids (the tick path's rehearsal on its private streams, other Aeron
 * applications on the same driver) are counted on one line, so they do not crowd the screen.
 */
export function streamPositions(counters: CountersReader, productStreamIds: ReadonlySet<number>): string[] {
  const pub = new Map<string, number>();
  const sub = new Map<string, number>();
  let otherSessions = 0;
  counters.forEach((id, typeId, keyBuffer, keyOffset) => {
    if (typeId !== PUBLISHER_POS_TYPE_ID && typeId !== SUBSCRIBER_POS_TYPE_ID) return;
    // Key layout of stream position counters: registration id (8), session id (4), stream id (4), channel.
    const streamId = keyBuffer.getInt32(keyOffset + 12);
    if (!productStreamIds.has(streamId)) {
      if (typeId === PUBLISHER_POS_TYPE_ID) otherSessions++;
      return;
    }
    const key = `${streamId}/${keyBuffer.getInt32(keyOffset + 8)}`;
    const value = counters.getCounterValue(id);
    if (typeId === PUBLISHER_POS_TYPE_ID) pub.set(key, value);
    else sub.set(key, Math.min(sub.get(key) ?? Infinity, value));
  });
  const lines = ['STREAM/SESSION       PUB-POS        SLOWEST-SUB-BEHIND'];
  const byStream = (a: [string, number], b: [string, number]): number => Number(a[0].split('/')[0]) - Number(b[0].split('/')[0]);
  for (const [key, p] of [...pub].sort(byStream)) {
    const s = sub.get(key);
    lines.push(`${key.padEnd(20)} ${String(p).padEnd(14)} ${s === undefined || !Number.isFinite(s) ? '-' : String(Math.max(0, p - s))}`);
  }
  if (otherSessions > 0) lines.push(`(+ ${otherSessions} publisher session${otherSessions === 1 ? '' : 's'} on other streams: the tick path's rehearsal, other applications)`);
  return lines;
}
