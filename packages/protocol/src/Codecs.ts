/** Every template's spec, indexed by template id (the one list the dispatcher, JSON and docs walk). */
import { BookSnapshotCodec } from './BookSnapshotCodec.js';
import { EngineTopOfBookCodec } from './EngineTopOfBookCodec.js';
import { EngineTradeCodec } from './EngineTradeCodec.js';
import { FillCodec } from './FillCodec.js';
import { HeartbeatCodec } from './HeartbeatCodec.js';
import { InstrumentCodec } from './InstrumentCodec.js';
import type { MessageSpec } from './MessageSpec.js';
import { PositionCodec } from './PositionCodec.js';
import { PricingCodec } from './PricingCodec.js';
import { PullQuotesCodec } from './PullQuotesCodec.js';
import { QuoteCodec } from './QuoteCodec.js';
import { StateCodec } from './StateCodec.js';
import { TradeCodec } from './TradeCodec.js';

export const ALL_CODECS: readonly MessageSpec[] = [
  BookSnapshotCodec, StateCodec, HeartbeatCodec, TradeCodec, PricingCodec, QuoteCodec, PullQuotesCodec, FillCodec,
  PositionCodec, EngineTradeCodec, EngineTopOfBookCodec, InstrumentCodec,
];

const BY_ID: (MessageSpec | undefined)[] = [];
for (const spec of ALL_CODECS) BY_ID[spec.templateId] = spec;

/** The spec of a template id, or undefined when unknown. */
export function codecOf(templateId: number): MessageSpec | undefined {
  return BY_ID[templateId];
}
