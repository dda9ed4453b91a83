import { c, loadConfig, type InferShape, type LoadConfigOptions } from '@mm/config';

/**
 * `config/streams.toml`: the channel and stream id of every stream, shared by every service and the driver. The
 * built-in defaults equal the shipped file, each channel with an explicit term length so the product fits a 512 MiB
 * /dev/shm with any driver.
 */
const stream = (streamId: number, termLength: string) =>
  c.object({
    streamId: c.int({ min: 1, max: 2 ** 31 - 1, default: streamId }),
    channel: c.string({ default: `aeron:ipc?term-length=${termLength}` }),
  });

export const streamsSchema = c.object({
  book: stream(10, '4m'),
  state: stream(11, '64k'),
  heartbeat: stream(12, '64k'),
  trade: stream(13, '4m'),
  pricing: stream(14, '1m'),
  quote: stream(15, '1m'),
  fill: stream(16, '1m'),
  position: stream(17, '1m'),
  engineTrade: stream(18, '1m'),
  engineTop: stream(19, '1m'),
  instrument: stream(20, '64k'),
});

export type Streams = InferShape<(typeof streamsSchema)['shape']>;
export type StreamName = keyof Streams;

export function loadStreams(options: LoadConfigOptions = {}): Streams {
  return loadConfig('streams', streamsSchema, options);
}

/**
 * The same channel for an observability reader: Aeron's `tether=false` makes the subscription untethered, so a slow
 * or paused reader never holds back the publisher.
 */
export function untethered(channel: string): string {
  if (/[?|]tether=/.test(channel)) return channel.replace(/([?|])tether=[^|]*/, '$1tether=false');
  return channel.includes('?') ? `${channel}|tether=false` : `${channel}?tether=false`;
}
