/**
 * Stream 11, service state change. `symbol` is empty for the whole service, or names the symbol whose state
 * changed (the collector reports one message per symbol change). The reason is truncated to 64 ASCII bytes.
 */
import { SERVICE_STATE_NAMES, SERVICE_STATE_OR_NONE_NAMES, type ServiceState } from './Enums.js';
import { DecoderFlyweight, EncoderFlyweight } from './Flyweight.js';
import type { MessageSpec } from './MessageSpec.js';
import { getAscii, putAsciiLenient, putAsciiStrict } from './Symbol.js';
import { StreamId, TemplateId } from './Templates.js';

const TIME_NS = 16;
const PID = 24;
const INSTANCE_ID = 28;
const SERVICE = 32;
const SYMBOL = 48;
const STATE = 64;
const PREVIOUS_STATE = 65;
const REASON = 72;
export const SERVICE_NAME_LENGTH = 16;
export const REASON_LENGTH = 64;

export const StateCodec: MessageSpec = {
  name: 'State',
  templateId: TemplateId.STATE,
  streamId: StreamId.STATE,
  blockLength: 128,
  description: 'A service (or one of its symbols) changed state (every service).',
  fields: [
    { name: 'sequence', offset: 8, type: 'i64', description: 'publisher sequence number' },
    { name: 'timeNs', offset: TIME_NS, type: 'i64', description: 'monotonic ns of the change' },
    { name: 'pid', offset: PID, type: 'u32', description: 'process id' },
    { name: 'instanceId', offset: INSTANCE_ID, type: 'u32', description: 'instance id (from config)' },
    { name: 'service', offset: SERVICE, type: 'char', length: SERVICE_NAME_LENGTH, description: 'service name, e.g. mm_collector' },
    { name: 'symbol', offset: SYMBOL, type: 'char', length: 16, description: 'symbol, or empty for the whole service' },
    { name: 'state', offset: STATE, type: 'enum', values: SERVICE_STATE_NAMES, description: 'new state' },
    { name: 'previousState', offset: PREVIOUS_STATE, type: 'enum', values: SERVICE_STATE_OR_NONE_NAMES, description: 'state before (NONE at start)' },
    { name: 'padding', offset: 66, type: 'padding', length: 6, description: 'zero' },
    { name: 'reason', offset: REASON, type: 'char', length: REASON_LENGTH, description: 'why, ASCII, truncated to 64 bytes' },
  ],
};

export class StateEncoder extends EncoderFlyweight {
  constructor() { super(StateCodec); }
  timeNs(v: number): this { return this.putI64(TIME_NS, v); }
  pid(v: number): this { return this.putU32(PID, v); }
  instanceId(v: number): this { return this.putU32(INSTANCE_ID, v); }
  /** Throws if longer than 16 bytes or not ASCII (a configuration error). */
  service(v: string): this { putAsciiStrict(this.buffer, this.offset + SERVICE, SERVICE_NAME_LENGTH, v, 'service name'); return this; }
  /** Empty for the whole service. */
  symbol(v: string): this { putAsciiStrict(this.buffer, this.offset + SYMBOL, 16, v, 'symbol'); return this; }
  state(v: ServiceState): this { return this.putU8(STATE, v); }
  previousState(v: ServiceState | 0): this { return this.putU8(PREVIOUS_STATE, v); }
  /** Never throws: truncated to 64 bytes, non-ASCII replaced by '?'. */
  reason(v: string): this { putAsciiLenient(this.buffer, this.offset + REASON, REASON_LENGTH, v); return this; }
}

export class StateDecoder extends DecoderFlyweight {
  constructor() { super(StateCodec); }
  timeNs(): number { return this.i64(TIME_NS); }
  pid(): number { return this.u32(PID); }
  instanceId(): number { return this.u32(INSTANCE_ID); }
  service(): string { return getAscii(this.buffer, this.offset + SERVICE, SERVICE_NAME_LENGTH); }
  symbol(): string { return getAscii(this.buffer, this.offset + SYMBOL, 16); }
  state(): number { return this.u8(STATE); }
  previousState(): number { return this.u8(PREVIOUS_STATE); }
  reason(): string { return getAscii(this.buffer, this.offset + REASON, REASON_LENGTH); }
}
