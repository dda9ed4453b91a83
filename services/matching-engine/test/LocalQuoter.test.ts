import { describe, expect, it } from 'vitest';
import { DEFAULT_CORE_LIMITS, Encoding, symbolHi, symbolLo } from '@mm/matching';
import { DirectMatcher } from '../src/DirectMatcher.js';
import { EngineCounters } from '../src/EngineCounters.js';
import { LocalQuoter } from '../src/LocalQuoter.js';
import { OutputRouter } from '../src/OutputRouter.js';
import { RecordingChannel } from './support/RecordingChannel.js';
import { renderOutput } from './support/clients.js';

function setup() {
  const router = new OutputRouter(new EngineCounters());
  const matcher = new DirectMatcher({ ...DEFAULT_CORE_LIMITS, maxOrders: 256, maxBooks: 8, maxLevelsPerBook: 64 }, router);
  const fills: [string, string, number, number, number, string][] = [];
  const rejects: [string, number, number][] = [];
  const q = new LocalQuoter(100, 900, matcher, { onFill: (s, side, p, qty, oid, taker) => fills.push([s, String.fromCharCode(side), p, qty, oid, taker ? 'taker' : 'maker']), onReject: (s, oid, r) => rejects.push([s, oid, r]) }, () => router.flushAll());
  router.add(q.channel);
  const taker = new RecordingChannel(1, '127.0.0.1');
  taker.setEncoding(Encoding.BINARY);
  router.add(taker);
  const take = (uid: number, oid: number, sym: string, price: number, qty: number, side: number): void => {
    matcher.newOrder(1, Encoding.BINARY, uid, oid, symbolHi(sym), symbolLo(sym), price, qty, side);
    router.flushAll();
  };
  return { q, fills, rejects, take, taker, core: matcher.core };
}

describe('LocalQuoter', () => {
  it('replaces its bid and ask per symbol and reports fills with our side', () => {
    const { q, fills, take, core } = setup();
    q.replaceQuote('BTC', 0x42, 99, 5);
    q.replaceQuote('BTC', 0x53, 101, 5);
    const book = core.bookOf(symbolHi('BTC'), symbolLo('BTC'));
    expect([core.bestPrice(book, 0x42), core.bestPrice(book, 0x53)]).toEqual([99, 101]);
    q.replaceQuote('BTC', 0x42, 100, 3);
    expect([core.bestPrice(book, 0x42), core.bestQty(book, 0x42), core.restingOrders]).toEqual([100, 3, 2]);
    take(1, 1, 'BTC', 0, 2, 0x53);
    take(1, 2, 'BTC', 0, 7, 0x42);
    expect(fills).toEqual([
      ['BTC', 'B', 100, 2, 3, 'maker'],
      ['BTC', 'S', 101, 5, 2, 'maker'],
    ]);
    // The fully filled ask is forgotten: replacing it sends no cancel (and reports no reject).
    q.replaceQuote('BTC', 0x53, 102, 1);
    expect(core.restingOrders).toBe(2);
    q.cancelAll();
    expect(core.restingOrders).toBe(0);
  });

  it('a quote that crosses a resting order on entry is the taker of that fill', () => {
    const { q, fills, take } = setup();
    take(1, 1, 'BTC', 100, 2, 0x53);
    take(1, 2, 'BTC', 98, 4, 0x42);
    q.replaceQuote('BTC', 0x42, 101, 3); // takes 2 at 100, rests 1
    take(1, 3, 'BTC', 0, 1, 0x53); // hits our rest
    q.replaceQuote('BTC', 0x53, 97, 5); // takes 4 at 98, rests 1
    expect(fills).toEqual([
      ['BTC', 'B', 100, 2, 1, 'taker'],
      ['BTC', 'B', 101, 1, 1, 'maker'],
      ['BTC', 'S', 98, 4, 2, 'taker'],
    ]);
  });

  it('reports refused quotes', () => {
    const { q, rejects } = setup();
    q.replaceQuote('ABCDEFGH', 0x42, 10, 1);
    expect(rejects).toEqual([]);
    expect(() => q.replaceQuote('TOOLONGSYM', 0x42, 10, 1)).toThrow(/longer than 8/);
    expect(() => q.replaceQuote('X', 0x41, 10, 1)).toThrow(/side/);
  });

  it('the taker sees normal output', () => {
    const { q, take, taker } = setup();
    q.replaceQuote('ETH', 0x53, 50, 1);
    take(1, 1, 'ETH', 50, 1, 0x42);
    const bytes = taker.bytes();
    const msgs: string[] = [];
    for (let o = 0; o < bytes.length; ) {
      const len = bytes[o + 1] === 0x54 ? 34 : bytes[o + 1] === 0x42 ? 20 : bytes[o + 1] === 0x52 ? 19 : 18;
      msgs.push(renderOutput(bytes.subarray(o, o + len)));
      o += len;
    }
    expect(msgs).toEqual(['A, ETH, 1, 1', 'T, ETH, 1, 1, 900, 1, 50, 1', 'B, ETH, S, -, -']);
  });
});
