/**
 * Template ids and the stream each template travels on. Ids are never reused: a retired template keeps its id.
 * Stream 15 carries two templates (quote and pull-quotes); every other stream carries one.
 * Instruments (Binance reference data: tick, step, minimums, status) have their own stream 20 rather than the
 * book stream 10: every reader of 10 takes only books, and a reader of instruments (the strategy) need not read books.
 */
export const TemplateId = {
  BOOK_SNAPSHOT: 1,
  STATE: 2,
  HEARTBEAT: 3,
  TRADE: 4,
  PRICING: 5,
  QUOTE: 6,
  PULL_QUOTES: 7,
  FILL: 8,
  POSITION: 9,
  ENGINE_TRADE: 10,
  ENGINE_TOP_OF_BOOK: 11,
  INSTRUMENT: 12,
} as const;

export type TemplateId = (typeof TemplateId)[keyof typeof TemplateId];

export const StreamId = {
  BOOK: 10,
  STATE: 11,
  HEARTBEAT: 12,
  TRADES: 13,
  PRICING: 14,
  QUOTES: 15,
  FILLS: 16,
  POSITIONS: 17,
  ENGINE_TRADES: 18,
  ENGINE_TOP_OF_BOOK: 19,
  INSTRUMENTS: 20,
} as const;

export type StreamId = (typeof StreamId)[keyof typeof StreamId];

/** The stream a template is published on. */
export const TEMPLATE_STREAM: Readonly<Record<TemplateId, StreamId>> = {
  [TemplateId.BOOK_SNAPSHOT]: StreamId.BOOK,
  [TemplateId.STATE]: StreamId.STATE,
  [TemplateId.HEARTBEAT]: StreamId.HEARTBEAT,
  [TemplateId.TRADE]: StreamId.TRADES,
  [TemplateId.PRICING]: StreamId.PRICING,
  [TemplateId.QUOTE]: StreamId.QUOTES,
  [TemplateId.PULL_QUOTES]: StreamId.QUOTES,
  [TemplateId.FILL]: StreamId.FILLS,
  [TemplateId.POSITION]: StreamId.POSITIONS,
  [TemplateId.ENGINE_TRADE]: StreamId.ENGINE_TRADES,
  [TemplateId.ENGINE_TOP_OF_BOOK]: StreamId.ENGINE_TOP_OF_BOOK,
  [TemplateId.INSTRUMENT]: StreamId.INSTRUMENTS,
};

/** Templates that may appear on a stream, for consumers that want to reject strays. */
export function templatesOfStream(streamId: number): TemplateId[] {
  const out: TemplateId[] = [];
  for (const [id, stream] of Object.entries(TEMPLATE_STREAM)) if (stream === streamId) out.push(Number(id) as TemplateId);
  return out;
}
