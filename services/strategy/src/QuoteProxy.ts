import { AtomicBuffer } from '@mm/agrona';
import { PullQuotesEncoder, QuoteEncoder, type PullReason, type QuoteCause, type Venue } from '@mm/protocol';
import { Stage, stageTrace, type Clock, type Publisher } from '@mm/runtime';

/**
 * Outbound side of stream 15: quotes and pull-quotes addressed to one venue, with nothing lost to back pressure.
 *
 * Every message is queued in a preallocated slot and sent by `flush()` (called right away and on every duty cycle
 * until it succeeds):
 * - per symbol, a new quote replaces a pending one (the latest quote supersedes at the venue anyway); a pull
 *   replaces a pending quote of its symbol and is kept until sent, so a pull is never lost or conflated away;
 * - a pull of all symbols replaces every pending quote and symbol pull;
 * - order is kept: the all-symbols pull first, then per symbol its pull before its quote; flush stops at the first
 *   message the publisher refuses, so nothing overtakes it.
 * Nothing is allocated per message.
 */
export interface QuoteProxyCounters {
  quotes: number;
  pulls: number;
  /** Offers refused (back pressure, not connected) and retried later. */
  refused: number;
}

export class QuoteProxy {
  readonly counters: QuoteProxyCounters = { quotes: 0, pulls: 0, refused: 0 };
  private readonly quoteEncoder = new QuoteEncoder();
  private readonly pullEncoder = new PullQuotesEncoder();
  private readonly out = AtomicBuffer.allocate(256);
  private readonly n: number;
  private readonly pullPending: Uint8Array;
  private readonly pullReason: Uint8Array;
  private readonly pullId: Float64Array;
  private readonly pullRecvNs: Float64Array;
  private readonly quotePending: Uint8Array;
  private readonly quoteId: Float64Array;
  private readonly quoteRecvNs: Float64Array;
  private readonly bidPrice: Float64Array;
  private readonly bidQty: Float64Array;
  private readonly askPrice: Float64Array;
  private readonly askQty: Float64Array;
  private readonly quoteCause: Uint8Array;
  private allPending = false;
  private allReason: PullReason = 0;
  private allId = 0;
  private allRecvNs = 0;
  private pendingCount = 0;
  private sequence = 0;
  /** Result of the last refused offer (for logs), 0 if none. */
  lastRefusal = 0;

  constructor(
    private readonly publisher: Publisher,
    private readonly venue: Venue,
    private readonly symbols: readonly Uint8Array[],
    private readonly clock: Clock,
  ) {
    const n = symbols.length;
    this.n = n;
    this.pullPending = new Uint8Array(n);
    this.pullReason = new Uint8Array(n);
    this.pullId = new Float64Array(n);
    this.pullRecvNs = new Float64Array(n);
    this.quotePending = new Uint8Array(n);
    this.quoteId = new Float64Array(n);
    this.quoteRecvNs = new Float64Array(n);
    this.bidPrice = new Float64Array(n);
    this.bidQty = new Float64Array(n);
    this.askPrice = new Float64Array(n);
    this.askQty = new Float64Array(n);
    this.quoteCause = new Uint8Array(n);
  }

  /** Messages waiting to be sent. */
  get pending(): number {
    return this.pendingCount;
  }

  quote(i: number, id: number, recvTimeNs: number, bidPriceE8: number, bidQtyE8: number, askPriceE8: number, askQtyE8: number,
    cause: QuoteCause): void {
    if (this.quotePending[i] === 0) this.pendingCount++;
    this.quotePending[i] = 1;
    this.quoteId[i] = id;
    this.quoteRecvNs[i] = recvTimeNs;
    this.bidPrice[i] = bidPriceE8;
    this.bidQty[i] = bidQtyE8;
    this.askPrice[i] = askPriceE8;
    this.askQty[i] = askQtyE8;
    this.quoteCause[i] = cause;
  }

  pull(i: number, id: number, recvTimeNs: number, reason: PullReason): void {
    if (this.quotePending[i] !== 0) {
      this.quotePending[i] = 0;
      this.pendingCount--;
    }
    if (this.pullPending[i] === 0) this.pendingCount++;
    this.pullPending[i] = 1;
    this.pullReason[i] = reason;
    this.pullId[i] = id;
    this.pullRecvNs[i] = recvTimeNs;
  }

  pullAll(id: number, recvTimeNs: number, reason: PullReason): void {
    for (let i = 0; i < this.n; i++) {
      this.quotePending[i] = 0;
      this.pullPending[i] = 0;
    }
    this.pendingCount = 1;
    this.allPending = true;
    this.allReason = reason;
    this.allId = id;
    this.allRecvNs = recvTimeNs;
  }

  /** Sends what is pending, in order, until done or refused; returns the number of messages sent. */
  flush(): number {
    if (this.pendingCount === 0) return 0;
    let sent = 0;
    if (this.allPending) {
      if (!this.sendPull(-1, this.allId, this.allRecvNs, this.allReason)) return sent;
      this.allPending = false;
      this.pendingCount--;
      sent++;
    }
    for (let i = 0; i < this.n && this.pendingCount > 0; i++) {
      if (this.pullPending[i] !== 0) {
        if (!this.sendPull(i, this.pullId[i] as number, this.pullRecvNs[i] as number, this.pullReason[i] as PullReason)) return sent;
        this.pullPending[i] = 0;
        this.pendingCount--;
        sent++;
      }
      if (this.quotePending[i] !== 0) {
        if (!this.sendQuote(i)) return sent;
        this.quotePending[i] = 0;
        this.pendingCount--;
        sent++;
      }
    }
    return sent;
  }

  private sendQuote(i: number): boolean {
    const enc = this.quoteEncoder.wrap(this.out, 0)
      .sequence(this.sequence)
      .recvTimeNs(this.quoteRecvNs[i] as number)
      .quoteId(this.quoteId[i] as number)
      .sendTimeNs(this.clock.nanoTime())
      .bidPrice(this.bidPrice[i] as number)
      .bidQty(this.bidQty[i] as number)
      .askPrice(this.askPrice[i] as number)
      .askQty(this.askQty[i] as number)
      .symbolBytes(this.symbols[i]!)
      .venue(this.venue)
      .cause(this.quoteCause[i] as QuoteCause);
    if (!this.offer(enc.encodedLength())) return false;
    stageTrace.mark(Stage.QUOTE_OFFERED, this.quoteRecvNs[i] as number);
    this.counters.quotes++;
    return true;
  }

  /** i < 0: every symbol. */
  private sendPull(i: number, id: number, recvTimeNs: number, reason: PullReason): boolean {
    const enc = this.pullEncoder.wrap(this.out, 0)
      .sequence(this.sequence)
      .recvTimeNs(recvTimeNs)
      .quoteId(id)
      .sendTimeNs(this.clock.nanoTime())
      .venue(this.venue)
      .reason(reason);
    if (i < 0) enc.allSymbols(true);
    else enc.symbolBytes(this.symbols[i]!);
    if (!this.offer(enc.encodedLength())) return false;
    this.counters.pulls++;
    return true;
  }

  private offer(length: number): boolean {
    const result = this.publisher.offer(this.out, 0, length);
    if (result < 0) {
      this.counters.refused++;
      this.lastRefusal = result;
      return false;
    }
    this.sequence++;
    return true;
  }
}
