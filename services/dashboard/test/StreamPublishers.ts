/**
 * Test helper: one exclusive publication per stream the dashboard reads, with an encoder per template, so a test
 * publishes exactly what a service would. Prices and quantities are given as decimal strings and encoded exactly
 * (`toFixed8`); model outputs as floats.
 */
import { AtomicBuffer } from '@mm/agrona';
import {
  BookSnapshotEncoder,
  FillEncoder,
  HeartbeatEncoder,
  PositionEncoder,
  PricingEncoder,
  PullQuotesEncoder,
  QuoteEncoder,
  StateEncoder,
  TradeEncoder,
  toFixed8,
  type Liquidity,
  type ServiceState,
  type Side,
  type Venue,
} from '@mm/protocol';
import type { Publisher, Streams, Transport } from '@mm/runtime';

export interface PricingInput { symbol: string; mid: number; fairValue: number; microPrice?: number; sigma?: number; bid?: string; ask?: string }
export interface QuoteInput { symbol: string; venue: Venue; bid: string; bidQty: string; ask: string; askQty: string; quoteId?: number }
export interface FillInput { symbol: string; venue: Venue; side: Side; price: string; qty: string; fee?: string; fillId: number; liquidity?: Liquidity }
export interface PositionInput {
  symbol: string; venue: Venue; quantity: string; fees: string; averagePrice: number; realizedPnl: number;
  unrealizedPnl: number; markPrice?: number; lastFillId?: number;
}
export interface BookInput { symbol: string; bids: [string, string][]; asks: [string, string][] }
export interface HeartbeatInput { service: string; instanceId?: number; pid?: number; state: ServiceState; reason?: string; messagesIn?: number; messagesOut?: number; errors?: number; uptimeNs?: number }

export class StreamPublishers {
  private readonly buffer = AtomicBuffer.allocate(4096);
  private seq = 1;
  private constructor(private readonly pubs: Record<string, Publisher>) {}

  static async create(transport: Transport, streams: Streams): Promise<StreamPublishers> {
    const names = ['book', 'state', 'heartbeat', 'trade', 'pricing', 'quote', 'fill', 'position'] as const;
    const pubs: Record<string, Publisher> = {};
    for (const name of names) pubs[name] = await transport.addExclusivePublication(streams[name].channel, streams[name].streamId);
    return new StreamPublishers(pubs);
  }

  publisher(name: string): Publisher {
    const p = this.pubs[name];
    if (!p) throw new Error(`no publisher ${name}`);
    return p;
  }

  /** Offers raw bytes on a stream; returns the offer result. */
  offerRaw(stream: string, bytes: Uint8Array): number {
    this.buffer.bytes.set(bytes, 0);
    return this.publisher(stream).offer(this.buffer, 0, bytes.length);
  }

  book(m: BookInput): number {
    const e = new BookSnapshotEncoder().wrap(this.buffer, 0).sequence(this.seq++).recvTimeNs(1).symbol(m.symbol)
      .firstUpdateId(1).lastUpdateId(2).levelCounts(m.bids.length, m.asks.length);
    m.bids.forEach(([p, q], i) => e.bid(i, toFixed8(p), toFixed8(q)));
    m.asks.forEach(([p, q], i) => e.ask(i, toFixed8(p), toFixed8(q)));
    return this.offer('book', e.encodedLength());
  }

  trade(symbol: string, price: string, qty: string, aggressorSide: Side): number {
    const e = new TradeEncoder().wrap(this.buffer, 0).sequence(this.seq++).recvTimeNs(1).tradeId(this.seq)
      .price(toFixed8(price)).qty(toFixed8(qty)).symbol(symbol).aggressorSide(aggressorSide);
    return this.offer('trade', e.encodedLength());
  }

  pricing(m: PricingInput): number {
    const e = new PricingEncoder().wrap(this.buffer, 0).sequence(this.seq++).recvTimeNs(1).publishTimeNs(2)
      .bestBidPrice(toFixed8(m.bid ?? '0')).bestAskPrice(toFixed8(m.ask ?? '0')).mid(m.mid).weightedMid(m.mid)
      .microPrice(m.microPrice ?? m.mid).fairValue(m.fairValue).sigma(m.sigma ?? 0).symbol(m.symbol);
    return this.offer('pricing', e.encodedLength());
  }

  quote(m: QuoteInput): number {
    const e = new QuoteEncoder().wrap(this.buffer, 0).sequence(this.seq++).recvTimeNs(1).quoteId(m.quoteId ?? this.seq)
      .sendTimeNs(2).bidPrice(toFixed8(m.bid)).bidQty(toFixed8(m.bidQty)).askPrice(toFixed8(m.ask))
      .askQty(toFixed8(m.askQty)).symbol(m.symbol).venue(m.venue);
    return this.offer('quote', e.encodedLength());
  }

  pullQuotes(symbol: string, venue: Venue): number {
    const e = new PullQuotesEncoder().wrap(this.buffer, 0).sequence(this.seq++).recvTimeNs(1).quoteId(this.seq)
      .sendTimeNs(2).symbol(symbol).venue(venue);
    return this.offer('quote', e.encodedLength());
  }

  fill(m: FillInput): number {
    const e = new FillEncoder().wrap(this.buffer, 0).sequence(this.seq++).recvTimeNs(1).fillId(m.fillId).orderId(7)
      .price(toFixed8(m.price)).qty(toFixed8(m.qty)).fee(toFixed8(m.fee ?? '0')).fillTimeNs(3).symbol(m.symbol)
      .venue(m.venue).side(m.side).liquidity(m.liquidity ?? 1);
    return this.offer('fill', e.encodedLength());
  }

  position(m: PositionInput): number {
    const e = new PositionEncoder().wrap(this.buffer, 0).sequence(this.seq++).recvTimeNs(1).timeNs(2)
      .lastFillId(m.lastFillId ?? 0).quantity(toFixed8(m.quantity)).fees(toFixed8(m.fees)).averagePrice(m.averagePrice)
      .realizedPnl(m.realizedPnl).unrealizedPnl(m.unrealizedPnl).markPrice(m.markPrice ?? m.averagePrice)
      .symbol(m.symbol).venue(m.venue);
    return this.offer('position', e.encodedLength());
  }

  heartbeat(m: HeartbeatInput): number {
    const e = new HeartbeatEncoder().wrap(this.buffer, 0).sequence(this.seq++).timeNs(1).uptimeNs(m.uptimeNs ?? 5e9)
      .messagesIn(m.messagesIn ?? 0).messagesOut(m.messagesOut ?? 0).errors(m.errors ?? 0).pid(m.pid ?? 4242)
      .instanceId(m.instanceId ?? 0).service(m.service).state(m.state).reason(m.reason ?? '');
    return this.offer('heartbeat', e.encodedLength());
  }

  state(service: string, state: ServiceState, reason: string, symbol = ''): number {
    const e = new StateEncoder().wrap(this.buffer, 0).sequence(this.seq++).timeNs(1).pid(4242).instanceId(0)
      .service(service).symbol(symbol).state(state).previousState(0).reason(reason);
    return this.offer('state', e.encodedLength());
  }

  private offer(stream: string, length: number): number {
    const result = this.publisher(stream).offer(this.buffer, 0, length);
    if (result < 0) throw new Error(`offer on ${stream} failed with ${result}`);
    return result;
  }
}
