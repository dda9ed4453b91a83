/**
 * An in-process client of the engine (for a market maker such as the stream-15 quote venue): keeps at most one
 * bid and one ask per symbol, replaces them on demand (cancel + new, in that order, through the same matcher as
 * network clients, so the same priority and routing rules apply) and reports its fills as callbacks.
 *
 * Output for this client arrives through the router like any other client's; the channel decodes its own binary
 * output from one reusable scratch buffer instead of sending it anywhere. Quote order ids are allocated from 1.
 */
import { Encoding, RejectReason, readU32BE, symbolHi, symbolLo, symbolToString } from '@mm/matching';
import { ClientChannel } from './ClientChannel.js';
import type { Matcher } from './Matcher.js';

export interface QuoteListener {
  /**
   * One fill of one of our quotes: side is 'B' (0x42) or 'S' (0x53) of OUR order; `taker` when our order was the
   * incoming one (a quote that crossed a resting order on entry), else it was resting (maker).
   */
  onFill(symbol: string, side: number, price: number, qty: number, userOrderId: number, taker: boolean): void;
  /** A quote or a cancel was refused (reason per the protocol). */
  onReject?(symbol: string, userOrderId: number, reason: number): void;
}

interface Quote {
  oid: number;
  remaining: number;
}

class LocalChannel extends ClientChannel {
  constructor(
    id: number,
    private readonly quoter: LocalQuoter,
  ) {
    super(id, 'local');
    this.setEncoding(Encoding.BINARY);
  }

  begin(): number {
    return 0;
  }

  end(n: number): void {
    this.quoter.onOutput(this.buf, n, this.tradeAggressor);
  }

  flush(): void {}
}

export class LocalQuoter {
  readonly channel: LocalChannel;
  private nextOid = 1;
  /** key: symbol + side letter */
  private readonly quotes = new Map<string, Quote>();
  private readonly byOid = new Map<number, string>();

  constructor(
    clientId: number,
    readonly userId: number,
    private readonly matcher: Matcher,
    private readonly listener: QuoteListener,
    private readonly afterSubmit: () => void,
  ) {
    this.channel = new LocalChannel(clientId, this);
  }

  /** Replaces our quote on one side of a symbol (qty 0 = just cancel it). Returns the new order id, or 0. */
  replaceQuote(symbol: string, side: number, price: number, qty: number): number {
    if (side !== 0x42 && side !== 0x53) throw new RangeError(`side must be 'B' (0x42) or 'S' (0x53), got ${side}`);
    if (!Number.isInteger(price) || price < 1 || price > 0xffffffff) throw new RangeError(`quote price must be an integer tick count ≥ 1, got ${price}`);
    const hi = symbolHi(symbol);
    const lo = symbolLo(symbol);
    const key = symbol + (side === 0x42 ? 'B' : 'S');
    const old = this.quotes.get(key);
    if (old !== undefined) {
      this.quotes.delete(key);
      this.byOid.delete(old.oid);
      this.matcher.cancel(this.channel.id, Encoding.BINARY, this.userId, old.oid, hi, lo, true, true);
    }
    let oid = 0;
    if (qty > 0) {
      oid = this.nextOid++;
      this.quotes.set(key, { oid, remaining: qty });
      this.byOid.set(oid, key);
      this.matcher.newOrder(this.channel.id, Encoding.BINARY, this.userId, oid, hi, lo, price, qty, side);
    }
    this.afterSubmit();
    return oid;
  }

  /** Cancels every quote. */
  cancelAll(): void {
    for (const key of [...this.quotes.keys()]) this.replaceQuote(key.slice(0, -1), key.endsWith('B') ? 0x42 : 0x53, 1, 0);
  }

  /** Decodes one binary output message addressed to this client; `aggressor`: the side byte of a trade's taker. */
  onOutput(b: Uint8Array, n: number, aggressor: number): void {
    const type = b[1];
    const symbol = symbolToString(readU32BE(b, 2), readU32BE(b, 6));
    if (type === 0x54 && n === 34) {
      const price = readU32BE(b, 26);
      const qty = readU32BE(b, 30);
      if (readU32BE(b, 10) === this.userId && this.byOid.has(readU32BE(b, 14))) this.fill(symbol, 0x42, readU32BE(b, 14), price, qty, aggressor === 0x42);
      if (readU32BE(b, 18) === this.userId && this.byOid.has(readU32BE(b, 22))) this.fill(symbol, 0x53, readU32BE(b, 22), price, qty, aggressor === 0x53);
    } else if (type === 0x52 && n === 19) {
      const oid = readU32BE(b, 14);
      const reason = b[18];
      const key = this.byOid.get(oid);
      if (key !== undefined && reason !== RejectReason.ORDER_NOT_FOUND) {
        this.byOid.delete(oid);
        this.quotes.delete(key);
      }
      // A cancel of a quote that has just filled is expected and not reported.
      if (reason !== RejectReason.ORDER_NOT_FOUND) this.listener.onReject?.(symbol, oid, reason);
    }
  }

  private fill(symbol: string, side: number, oid: number, price: number, qty: number, taker: boolean): void {
    const key = this.byOid.get(oid) as string;
    const q = this.quotes.get(key);
    if (q !== undefined && q.oid === oid) {
      q.remaining -= qty;
      if (q.remaining <= 0) {
        this.quotes.delete(key);
        this.byOid.delete(oid);
      }
    }
    this.listener.onFill(symbol, side, price, qty, oid, taker);
  }
}
