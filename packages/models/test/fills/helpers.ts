import { FeeModel } from '../../src/fills/FeeModel.js';
import { FillEngine } from '../../src/fills/FillEngine.js';
import { ArrayBook, type FillEvent, FillIdCounter, type FillSink } from '../../src/fills/FillTypes.js';
import { ConstantLatency, type LatencyModel } from '../../src/fills/LatencyModel.js';
import { type QueueModel, RiskAverseQueueModel } from '../../src/fills/QueueModel.js';

export const E8 = 1e8;
export const MS = 1e6;

/** Collects copies of delivered fills (the engine reuses its event object). */
export class CollectingSink implements FillSink {
  readonly fills: FillEvent[] = [];
  onFill(fill: Readonly<FillEvent>): void {
    this.fills.push({ ...fill });
  }
}

export interface Rig {
  engine: FillEngine;
  sink: CollectingSink;
  book: ArrayBook;
}

export function rig(
  opts: { queue?: QueueModel; latency?: LatencyModel; fees?: FeeModel; lotE8?: number } = {},
): Rig {
  const sink = new CollectingSink();
  const engine = new FillEngine(
    { symbolId: 7, lotE8: opts.lotE8 ?? 1 },
    opts.queue ?? new RiskAverseQueueModel(),
    opts.latency ?? new ConstantLatency(0, 0),
    opts.fees ?? new FeeModel(0, 0),
    new FillIdCounter(0),
    sink,
  );
  return { engine, sink, book: new ArrayBook() };
}

/** Book with one bid level and one ask level (prices in price units, quantities in base units). */
export function setTop(book: ArrayBook, bid: number, bidQty: number, ask: number, askQty: number): ArrayBook {
  return book.set([[Math.round(bid * E8), Math.round(bidQty * E8)]], [[Math.round(ask * E8), Math.round(askQty * E8)]]);
}
