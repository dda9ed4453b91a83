import { describe, expect, it } from 'vitest';
import { AtomicBuffer } from '@mm/agrona';
import { BookSnapshotDecoder, BookSnapshotEncoder } from '../src/BookSnapshotCodec.js';
import { DecodeResult } from '../src/DecodeResult.js';
import { Side, Venue } from '../src/Enums.js';
import { MessageHeader } from '../src/MessageHeader.js';
import { decodeToJson } from '../src/MessageJson.js';
import { checkAnyMessage, MessageDispatcher, type MessageHandlers } from '../src/MessageDispatcher.js';
import { QuoteEncoder } from '../src/QuoteCodec.js';
import { TradeEncoder } from '../src/TradeCodec.js';
import { applyValues, randomLevels, randomValues, readLevels, readValues } from './support/FieldValues.js';
import { pairs } from './support/Pairs.js';
import { Random } from './support/Random.js';

function encodeTrade(buffer: AtomicBuffer, offset = 0): number {
  const e = new TradeEncoder().wrap(buffer, offset).sequence(1).recvTimeNs(10).tradeTimeNs(1_700_000_000_000, 5)
    .tradeId(99).price(6_500_000_000_000).qty(100).symbol('BTCUSDT').aggressorSide(Side.SELL);
  return e.encodedLength();
}

describe('MessageDispatcher', () => {
  it('routes each template to its handler with a wrapped decoder', () => {
    const seen: string[] = [];
    const dispatcher = new MessageDispatcher({
      onTrade: (d) => seen.push(`trade ${d.symbol()} ${d.price()} ${d.aggressorSide()}`),
      onQuote: (d) => seen.push(`quote ${d.venue()} ${d.hasBid()} ${d.hasAsk()}`),
    });
    const buffer = AtomicBuffer.allocate(512);
    const tradeLength = encodeTrade(buffer);
    expect(dispatcher.onMessage(buffer, 0, tradeLength)).toBe(DecodeResult.OK);
    const q = new QuoteEncoder().wrap(buffer, 128).sequence(2).venue(Venue.ENGINE).symbol('ETHUSDT').bidPrice(1).bidQty(5);
    expect(dispatcher.onMessage(buffer, 128, q.encodedLength())).toBe(DecodeResult.OK);
    expect(seen).toEqual(['trade BTCUSDT 6500000000000 2', 'quote 2 true false']);
    // A valid message nobody listens to is counted, not an error.
    new BookSnapshotEncoder().wrap(buffer, 256).symbol('X').levelCounts(0, 0);
    expect(dispatcher.onMessage(buffer, 256, BookSnapshotEncoder.lengthFor(0, 0))).toBe(DecodeResult.OK);
    expect(dispatcher.unhandledCount).toBe(1);
    expect(dispatcher.invalidCount).toBe(0);
  });

  it('reports each kind of bad message with a typed result and counts it', () => {
    const invalid: [number, number][] = [];
    const dispatcher = new MessageDispatcher({ onInvalid: (r, t) => invalid.push([r, t]), onTrade: () => { throw new Error('must not be called'); } });
    const buffer = AtomicBuffer.allocate(256);
    const length = encodeTrade(buffer);

    expect(dispatcher.onMessage(buffer, 0, 5)).toBe(DecodeResult.TRUNCATED);
    expect(dispatcher.onMessage(buffer, 0, length - 1)).toBe(DecodeResult.TRUNCATED);
    expect(dispatcher.onMessage(buffer, 200, 100)).toBe(DecodeResult.TRUNCATED); // past the buffer's end

    buffer.putUint16(2, 2);
    expect(dispatcher.onMessage(buffer, 0, length)).toBe(DecodeResult.NEWER_VERSION);
    buffer.putUint16(2, 0);
    expect(dispatcher.onMessage(buffer, 0, length)).toBe(DecodeResult.BAD_VALUE);
    buffer.putUint16(2, 1);

    buffer.putUint8(72, 3); // aggressor side 3
    expect(dispatcher.onMessage(buffer, 0, length)).toBe(DecodeResult.BAD_VALUE);
    buffer.putUint8(72, 1);

    buffer.putUint16(4, 64); // block shorter than the template's
    expect(dispatcher.onMessage(buffer, 0, length)).toBe(DecodeResult.BAD_VALUE);
    buffer.putUint16(4, 72);

    buffer.putInt64BigInt(40, 2n ** 53n + 1n); // a price a Number getter could not hold exactly
    expect(dispatcher.onMessage(buffer, 0, length)).toBe(DecodeResult.BAD_VALUE);
    buffer.putInt64(40, -(2 ** 53 - 1));
    expect(checkAnyMessage(buffer, 0, length)).toBe(DecodeResult.OK);

    buffer.putUint16(0, 77);
    expect(dispatcher.onMessage(buffer, 0, length)).toBe(DecodeResult.UNKNOWN_TEMPLATE);

    expect(invalid.map(([r]) => r)).toEqual([1, 1, 1, 3, 4, 4, 4, 4, 2]);
    expect(invalid.at(-1)![1]).toBe(77);
    expect(dispatcher.invalidCount).toBe(9);
    expect(Array.from(dispatcher.invalidByResult)).toEqual([0, 3, 1, 1, 4]);
    expect(JSON.parse(decodeToJson(buffer, 0, length))).toEqual({ error: 'UNKNOWN_TEMPLATE', templateId: 77, length });
  });

  it('rejects a book announcing more than 64 levels a side, or levels past the end', () => {
    const buffer = AtomicBuffer.allocate(4096);
    const e = new BookSnapshotEncoder().wrap(buffer, 0).symbol('BTCUSDT').levelCounts(2, 1).bid(0, 3, 1).bid(1, 2, 1).ask(0, 4, 1);
    const length = e.encodedLength();
    expect(checkAnyMessage(buffer, 0, length)).toBe(DecodeResult.OK);
    expect(checkAnyMessage(buffer, 0, length - 8)).toBe(DecodeResult.TRUNCATED);
    buffer.putInt64BigInt(72 + 16, -(2n ** 60n)); // second bid's price
    expect(checkAnyMessage(buffer, 0, length)).toBe(DecodeResult.BAD_VALUE);
    buffer.putInt64(72 + 16, 2);
    buffer.putUint8(64, 65);
    expect(checkAnyMessage(buffer, 0, 4000)).toBe(DecodeResult.BAD_VALUE);
    expect(() => e.levelCounts(65, 0)).toThrow(RangeError);
  });

  it('skips a longer block from a later writer to find the book levels', () => {
    const buffer = AtomicBuffer.allocate(512);
    const e = new BookSnapshotEncoder().wrap(buffer, 0).symbol('BTCUSDT').levelCounts(1, 1).bid(0, 100, 7).ask(0, 101, 8);
    const length = e.encodedLength();
    // Simulate a block grown by 16 bytes: move the levels and bump blockLength.
    buffer.putBuffer(88, buffer, 72, 32);
    buffer.putUint16(4, 80);
    const d = new BookSnapshotDecoder();
    expect(d.wrapChecked(buffer, 0, length + 16)).toBe(DecodeResult.OK);
    expect(readLevels(d)).toEqual({ bids: [[100, 7]], asks: [[101, 8]] });
    expect(d.encodedLength()).toBe(length + 16);
  });
});

