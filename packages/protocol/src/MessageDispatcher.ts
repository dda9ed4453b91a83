/**
 * Inbound side: validates the header and length of any message before a field is read, then hands a wrapped,
 * reusable decoder to the handler registered for its template. One decoder per template, allocated once.
 *
 * Bad messages never throw: they go to the `onInvalid` handler with their DecodeResult, and are counted
 * (`invalidCount`, by result in `invalidByResult`) so a service can log and keep running.
 */
import type { AtomicBuffer } from '@mm/agrona';
import { BookSnapshotDecoder } from './BookSnapshotCodec.js';
import { codecOf } from './Codecs.js';
import { DecodeResult } from './DecodeResult.js';
import { EngineTopOfBookDecoder } from './EngineTopOfBookCodec.js';
import { EngineTradeDecoder } from './EngineTradeCodec.js';
import { FillDecoder } from './FillCodec.js';
import { HeartbeatDecoder } from './HeartbeatCodec.js';
import { InstrumentDecoder } from './InstrumentCodec.js';
import { checkHeader, checkMessage } from './MessageCheck.js';
import { MessageHeader } from './MessageHeader.js';
import { PositionDecoder } from './PositionCodec.js';
import { PricingDecoder } from './PricingCodec.js';
import { PullQuotesDecoder } from './PullQuotesCodec.js';
import { QuoteDecoder } from './QuoteCodec.js';
import { StateDecoder } from './StateCodec.js';
import { TemplateId } from './Templates.js';
import { TradeDecoder } from './TradeCodec.js';

/** Checks any message (known template, version, lengths, values) without reading it further. */
export function checkAnyMessage(buffer: AtomicBuffer, offset: number, length: number): DecodeResult {
  const header = checkHeader(buffer, offset, length);
  if (header !== DecodeResult.OK) return header;
  const spec = codecOf(MessageHeader.templateId(buffer, offset));
  if (spec === undefined) return DecodeResult.UNKNOWN_TEMPLATE;
  return checkMessage(spec, buffer, offset, length);
}

export interface MessageHandlers {
  onBookSnapshot?(decoder: BookSnapshotDecoder): void;
  onState?(decoder: StateDecoder): void;
  onHeartbeat?(decoder: HeartbeatDecoder): void;
  onTrade?(decoder: TradeDecoder): void;
  onPricing?(decoder: PricingDecoder): void;
  onQuote?(decoder: QuoteDecoder): void;
  onPullQuotes?(decoder: PullQuotesDecoder): void;
  onFill?(decoder: FillDecoder): void;
  onPosition?(decoder: PositionDecoder): void;
  onEngineTrade?(decoder: EngineTradeDecoder): void;
  onEngineTopOfBook?(decoder: EngineTopOfBookDecoder): void;
  onInstrument?(decoder: InstrumentDecoder): void;
  /** A message that failed its check; `templateId` is -1 when the header itself was truncated. */
  onInvalid?(result: DecodeResult, templateId: number, buffer: AtomicBuffer, offset: number, length: number): void;
}

export class MessageDispatcher {
  readonly bookSnapshot = new BookSnapshotDecoder();
  readonly state = new StateDecoder();
  readonly heartbeat = new HeartbeatDecoder();
  readonly trade = new TradeDecoder();
  readonly pricing = new PricingDecoder();
  readonly quote = new QuoteDecoder();
  readonly pullQuotes = new PullQuotesDecoder();
  readonly fill = new FillDecoder();
  readonly position = new PositionDecoder();
  readonly engineTrade = new EngineTradeDecoder();
  readonly engineTopOfBook = new EngineTopOfBookDecoder();
  readonly instrument = new InstrumentDecoder();

  /** Messages that failed their check, in total and by DecodeResult code (index 1..4). */
  invalidCount = 0;
  readonly invalidByResult = new Float64Array(5);
  /** Valid messages of a template nobody registered a handler for. */
  unhandledCount = 0;

  constructor(private readonly handlers: MessageHandlers) {}

  /** Checks and dispatches one message; returns its DecodeResult (OK when handled or validly unhandled). */
  onMessage(buffer: AtomicBuffer, offset: number, length: number): DecodeResult {
    const result = checkAnyMessage(buffer, offset, length);
    if (result !== DecodeResult.OK) {
      this.invalidCount++;
      this.invalidByResult[result]++;
      const templateId = length >= 2 && offset >= 0 && offset + 2 <= buffer.capacity ? MessageHeader.templateId(buffer, offset) : -1;
      this.handlers.onInvalid?.(result, templateId, buffer, offset, length);
      return result;
    }
    const h = this.handlers;
    switch (MessageHeader.templateId(buffer, offset)) {
      case TemplateId.BOOK_SNAPSHOT:
        if (h.onBookSnapshot) { h.onBookSnapshot(this.bookSnapshot.wrap(buffer, offset)); return result; } break;
      case TemplateId.STATE:
        if (h.onState) { h.onState(this.state.wrap(buffer, offset)); return result; } break;
      case TemplateId.HEARTBEAT:
        if (h.onHeartbeat) { h.onHeartbeat(this.heartbeat.wrap(buffer, offset)); return result; } break;
      case TemplateId.TRADE:
        if (h.onTrade) { h.onTrade(this.trade.wrap(buffer, offset)); return result; } break;
      case TemplateId.PRICING:
        if (h.onPricing) { h.onPricing(this.pricing.wrap(buffer, offset)); return result; } break;
      case TemplateId.QUOTE:
        if (h.onQuote) { h.onQuote(this.quote.wrap(buffer, offset)); return result; } break;
      case TemplateId.PULL_QUOTES:
        if (h.onPullQuotes) { h.onPullQuotes(this.pullQuotes.wrap(buffer, offset)); return result; } break;
      case TemplateId.FILL:
        if (h.onFill) { h.onFill(this.fill.wrap(buffer, offset)); return result; } break;
      case TemplateId.POSITION:
        if (h.onPosition) { h.onPosition(this.position.wrap(buffer, offset)); return result; } break;
      case TemplateId.ENGINE_TRADE:
        if (h.onEngineTrade) { h.onEngineTrade(this.engineTrade.wrap(buffer, offset)); return result; } break;
      case TemplateId.ENGINE_TOP_OF_BOOK:
        if (h.onEngineTopOfBook) { h.onEngineTopOfBook(this.engineTopOfBook.wrap(buffer, offset)); return result; } break;
      case TemplateId.INSTRUMENT:
        if (h.onInstrument) { h.onInstrument(this.instrument.wrap(buffer, offset)); return result; } break;
    }
    this.unhandledCount++;
    return result;
  }
}
