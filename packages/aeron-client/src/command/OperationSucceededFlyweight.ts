/** ON_OPERATION_SUCCESS (0x0F04): 0 int64 correlation id. Also the layout of ON_CLIENT_TIMEOUT (0x0F0A: client id). */
import { Flyweight } from './Flyweight.js';

export const OPERATION_SUCCEEDED_LENGTH = 8;

export class OperationSucceededFlyweight extends Flyweight {
  correlationId(): number { return this.buffer.getInt64(this.offset); }
  setCorrelationId(v: number): this { this.buffer.putInt64(this.offset, v); return this; }
  length(): number { return OPERATION_SUCCEEDED_LENGTH; }
}

/** ON_CLIENT_TIMEOUT (0x0F0A): 0 int64 client id. */
export class ClientTimeoutFlyweight extends Flyweight {
  clientId(): number { return this.buffer.getInt64(this.offset); }
  setClientId(v: number): this { this.buffer.putInt64(this.offset, v); return this; }
  length(): number { return 8; }
}
