import { describe, expect, it } from 'vitest';
import { allocatePublisherPosition, allocateSubscriberPosition } from '@mm/aeron-driver';
import { AtomicBuffer, CountersManager, CountersReader } from '@mm/agrona';
import { streamPositions } from '../src/commands/stat.js';

describe('mm stat stream positions', () => {
  it('lists the product streams with the slowest reader, and only counts the sessions on other streams', () => {
    const values = AtomicBuffer.allocate(64 * 128);
    const meta = AtomicBuffer.allocate(64 * 512);
    const counters = new CountersManager(meta, values, () => 0);
    // Position counters as the media driver allocates them.
    let registrationId = 1;
    const pub = (sessionId: number, streamId: number, value: number): void => {
      counters.setCounterValue(allocatePublisherPosition(counters, registrationId++, sessionId, streamId, 'aeron:ipc'), value);
    };
    const sub = (sessionId: number, streamId: number, value: number): void => {
      counters.setCounterValue(allocateSubscriberPosition(counters, registrationId++, sessionId, streamId, 'aeron:ipc', 0, 1, 0), value);
    };
    pub(7, 14, 4096);
    sub(7, 14, 4000);
    sub(7, 14, 3072);
    pub(3, 10, 640);
    // The rehearsal's private streams (doorbell bits 21–28).
    pub(9, 32 * 5000 + 21, 99);
    sub(9, 32 * 5000 + 21, 99);
    pub(10, 32 * 5000 + 22, 99);
    const lines = streamPositions(new CountersReader(meta, values), new Set([10, 14]));
    expect(lines).toEqual([
      'STREAM/SESSION       PUB-POS        SLOWEST-SUB-BEHIND',
      `${'10/3'.padEnd(20)} ${'640'.padEnd(14)} -`,
      `${'14/7'.padEnd(20)} ${'4096'.padEnd(14)} 1024`,
      "(+ 2 publisher sessions on other streams: the tick path's rehearsal, other applications)",
    ]);
  });
});
