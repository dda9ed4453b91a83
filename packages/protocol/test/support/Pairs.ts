import * as P from '../../src/index.js';
import type { MessageSpec } from '../../src/MessageSpec.js';

export interface Pair { spec: MessageSpec; encoder: P.EncoderFlyweight; decoder: P.DecoderFlyweight }

export function pairs(): Pair[] {
  return [
    { spec: P.BookSnapshotCodec, encoder: new P.BookSnapshotEncoder(), decoder: new P.BookSnapshotDecoder() },
    { spec: P.StateCodec, encoder: new P.StateEncoder(), decoder: new P.StateDecoder() },
    { spec: P.HeartbeatCodec, encoder: new P.HeartbeatEncoder(), decoder: new P.HeartbeatDecoder() },
    { spec: P.TradeCodec, encoder: new P.TradeEncoder(), decoder: new P.TradeDecoder() },
    { spec: P.PricingCodec, encoder: new P.PricingEncoder(), decoder: new P.PricingDecoder() },
    { spec: P.QuoteCodec, encoder: new P.QuoteEncoder(), decoder: new P.QuoteDecoder() },
    { spec: P.PullQuotesCodec, encoder: new P.PullQuotesEncoder(), decoder: new P.PullQuotesDecoder() },
    { spec: P.FillCodec, encoder: new P.FillEncoder(), decoder: new P.FillDecoder() },
    { spec: P.PositionCodec, encoder: new P.PositionEncoder(), decoder: new P.PositionDecoder() },
    { spec: P.EngineTradeCodec, encoder: new P.EngineTradeEncoder(), decoder: new P.EngineTradeDecoder() },
    { spec: P.EngineTopOfBookCodec, encoder: new P.EngineTopOfBookEncoder(), decoder: new P.EngineTopOfBookDecoder() },
    { spec: P.InstrumentCodec, encoder: new P.InstrumentEncoder(), decoder: new P.InstrumentDecoder() },
  ];
}
