// Builds a log buffer file the way a driver would (metadata, tails, default header) plus a fake counters values
// buffer, so publications and images can be tested in one process without a driver.
import { join } from 'node:path';
import { AtomicBuffer, MappedFile } from '@mm/agrona';
import { tempDir } from '@mm/test-support';
import { ExclusivePublication } from '../src/ExclusivePublication.js';
import { Image } from '../src/Image.js';
import * as LB from '../src/logbuffer/LogBufferDescriptor.js';
import { DataHeaderFlyweight } from '../src/protocol/DataHeaderFlyweight.js';
import { Publication } from '../src/Publication.js';
import type { PublicationParams } from '../src/PublicationBase.js';

export const LIMIT_COUNTER = 0;
export const SUB_POS_COUNTER = 1;

export interface TestLog {
  readonly path: string;
  readonly meta: AtomicBuffer;
  readonly values: AtomicBuffer;
  readonly file: MappedFile;
  setLimit(position: number): void;
  setConnected(connected: boolean): void;
  publication(exclusive: boolean, onClose?: () => void): Publication | ExclusivePublication;
  image(): Image;
}

export function createTestLog(termLength = 65536, initialTermId = 100, sessionId = 7, streamId = 10): TestLog {
  const path = join(tempDir('aeron-log-'), '1.logbuffer');
  const file = MappedFile.create(path, LB.computeLogLength(termLength, 4096));
  const meta = new AtomicBuffer(file.buffer.buffer, file.length - 4096, 4096);
  meta.putInt32(LB.LOG_TERM_LENGTH_OFFSET, termLength);
  meta.putInt32(LB.LOG_MTU_LENGTH_OFFSET, 1408);
  meta.putInt32(LB.LOG_PAGE_SIZE_OFFSET, 4096);
  meta.putInt32(LB.LOG_INITIAL_TERM_ID_OFFSET, initialTermId);
  meta.putInt64(LB.LOG_CORRELATION_ID_OFFSET, 1);
  DataHeaderFlyweight.createDefaultHeader(meta, LB.LOG_DEFAULT_FRAME_HEADER_OFFSET, sessionId, streamId, initialTermId);
  LB.initialiseTailWithTermId(meta, 0, initialTermId);
  LB.initialiseTailWithTermId(meta, 1, initialTermId + 1 - 3);
  LB.initialiseTailWithTermId(meta, 2, initialTermId + 2 - 3);
  LB.setEndOfStreamPosition(meta, 0x7fffffffffffffffn);
  const values = AtomicBuffer.allocate(4 * 128);
  const params = (onClose: () => void): PublicationParams => ({
    channel: 'aeron:ipc', streamId, sessionId, registrationId: 1, originalRegistrationId: 1,
    logFile: MappedFile.map(path), valuesBuffer: values, positionLimitCounterId: LIMIT_COUNTER, channelStatusId: -1,
    onClose: (p) => { onClose(); p.internalClose(); },
  });
  return {
    path, meta, values, file,
    setLimit: (position) => values.putInt64OrderedNumber(LIMIT_COUNTER * 128, position),
    setConnected: (connected) => LB.setIsConnected(meta, connected),
    publication: (exclusive, onClose = () => {}) => (exclusive ? new ExclusivePublication(params(onClose)) : new Publication(params(onClose))),
    image: () => new Image(1, sessionId, SUB_POS_COUNTER, 'aeron:ipc', 2, MappedFile.map(path), values),
  };
}