describe('random bytes into every decoder', () => {
  const handlersReadingEverything = (): MessageHandlers => {
    const h: Record<string, (d: object) => void> = {};
    for (const { spec } of pairs()) {
      h[`on${spec.name}`] = (d) => { readValues(d, spec); if (spec.levels) readLevels(d); };
    }
    return h as MessageHandlers;
  };

  it('never throws, never hangs, and reads only checked messages', () => {
    const rnd = new Random(0xF022);
    const dispatcher = new MessageDispatcher(handlersReadingEverything());
    const buffer = AtomicBuffer.allocate(4096);
    const encoders = pairs();
    let ok = 0;
    for (let i = 0; i < 20_000; i++) {
      const mode = rnd.int(0, 2);
      let length: number;
      if (mode === 0) {
        // Pure noise with a plausible header half the time.
        length = rnd.int(0, 400);
        for (let b = 0; b < length; b++) buffer.putUint8(b, rnd.int(0, 255));
        if (rnd.bool()) { buffer.putUint16(0, rnd.int(0, 12)); buffer.putUint16(2, rnd.int(0, 2)); }
      } else {
        // A valid message with bytes mutated and/or the length cut.
        const { spec, encoder } = rnd.pick(encoders);
        encoder.wrap(buffer, 0);
        applyValues(encoder, spec, randomValues(spec, rnd), spec.levels ? randomLevels(rnd, 8) : undefined);
        length = encoder.encodedLength();
        for (let m = rnd.int(0, 4); m > 0; m--) buffer.putUint8(rnd.int(0, length - 1), rnd.int(0, 255));
        if (mode === 2) length = rnd.int(0, length + 8);
      }
      const result = dispatcher.onMessage(buffer, 0, length);
      expect(result).toBeGreaterThanOrEqual(0);
      expect(result).toBeLessThanOrEqual(4);
      if (result === DecodeResult.OK) ok++;
      const json = JSON.parse(decodeToJson(buffer, 0, length)) as Record<string, unknown>;
      expect(result === DecodeResult.OK ? json.template : json.error).toBeTypeOf('string');
    }
    expect(ok).toBeGreaterThan(1000);
    expect(dispatcher.invalidCount).toBeGreaterThan(1000);
  });

  it('gives TRUNCATED for every cut of every valid message', () => {
    const rnd = new Random(7);
    const buffer = AtomicBuffer.allocate(4096);
    for (const { spec, encoder } of pairs()) {
      encoder.wrap(buffer, 0);
      applyValues(encoder, spec, randomValues(spec, rnd), spec.levels ? randomLevels(rnd, 4) : undefined);
      const length = encoder.encodedLength();
      for (let cut = 0; cut < length; cut++) expect(checkAnyMessage(buffer, 0, cut), `${spec.name} cut at ${cut}`).toBe(DecodeResult.TRUNCATED);
      expect(checkAnyMessage(buffer, 0, length)).toBe(DecodeResult.OK);
      expect(MessageHeader.templateId(buffer, 0)).toBe(spec.templateId);
    }
  });
});
