/** Stream 12, heartbeat (1/s per service): identity, state and a counters summary. */
import { SERVICE_STATE_NAMES, type ServiceState } from './Enums.js';
import { DecoderFlyweight, EncoderFlyweight } from './Flyweight.js';
import type { MessageSpec } from './MessageSpec.js';
import { REASON_LENGTH, SERVICE_NAME_LENGTH } from './StateCodec.js';
import { getAscii, putAsciiLenient, putAsciiStrict } from './Symbol.js';
import { StreamId, TemplateId } from './Templates.js';

const TIME_NS = 16;
const UPTIME_NS = 24;
const MESSAGES_IN = 32;
const MESSAGES_OUT = 40;
const ERRORS = 48;
const PID = 56;
const INSTANCE_ID = 60;
const SERVICE = 64;
const STATE = 80;
const REASON = 88;

export const HeartbeatCodec: MessageSpec = {
  name: 'Heartbeat',
  templateId: TemplateId.HEARTBEAT,
  streamId: StreamId.HEARTBEAT,
  blockLength: 144,
  description: 'Liveness and counters summary, once a second (every service).',
  fields: [
    { name: 'sequence', offset: 8, type: 'i64', description: 'publisher sequence number' },
    { name: 'timeNs', offset: TIME_NS, type: 'i64', description: 'monotonic ns when sent' },
    { name: 'uptimeNs', offset: UPTIME_NS, type: 'i64', description: 'ns since the service started' },
    { name: 'messagesIn', offset: MESSAGES_IN, type: 'i64', description: 'messages consumed since start' },
    { name: 'messagesOut', offset: MESSAGES_OUT, type: 'i64', description: 'messages published since start' },
    { name: 'errors', offset: ERRORS, type: 'i64', description: 'errors (bad messages included) since start' },
    { name: 'pid', offset: PID, type: 'u32', description: 'process id' },
    { name: 'instanceId', offset: INSTANCE_ID, type: 'u32', description: 'instance id (from config)' },
    { name: 'service', offset: SERVICE, type: 'char', length: SERVICE_NAME_LENGTH, description: 'service name' },
    { name: 'state', offset: STATE, type: 'enum', values: SERVICE_STATE_NAMES, description: 'current state' },
    { name: 'padding', offset: 81, type: 'padding', length: 7, description: 'zero' },
    { name: 'reason', offset: REASON, type: 'char', length: REASON_LENGTH, description: 'reason of the current state' },
  ],
};

export class HeartbeatEncoder extends EncoderFlyweight {
  constructor() { super(HeartbeatCodec); }
  timeNs(v: number): this { return this.putI64(TIME_NS, v); }
  uptimeNs(v: number): this { return this.putI64(UPTIME_NS, v); }
  messagesIn(v: number): this { return this.putI64(MESSAGES_IN, v); }
  messagesOut(v: number): this { return this.putI64(MESSAGES_OUT, v); }
  errors(v: number): this { return this.putI64(ERRORS, v); }
  pid(v: number): this { return this.putU32(PID, v); }
  instanceId(v: number): this { return this.putU32(INSTANCE_ID, v); }
  service(v: string): this { putAsciiStrict(this.buffer, this.offset + SERVICE, SERVICE_NAME_LENGTH, v, 'service name'); return this; }
  state(v: ServiceState): this { return this.putU8(STATE, v); }
  reason(v: string): this { putAsciiLenient(this.buffer, this.offset + REASON, REASON_LENGTH, v); return this; }
}

export class HeartbeatDecoder extends DecoderFlyweight {
  constructor() { super(HeartbeatCodec); }
  timeNs(): number { return this.i64(TIME_NS); }
  uptimeNs(): number { return this.i64(UPTIME_NS); }
  messagesIn(): number { return this.i64(MESSAGES_IN); }
  messagesOut(): number { return this.i64(MESSAGES_OUT); }
  errors(): number { return this.i64(ERRORS); }
  pid(): number { return this.u32(PID); }
  instanceId(): number { return this.u32(INSTANCE_ID); }
  service(): string { return getAscii(this.buffer, this.offset + SERVICE, SERVICE_NAME_LENGTH); }
  state(): number { return this.u8(STATE); }
  reason(): string { return getAscii(this.buffer, this.offset + REASON, REASON_LENGTH); }
}
