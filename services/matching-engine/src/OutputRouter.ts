/**
 * Routes the core's decisions to clients (MatchListener): ack, cancel ack and reject to the client that sent the
 * message (a cancel ack also to the order's owner when another client or a flush cancelled it); a trade to the
 * clients of both orders (once when they are the same); top of book to the client whose message caused it and to
 * multicast. Outputs for clients that are gone are dropped.
 */
import type { MatchListener } from '@mm/matching';
import type { ClientChannel } from './ClientChannel.js';
import type { EngineCounters } from './EngineCounters.js';
import type { MulticastPublisher } from './MulticastPublisher.js';

/**
 * Every trade and top-of-book change of every book, whoever caused it (the stream-15 venue publishes them on 18 and
 * 19). Called synchronously on the main thread, after the clients' output is encoded; engine ticks, lots and sides.
 */
export interface MarketDataListener {
  /** aggressorSide: 'B' (0x42) or 'S' (0x53), the side of the incoming order. */
  onTrade(symHi: number, symLo: number, buyUserId: number, buyOrderId: number, sellUserId: number, sellOrderId: number, price: number, qty: number, aggressorSide: number): void;
  /** side 'B' (0x42) or 'S' (0x53); price and qty 0 when that side of the book is empty. */
  onTopOfBook(symHi: number, symLo: number, side: number, price: number, qty: number): void;
}

export class OutputRouter implements MatchListener {
  private readonly clients = new Map<number, ClientChannel>();
  private readonly dirty: ClientChannel[] = [];
  mcast: MulticastPublisher | null = null;
  marketData: MarketDataListener | null = null;

  constructor(private readonly counters: EngineCounters) {}

  add(ch: ClientChannel): void {
    this.clients.set(ch.id, ch);
  }

  remove(id: number): void {
    const ch = this.clients.get(id);
    if (ch) ch.closed = true;
    this.clients.delete(id);
  }

  get(id: number): ClientChannel | undefined {
    return this.clients.get(id);
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Hands every client's pending output to its socket (once per input batch). */
  flushAll(): void {
    const d = this.dirty;
    for (let i = 0; i < d.length; i++) {
      const ch = d[i];
      ch.dirty = false;
      if (!ch.closed) ch.flush();
    }
    d.length = 0;
  }

  private target(id: number): ClientChannel | undefined {
    const ch = this.clients.get(id);
    if (ch !== undefined && !ch.dirty) {
      ch.dirty = true;
      this.dirty.push(ch);
    }
    return ch;
  }

  onAck(clientId: number, symHi: number, symLo: number, userId: number, userOrderId: number): void {
    const ch = this.target(clientId);
    if (ch === undefined) return;
    const off = ch.begin();
    ch.end(ch.encoder.ack(ch.buf, off, symHi, symLo, userId, userOrderId));
  }

  onCancelAck(clientId: number, ownerClientId: number, symHi: number, symLo: number, userId: number, userOrderId: number): void {
    let ch = this.target(clientId);
    if (ch !== undefined) {
      const off = ch.begin();
      ch.end(ch.encoder.cancelAck(ch.buf, off, symHi, symLo, userId, userOrderId));
    }
    if (ownerClientId === clientId) return;
    ch = this.target(ownerClientId);
    if (ch !== undefined) {
      const off = ch.begin();
      ch.end(ch.encoder.cancelAck(ch.buf, off, symHi, symLo, userId, userOrderId));
    }
  }

  onTrade(symHi: number, symLo: number, bc: number, bu: number, bo: number, sc: number, su: number, so: number, price: number, qty: number, aggressorSide: number): void {
    let ch = this.target(bc);
    if (ch !== undefined) {
      ch.tradeAggressor = aggressorSide;
      const off = ch.begin();
      ch.end(ch.encoder.trade(ch.buf, off, symHi, symLo, bu, bo, su, so, price, qty));
    }
    if (sc !== bc) {
      ch = this.target(sc);
      if (ch !== undefined) {
        ch.tradeAggressor = aggressorSide;
        const off = ch.begin();
        ch.end(ch.encoder.trade(ch.buf, off, symHi, symLo, bu, bo, su, so, price, qty));
      }
    }
    const m = this.mcast;
    if (m !== null) {
      const off = m.begin();
      m.end(m.encoder.trade(m.buf, off, symHi, symLo, bu, bo, su, so, price, qty));
    }
    this.marketData?.onTrade(symHi, symLo, bu, bo, su, so, price, qty, aggressorSide);
  }

  onTopOfBook(clientId: number, symHi: number, symLo: number, side: number, price: number, qty: number): void {
    const ch = this.target(clientId);
    if (ch !== undefined) {
      const off = ch.begin();
      ch.end(ch.encoder.topOfBook(ch.buf, off, symHi, symLo, side, price, qty));
    }
    const m = this.mcast;
    if (m !== null) {
      const off = m.begin();
      m.end(m.encoder.topOfBook(m.buf, off, symHi, symLo, side, price, qty));
    }
    this.marketData?.onTopOfBook(symHi, symLo, side, price, qty);
  }

  onReject(clientId: number, symHi: number, symLo: number, userId: number, userOrderId: number, reason: number): void {
    this.counters.rejectsByReason[reason < 11 ? reason : 0]++;
    const ch = this.target(clientId);
    if (ch === undefined) return;
    const off = ch.begin();
    ch.end(ch.encoder.reject(ch.buf, off, symHi, symLo, userId, userOrderId, reason));
  }

  onSweepBook(): void {}
  onRelease(): void {}
}
