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
  unauthorized = 0;
  udpDatagramsIn = 0;
  udpMalformed = 0;
  mcastSent = 0;

  snapshot(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(this)) {
      if (typeof v === 'number') out[k] = v;
    }
    for (let r = 1; r < this.rejectsByReason.length; r++) out[`rejects${r}`] = this.rejectsByReason[r];
    return out;
  }
}
