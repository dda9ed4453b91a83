import { describe, expect, it } from 'vitest';
import { AtomicBuffer, CountersManager, CountersReader } from '@mm/agrona';
import { streamPositions } from '../src/commands/stat.js';

const PUBLISHER_POS = 12;
const SUBSCRIBER_POS = 4;

/** A stream position counter as the driver lays out its key: registration id, session id, stream id. */
function position(counters: CountersManager, typeId: number, sessionId: number, streamId: number, value: number): void {
  const key = new Uint8Array(16);
  const view = new DataView(key.buffer);
  view.setInt32(8, sessionId, true);
  view.setInt32(12, streamId, true);
  counters.setCounterValue(counters.allocate(typeId, `pos ${streamId}`, key), value);
}

describe('mm stat stream positions', () => {
  it('lists the product streams with the slowest reader, and only counts the sessions on other streams', () => {
    const values = AtomicBuffer.allocate(64 * 128);
    const meta = AtomicBuffer.allocate(64 * 512);
    const counters = new CountersManager(meta, values, () => 0);
    position(counters, PUBLISHER_POS, 7, 14, 4096);
    position(counters, SUBSCRIBER_POS, 7, 14, 4000);
    position(counters, SUBSCRIBER_POS, 7, 14, 3072);
    position(counters, PUBLISHER_POS, 3, 10, 640);
    // The rehearsal's private streams (doorbell bits 21–28).
    position(counters, PUBLISHER_POS, 9, 32 * 5000 + 21, 99);
    position(counters, SUBSCRIBER_POS, 9, 32 * 5000 + 21, 99);
    position(counters, PUBLISHER_POS, 10, 32 * 5000 + 22, 99);
    const lines = streamPositions(new CountersReader(meta, values), new Set([10, 14]));
    expect(lines).toEqual([
      'STREAM/SESSION       PUB-POS        SLOWEST-SUB-BEHIND',
      `${'10/3'.padEnd(20)} ${'640'.padEnd(14)} -`,
      `${'14/7'.padEnd(20)} ${'4096'.padEnd(14)} 1024`,
      "(+ 2 publisher sessions on other streams: the tick path's rehearsal, other applications)",
    ]);
  });
});
