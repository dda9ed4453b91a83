/**
 * One decoded input message, reused for every decode (a mutable struct, never allocated per message).
 * `decode*` functions fill it and return a DecodeStatus; on REJECT the fields that could be read are set
 * (unreadable ones are 0) and `rejectReason` names the failing field; on MALFORMED `error` says what was wrong
 * (a constant string, so no allocation either).
 */
export const MessageType = { NEW: 0x4e, CANCEL: 0x43, FLUSH: 0x46 } as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

export const DecodeStatus = {
  /** A message to process. */
  MESSAGE: 0,
  /** A comment or blank line: nothing to do. */
  IGNORED: 1,
  /** Well-formed but a field value is invalid: answer with a reject. */
  REJECT: 2,
  /** Not a message of this protocol (garbage, wrong length, unknown type). */
  MALFORMED: 3,
} as const;
export type DecodeStatus = (typeof DecodeStatus)[keyof typeof DecodeStatus];

export const Encoding = { CSV: 0, BINARY: 1 } as const;
export type Encoding = (typeof Encoding)[keyof typeof Encoding];

export class InboundMessage {
  type = 0;
  encoding: Encoding = Encoding.CSV;
  userId = 0;
  userOrderId = 0;
  symHi = 0;
  symLo = 0;
  hasSymbol = false;
  price = 0;
  qty = 0;
  side = 0;
  rejectReason = 0;
  error = '';

  reset(): void {
    this.type = 0;
    this.userId = 0;
    this.userOrderId = 0;
    this.symHi = 0;
    this.symLo = 0;
    this.hasSymbol = false;
    this.price = 0;
    this.qty = 0;
    this.side = 0;
    this.rejectReason = 0;
    this.error = '';
  }
}
