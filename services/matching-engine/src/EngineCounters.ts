/** Counters of the engine (what the operator controls did and why clients were dropped). Plain numbers, main thread only. */
export class EngineCounters {
  messagesIn = 0;
  malformed = 0;
  rejectsByReason = new Float64Array(11);
  tcpAccepted = 0;
  tcpRefusedMaxClients = 0;
  tcpDisconnectMalformed = 0;
  tcpDisconnectOversizedFrame = 0;
  tcpDisconnectIdle = 0;
  tcpDisconnectSlow = 0;
  throttled = 0;
  tcpFloodPauses = 0;
  /** Times a client's input was paused because its unread output reached the high-water mark. */
  tcpOutputPauses = 0;
  /** Times a client's input was paused because it was two reads ahead of its answers (threaded mode). */
  tcpAnswerPauses = 0;
  unauthorized = 0;
  udpDatagramsIn = 0;
  udpMalformed = 0;
  mcastSent = 0;

  /** Names of the values `values()` fills, in order (for counters other processes read). */
  static readonly NAMES: readonly string[] = [
    'messagesIn', 'malformed', 'tcpAccepted', 'tcpRefusedMaxClients', 'tcpDisconnectMalformed', 'tcpDisconnectOversizedFrame',
    'tcpDisconnectIdle', 'tcpDisconnectSlow', 'throttled', 'tcpFloodPauses', 'unauthorized', 'udpDatagramsIn', 'udpMalformed',
    'mcastSent', 'rejectsInvalidSymbol', 'rejectsInvalidQuantity', 'rejectsInvalidPrice', 'rejectsOrderNotFound',
    'rejectsDuplicateOrderId', 'rejectsCapacityExhausted', 'rejectsUnauthorized', 'rejectsThrottled', 'rejectsBookFull',
    'rejectsInvalidOrderId', 'tcpOutputPauses', 'tcpAnswerPauses',
  ];

  /** Writes the values named by NAMES into `out` (preallocated by the caller; no allocation). */
  values(out: Float64Array): Float64Array {
    out[0] = this.messagesIn; out[1] = this.malformed; out[2] = this.tcpAccepted; out[3] = this.tcpRefusedMaxClients;
    out[4] = this.tcpDisconnectMalformed; out[5] = this.tcpDisconnectOversizedFrame; out[6] = this.tcpDisconnectIdle;
    out[7] = this.tcpDisconnectSlow; out[8] = this.throttled; out[9] = this.tcpFloodPauses; out[10] = this.unauthorized;
    out[11] = this.udpDatagramsIn; out[12] = this.udpMalformed; out[13] = this.mcastSent;
    for (let r = 1; r <= 10; r++) out[13 + r] = this.rejectsByReason[r]!;
    out[24] = this.tcpOutputPauses;
    out[25] = this.tcpAnswerPauses;
    return out;
  }

  snapshot(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(this)) {
      if (typeof v === 'number') out[k] = v;
    }
    for (let r = 1; r < this.rejectsByReason.length; r++) out[`rejects${r}`] = this.rejectsByReason[r];
    return out;
  }
}
