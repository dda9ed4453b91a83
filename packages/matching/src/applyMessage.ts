/** Applies one decoded message to a core on behalf of a client (the glue every transport shares). */
import { DecodeStatus, MessageType, type InboundMessage } from './InboundMessage.js';
import type { MatchingCore } from './MatchingCore.js';

/** Returns false only for MALFORMED (the caller decides: disconnect, count, drop). */
export function applyMessage(core: MatchingCore, clientId: number, status: DecodeStatus, m: InboundMessage): boolean {
  switch (status) {
    case DecodeStatus.MESSAGE:
      if (m.type === MessageType.NEW) core.newOrder(clientId, m.userId, m.userOrderId, m.symHi, m.symLo, m.price, m.qty, m.side);
      else if (m.type === MessageType.CANCEL) core.cancel(clientId, m.userId, m.userOrderId, m.symHi, m.symLo, m.hasSymbol);
      else core.flush(clientId);
      return true;
    case DecodeStatus.REJECT:
      core.reject(clientId, m.symHi, m.symLo, m.userId, m.userOrderId, m.rejectReason);
      return true;
    case DecodeStatus.IGNORED:
      return true;
    default:
      return false;
  }
}
