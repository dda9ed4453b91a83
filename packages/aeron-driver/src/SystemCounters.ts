/**
 * The driver's system counters (type 0, key = int32 descriptor id), allocated first so their counter ids equal the
 * descriptor ids 0..39 as in Aeron 1.47.3, with the same labels (AeronStat output stays familiar). Counters for
 * network features this IPC-only driver lacks stay 0.
 */
import type { CountersManager } from '@mm/agrona';

export const AERON_VERSION = '1.47.3';
export const DRIVER_COMMIT = 'mm-ts-ipc';
/** Aeron encodes its software version as major << 16 | minor << 8 | patch. */
export const AERON_SEMANTIC_VERSION = (1 << 16) | (47 << 8) | 3;

export const SystemCounterId = {
  BYTES_SENT: 0,
  BYTES_RECEIVED: 1,
  ERRORS: 15,
  UNBLOCKED_PUBLICATIONS: 19,
  UNBLOCKED_COMMANDS: 20,
  CLIENT_TIMEOUTS: 24,
  CONDUCTOR_MAX_CYCLE_TIME: 26,
  CONDUCTOR_CYCLE_TIME_THRESHOLD_EXCEEDED: 27,
  AERON_VERSION: 34,
  BYTES_CURRENTLY_MAPPED: 35,
} as const;

export const SYSTEM_COUNTER_TYPE_ID = 0;
export const CONDUCTOR_CYCLE_THRESHOLD_NS = 1_000_000_000;

export const SYSTEM_COUNTER_LABELS: readonly string[] = [
  'Bytes sent',
  'Bytes received',
  'Failed offers to ReceiverProxy',
  'Failed offers to SenderProxy',
  'Failed offers to DriverConductorProxy',
  'NAKs sent',
  'NAKs received',
  'Status Messages sent',
  'Status Messages received',
  'Heartbeats sent',
  'Heartbeats received',
  'Retransmits sent',
  'Flow control under runs',
  'Flow control over runs',
  'Invalid packets',
  `Errors: version=${AERON_VERSION} commit=${DRIVER_COMMIT}`,
  'Short sends',
  'Failed attempts to free log buffers',
  'Sender flow control limits, i.e. back-pressure events',
  'Unblocked Publications',
  'Unblocked Control Commands',
  'Possible TTL Asymmetry',
  'ControllableIdleStrategy status',
  'Loss gap fills',
  'Client liveness timeouts',
  'Resolution changes: driverName=',
  'Conductor max cycle time doing its work in ns: SHARED',
  `Conductor work cycle exceeded threshold count: threshold=${CONDUCTOR_CYCLE_THRESHOLD_NS}ns SHARED`,
  'Sender max cycle time doing its work in ns: SHARED',
  `Sender work cycle exceeded threshold count: threshold=${CONDUCTOR_CYCLE_THRESHOLD_NS}ns SHARED`,
  'Receiver max cycle time doing its work in ns: SHARED',
  `Receiver work cycle exceeded threshold count: threshold=${CONDUCTOR_CYCLE_THRESHOLD_NS}ns SHARED`,
  'NameResolver max time in ns',
  'NameResolver exceeded threshold count',
  `Aeron software: version=${AERON_VERSION} commit=${DRIVER_COMMIT}`,
  'Bytes currently mapped',
  'Retransmitted bytes',
  'Retransmit Pool Overflow count',
  'Error Frames received',
  'Error Frames sent',
];

export class SystemCounters {
  private readonly counters: CountersManager;

  constructor(counters: CountersManager) {
    this.counters = counters;
    const key = new Uint8Array(4);
    const keyView = new DataView(key.buffer);
    for (let id = 0; id < SYSTEM_COUNTER_LABELS.length; id++) {
      keyView.setInt32(0, id, true);
      const counterId = counters.allocate(SYSTEM_COUNTER_TYPE_ID, SYSTEM_COUNTER_LABELS[id]!, key);
      if (counterId !== id) throw new Error(`system counter ${id} got counter id ${counterId}: counters must be empty at start`);
    }
    counters.setCounterValue(SystemCounterId.AERON_VERSION, AERON_SEMANTIC_VERSION);
  }

  increment(id: number): void {
    this.counters.addCounterValue(id, 1);
  }
  set(id: number, value: number): void {
    this.counters.setCounterValue(id, value);
  }
  get(id: number): number {
    return this.counters.getCounterValue(id);
  }
}
