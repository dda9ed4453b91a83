import type { BookTicker, DepthUpdate } from '../src/MarketEvents.js';
import type { OrderBook } from '../src/OrderBook.js';

/**
 * Test helper: remembers the top of book after every applied depth event and every recorded bookTicker, and
 * compares them where the ids coincide (order of arrival does not matter: bookTicker usually comes first).
 */
export class BookTickerChecker {
  matched = 0;
  private readonly matchedBySymbol = new Map<string, number>();

  matchedOf(symbol: string): number {
    return this.matchedBySymbol.get(symbol) ?? 0;
  }
  readonly mismatches: string[] = [];
  private readonly books = new Map<string, Map<number, [number, number, number, number]>>();
  private readonly tickers = new Map<string, Map<number, [number, number, number, number]>>();

  onBook(book: OrderBook, event: DepthUpdate): void {
    if (event.finalUpdateId !== book.updateId) this.mismatches.push(`book id ${book.updateId} != event u ${event.finalUpdateId}`);
    this.record(this.books, book.symbol, book.updateId,
      [book.bestBidPrice(), book.bestBidQty(), book.bestAskPrice(), book.bestAskQty()], this.tickers);
  }

  onTicker(t: BookTicker): void {
    this.record(this.tickers, t.symbol, t.updateId, [t.bidPrice, t.bidQty, t.askPrice, t.askQty], this.books);
  }

  private record(mine: Map<string, Map<number, [number, number, number, number]>>, symbol: string, id: number,
    top: [number, number, number, number], other: Map<string, Map<number, [number, number, number, number]>>): void {
    let m = mine.get(symbol);
    if (m === undefined) mine.set(symbol, (m = new Map()));
    m.set(id, top);
    const o = other.get(symbol)?.get(id);
    if (o === undefined) return;
    if (o.every((v, i) => v === top[i])) {
      this.matched++;
      this.matchedBySymbol.set(symbol, this.matchedOf(symbol) + 1);
    }
    else this.mismatches.push(`${symbol} @${id}: ${top.join(',')} vs ${o.join(',')}`);
  }
}
