import { describe, expect, it } from 'vitest';
import { FrameKind, FrameParser } from '../src/FrameParser.js';

const depthFrame = '{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1723161255208,"s":"BTCUSDT","U":50093239189,"u":50093239202,"b":[["61737.63000000","0.00000000"],["61730.17000000","1.5"]],"a":[["61837.64000000","1.54698000"]]}}';
const tradeFrame = '{"stream":"btcusdt@trade","data":{"e":"trade","E":1723161255343,"s":"BTCUSDT","t":3735683259,"p":"61837.63000000","q":"0.02000000","T":1723161255342,"m":true,"M":true}}';
const tickerFrame = '{"stream":"btcusdt@bookTicker","data":{"u":50093239212,"s":"BTCUSDT","b":"61837.63000000","B":"3.78826000","a":"61837.64000000","A":"1.54698000"}}';

describe('FrameParser', () => {
  const p = new FrameParser();

  it('parses a combined depthUpdate frame into fixed point', () => {
    expect(p.parse(depthFrame)).toBe(FrameKind.DEPTH);
    const d = p.depth;
    expect([d.symbol, d.eventTimeMs, d.firstUpdateId, d.finalUpdateId]).toEqual(['BTCUSDT', 1723161255208, 50093239189, 50093239202]);
    expect(d.bids.count).toBe(2);
    expect([d.bids.prices[0], d.bids.qtys[0], d.bids.prices[1], d.bids.qtys[1]]).toEqual([6_173_763_000_000, 0, 6_173_017_000_000, 150_000_000]);
    expect([d.asks.count, d.asks.prices[0], d.asks.qtys[0]]).toEqual([1, 6_183_764_000_000, 154_698_000]);
    expect(p.streamName()).toBe('btcusdt@depth@100ms');
  });

  it('parses trades, bookTicker, raw frames, REST bodies and serverShutdown', () => {
    expect(p.parse(tradeFrame)).toBe(FrameKind.TRADE);
    expect([p.trade.symbol, p.trade.tradeId, p.trade.price, p.trade.qty, p.trade.tradeTimeMs, p.trade.buyerIsMaker])
      .toEqual(['BTCUSDT', 3735683259, 6_183_763_000_000, 2_000_000, 1723161255342, true]);
    expect(p.parse(tickerFrame)).toBe(FrameKind.BOOK_TICKER);
    expect([p.bookTicker.updateId, p.bookTicker.bidPrice, p.bookTicker.bidQty, p.bookTicker.askPrice, p.bookTicker.askQty])
      .toEqual([50093239212, 6_183_763_000_000, 378_826_000, 6_183_764_000_000, 154_698_000]);
    expect(p.parse('{"e":"trade","E":1,"s":"ETHUSDT","t":7,"p":"1.5","q":"2","T":1,"m":false,"M":true}')).toBe(FrameKind.TRADE);
    expect([p.trade.symbol, p.trade.buyerIsMaker]).toEqual(['ETHUSDT', false]);
    expect(p.parse(' {"lastUpdateId":42,"bids":[["1.00","2.00"]],"asks":[]} ')).toBe(FrameKind.SNAPSHOT);
    expect([p.snapshot.lastUpdateId, p.snapshot.bids.count, p.snapshot.asks.count, p.snapshot.bids.prices[0]]).toEqual([42, 1, 0, 100_000_000]);
    expect(p.parse('{"stream":"!serverShutdown","data":{"e":"serverShutdown","E":1}}')).toBe(FrameKind.SERVER_SHUTDOWN);
  });

  it('accepts fields in any order and skips unknown fields and values of any shape', () => {
    const f = '{"data":{"x":{"y":[1,-2.5e3,null,true,"s\\"q"]},"a":[],"b":[["2","3"]],"u":9,"U":5,"s":"BTCUSDT","E":3,"e":"depthUpdate"},"stream":"btcusdt@depth"}';
    expect(p.parse(f)).toBe(FrameKind.DEPTH);
    expect([p.depth.firstUpdateId, p.depth.finalUpdateId, p.depth.bids.count, p.depth.asks.count]).toEqual([5, 9, 1, 0]);
  });

  it('classifies other events and replies as UNKNOWN', () => {
    expect(p.parse('{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":1,"s":"BTCUSDT","a":5,"p":"1","q":"1","f":1,"l":2,"T":1,"m":true,"M":true}}')).toBe(FrameKind.UNKNOWN);
    expect(p.parse('{"result":null,"id":1}')).toBe(FrameKind.UNKNOWN);
    expect(p.parse('{"stream":"btcusdt@depth5","data":{"lastUpdateId":1,"bids":[],"asks":[]}}')).toBe(FrameKind.UNKNOWN);
  });

  it('reports malformed frames with a reason and never throws', () => {
    const bad = [
      '', 'not json', '{"stream":"x","data":{"e":"depthUpdate"', depthFrame.slice(0, -1), depthFrame + 'x',
      depthFrame.replace('"U":50093239189', '"U":"50093239189"'), depthFrame.replace('"61737.63000000"', '"61737.6x"'),
      depthFrame.replace('"0.00000000"]', '"0.00000000",]'), depthFrame.replace('"U":50093239189,', ''),
      tradeFrame.replace('"m":true', '"m":yes'), '{"a":[1,2}', '{"x":' + '['.repeat(100) + ']'.repeat(100) + '}',
      '{"stream":"btcusdt@depth","data":{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1.5,"u":2,"b":[],"a":[]}}',
    ];
    for (const b of bad) {
      expect(p.parse(b), b.slice(0, 60)).toBe(FrameKind.MALFORMED);
      expect(p.error.length).toBeGreaterThan(0);
    }
    expect(p.parse(depthFrame)).toBe(FrameKind.DEPTH);
    expect(p.error).toBe('');
  });

  it('agrees with JSON.parse on the level contents', () => {
    p.parse(depthFrame);
    const j = JSON.parse(depthFrame) as { data: { b: [string, string][] } };
    j.data.b.forEach(([price, qty], i) => {
      expect(p.depth.bids.prices[i]).toBe(Math.round(Number(price) * 1e8));
      expect(p.depth.bids.qtys[i]).toBe(Math.round(Number(qty) * 1e8));
    });
  });

  it('parses the received bytes in place, from any offset, with error offsets counted from the frame', () => {
    const pad = Buffer.from('xx' + depthFrame + 'yy');
    expect(p.parseBytes(pad, 2, pad.length - 2)).toBe(FrameKind.DEPTH);
    expect([p.depth.symbol, p.depth.finalUpdateId, p.depth.bids.count, p.depth.asks.prices[0]]).toEqual(['BTCUSDT', 50093239202, 2, 6_183_764_000_000]);
    expect(p.streamName()).toBe('btcusdt@depth@100ms');
    const bad = Buffer.from('  {"a":1,}');
    expect(p.parseBytes(bad, 2)).toBe(FrameKind.MALFORMED);
    expect(p.error).toMatch(/at offset 7\)$/);
  });

  it('keeps each symbol apart when frames reuse the same bytes', () => {
    // parse() writes every text into one buffer, so symbols sit at the same offset frame after frame.
    const eth = depthFrame.replace('"BTCUSDT"', '"ETHUSDT"');
    for (const [frame, symbol] of [[depthFrame, 'BTCUSDT'], [eth, 'ETHUSDT'], [depthFrame, 'BTCUSDT'], [eth, 'ETHUSDT']] as const) {
      expect(p.parse(frame)).toBe(FrameKind.DEPTH);
      expect(p.depth.symbol).toBe(symbol);
    }
  });

  it('reads text with non-ASCII characters as UTF-8 (they never match a field)', () => {
    expect(p.parse('{"e":"trade","s":"BTCUSDT","x":"ünïcödé €","t":1,"p":"1","q":"1","T":1,"m":true}')).toBe(FrameKind.TRADE);
    expect(p.parse('{"e":"trade","s":"BTCUSDT","t":1,"p":"１","q":"1","T":1,"m":true}')).toBe(FrameKind.MALFORMED);
    expect(p.error).toMatch(/"p" is not a decimal string/);
  });

  it('reads levels spelled with whitespace or mixed with compact ones, and names errors inside either', () => {
    const frame = (levels: string): string => `{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1,"u":2,"b":${levels},"a":[]}`;
    expect(p.parse(frame('[ [ "1.5" , "2" ] ,["3","4"],\n["5.25","0"] ]'))).toBe(FrameKind.DEPTH);
    const b = p.depth.bids;
    expect([...b.prices.subarray(0, b.count), ...b.qtys.subarray(0, b.count)]).toEqual([150_000_000, 300_000_000, 525_000_000, 200_000_000, 400_000_000, 0]);
    for (const [levels, error] of [
      ['[["1.5","2"],["3","4"x]', /"\]" closing a "b" level/],
      ['[["1.5","2"],["3","4.1234567891"]]', /"b" is not a decimal string/],
      ['[["1.5","2"]["3","4"]]', /expected "," or "\]" in "b"/],
      ['[["1.5","2"],["3",4]]', /expected a string/],
    ] as const) {
      expect(p.parse(frame(levels)), levels).toBe(FrameKind.MALFORMED);
      expect(p.error).toMatch(error);
    }
  });
});
