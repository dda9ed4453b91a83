import { describe, expect, it } from 'vitest';
import { BinaryEncoder } from '../src/BinaryEncoder.js';
import { decodeBinary } from '../src/BinaryDecoder.js';
import { decodeCsv } from '../src/CsvDecoder.js';
import { CsvEncoder } from '../src/CsvEncoder.js';
import { decodeMessage } from '../src/decodeMessage.js';
import { DecodeStatus, Encoding, InboundMessage } from '../src/InboundMessage.js';
import { symbolHi, symbolLo, symbolToString } from '../src/Symbol8.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

function csv(line: string): [DecodeStatus, InboundMessage] {
  const m = new InboundMessage();
  const b = ascii(line);
  return [decodeCsv(b, 0, b.length, m), m];
}

describe('binary decoder', () => {
  it('decodes the reference example N, 1, IBM, 10000, 50, B, 1 (golden bytes)', () => {
    const b = hex('4D 4E 00000001 49424D0000000000 00002710 00000032 42 00000001');
    const m = new InboundMessage();
    expect(decodeBinary(b, 0, b.length, m)).toBe(DecodeStatus.MESSAGE);
    expect([m.type, m.userId, symbolToString(m.symHi, m.symLo), m.price, m.qty, m.side, m.userOrderId, m.encoding]).toEqual([0x4e, 1, 'IBM', 10000, 50, 0x42, 1, Encoding.BINARY]);
  });

  it('tells the two cancel forms apart by length', () => {
    const m = new InboundMessage();
    const short = hex('4D 43 00000007 00000009');
    expect(decodeBinary(short, 0, 10, m)).toBe(DecodeStatus.MESSAGE);
    expect([m.userId, m.userOrderId, m.hasSymbol]).toEqual([7, 9, false]);
    const long = hex('4D 43 00000007 4141504C00000000 00000009');
    expect(decodeBinary(long, 0, 18, m)).toBe(DecodeStatus.MESSAGE);
    expect([m.userId, m.userOrderId, m.hasSymbol, symbolToString(m.symHi, m.symLo)]).toEqual([7, 9, true, 'AAPL']);
  });

  it('decodes at an offset and reads u32 above 2^31 unsigned', () => {
    const b = new Uint8Array(40);
    b.set(hex('4D 4E FFFFFFFF 4142434445464748 80000000 00000001 53 FFFFFFFE'), 5);
    const m = new InboundMessage();
    expect(decodeBinary(b, 5, 27, m)).toBe(DecodeStatus.MESSAGE);
    expect([m.userId, symbolToString(m.symHi, m.symLo), m.price, m.side, m.userOrderId]).toEqual([0xffffffff, 'ABCDEFGH', 0x80000000, 0x53, 0xfffffffe]);
  });

  it('marks wrong lengths, bad sides and unknown types MALFORMED with a reason', () => {
    const m = new InboundMessage();
    for (const [h, why] of [
      ['4D 4E 00000001 49424D0000000000 00002710 00000032 42', /27 bytes/],
      ['4D 43 00000001 00000001 00', /10 nor 18/],
      ['4D 46 00', /2 bytes/],
      ['4D 5A', /type/],
      ['4D', /shorter/],
      ['4D 4E 00000001 49424D0000000000 00002710 00000032 58 00000001', /side/],
    ] as const) {
      const b = hex(h);
      expect(decodeBinary(b, 0, b.length, m), h).toBe(DecodeStatus.MALFORMED);
      expect(m.error).toMatch(why);
    }
  });

  it('rejects (1) symbols that are empty, have a NUL inside or non-printable bytes', () => {
    const m = new InboundMessage();
    for (const sym of ['0000000000000000', '4100420000000000', '4109000000000000']) {
      const b = hex(`4D 4E 00000001 ${sym} 00000001 00000001 42 00000005`);
      expect(decodeBinary(b, 0, b.length, m), sym).toBe(DecodeStatus.REJECT);
      expect([m.rejectReason, m.userId, m.userOrderId]).toEqual([1, 1, 5]);
    }
  });
});

describe('CSV decoder', () => {
  it('reads new orders with optional spaces, tabs, lower case, CRLF', () => {
    for (const line of ['N, 1, IBM, 10, 100, B, 1', 'N,1,IBM,10,100,B,1', 'n ,\t1 , IBM,10 ,100, b ,1\r']) {
      const [st, m] = csv(line);
      expect(st, line).toBe(DecodeStatus.MESSAGE);
      expect([m.type, m.userId, symbolToString(m.symHi, m.symLo), m.price, m.qty, m.side, m.userOrderId]).toEqual([0x4e, 1, 'IBM', 10, 100, 0x42, 1]);
    }
  });

  it('reads both cancel forms and flush; ignores comments and blank lines', () => {
    let [st, m] = csv('C, 2, 102');
    expect([st, m.userId, m.userOrderId, m.hasSymbol]).toEqual([DecodeStatus.MESSAGE, 2, 102, false]);
    [st, m] = csv('c, 2, 102, XOM');
    expect([st, m.userId, m.userOrderId, m.hasSymbol, symbolToString(m.symHi, m.symLo)]).toEqual([DecodeStatus.MESSAGE, 2, 102, true, 'XOM']);
    expect(csv('F')[0]).toBe(DecodeStatus.MESSAGE);
    expect(csv(' f ')[0]).toBe(DecodeStatus.MESSAGE);
    expect(csv('# N, 1, IBM, 10, 100, B, 1')[0]).toBe(DecodeStatus.IGNORED);
    expect(csv('   ')[0]).toBe(DecodeStatus.IGNORED);
    expect(csv('')[0]).toBe(DecodeStatus.IGNORED);
  });

  it('names the failing field in rejects', () => {
    const cases: [string, number, number, number][] = [
      ['N, 1, ABCDEFGHI, 10, 1, B, 2', 1, 1, 2],
      ['N, 1, , 10, 1, B, 2', 1, 1, 2],
      ['N, x, IBM, 10, 1, B, 2', 10, 0, 2],
      ['N, 1, IBM, 10, 1, B, 4294967296', 10, 1, 0],
      ['N, 1, IBM, 10, -1, B, 2', 2, 1, 2],
      ['N, 1, IBM, 10, 1.5, B, 2', 2, 1, 2],
      ['N, 1, IBM, -10, 1, B, 2', 3, 1, 2],
      ['N, 1, IBM, 99999999999, 1, B, 2', 3, 1, 2],
      ['C, 1, abc', 10, 1, 0],
      ['C, 1, 5, TOOLONGSYMBOL', 1, 1, 5],
    ];
    for (const [line, reason, uid, oid] of cases) {
      const [st, m] = csv(line);
      expect([st, m.rejectReason, m.userId, m.userOrderId], line).toEqual([DecodeStatus.REJECT, reason, uid, oid]);
    }
  });

  it('marks structural garbage MALFORMED', () => {
    for (const line of ['X, 1, 2', 'N, 1, IBM, 10, 1, B', 'N, 1, IBM, 10, 1, Q, 1', 'C, 1', 'C, 1, 2, IBM, 5', 'F, 1', 'NN, 1, 2', ',,,,,,,,,,', 'hello world']) {
      const [st, m] = csv(line);
      expect(st, line).toBe(DecodeStatus.MALFORMED);
      expect(m.error.length).toBeGreaterThan(0);
    }
  });

  it('detects the encoding of each message on its own', () => {
    const m = new InboundMessage();
    const b = hex('4D 46');
    expect(decodeMessage(b, 0, 2, m)).toBe(DecodeStatus.MESSAGE);
    expect(m.encoding).toBe(Encoding.BINARY);
    const c = ascii('F');
    expect(decodeMessage(c, 0, 1, m)).toBe(DecodeStatus.MESSAGE);
    expect(m.encoding).toBe(Encoding.CSV);
  });
});

describe('encoders', () => {
  const hi = symbolHi('IBM');
  const lo = symbolLo('IBM');
  const buf = new Uint8Array(256);
  const bin = new BinaryEncoder();
  const txt = new CsvEncoder();
  const b = (n: number): string => Buffer.from(buf.subarray(0, n)).toString('hex').toUpperCase();
  const t = (n: number): string => new TextDecoder().decode(buf.subarray(0, n));

  it('binary golden bytes for every output message', () => {
    expect(b(bin.ack(buf, 0, hi, lo, 1, 2))).toBe('4D4149424D0000000000' + '00000001' + '00000002');
    expect(b(bin.cancelAck(buf, 0, hi, lo, 1, 2))).toBe('4D5849424D0000000000' + '00000001' + '00000002');
    expect(b(bin.trade(buf, 0, hi, lo, 1, 2, 3, 4, 10000, 50))).toBe('4D5449424D0000000000' + '00000001000000020000000300000004' + '00002710' + '00000032');
    expect(b(bin.topOfBook(buf, 0, hi, lo, 0x42, 10, 100))).toBe('4D4249424D0000000000' + '42' + '0000000A' + '00000064' + '00');
    expect(b(bin.topOfBook(buf, 0, hi, lo, 0x53, 0, 0))).toBe('4D4249424D0000000000' + '53' + '00000000' + '00000000' + '00');
    expect(b(bin.topOfBook(buf, 0, hi, lo, 0x42, 10, 2 ** 40))).toBe('4D4249424D0000000000' + '42' + '0000000A' + 'FFFFFFFF' + '00');
    expect(b(bin.reject(buf, 0, hi, lo, 1, 2, 5))).toBe('4D5249424D0000000000' + '00000001' + '00000002' + '05');
  });

  it('CSV lines', () => {
    expect(t(txt.ack(buf, 0, hi, lo, 1, 2))).toBe('A, IBM, 1, 2\n');
    expect(t(txt.cancelAck(buf, 0, hi, lo, 1, 2))).toBe('C, IBM, 1, 2\n');
    expect(t(txt.trade(buf, 0, hi, lo, 1, 3, 2, 102, 11, 100))).toBe('T, IBM, 1, 3, 2, 102, 11, 100\n');
    expect(t(txt.topOfBook(buf, 0, hi, lo, 0x42, 10, 100))).toBe('B, IBM, B, 10, 100\n');
    expect(t(txt.topOfBook(buf, 0, hi, lo, 0x53, 0, 0))).toBe('B, IBM, S, -, -\n');
    expect(t(txt.topOfBook(buf, 0, hi, lo, 0x42, 4294967295, 2 ** 40))).toBe('B, IBM, B, 4294967295, 1099511627776\n');
    expect(t(txt.reject(buf, 0, 0, 0, 0, 4294967295, 10))).toBe('R, , 0, 4294967295, 10\n');
    expect(t(txt.ack(buf, 0, symbolHi('ABCDEFGH'), symbolLo('ABCDEFGH'), 0, 0))).toBe('A, ABCDEFGH, 0, 0\n');
  });

  it('round-trips random u32 fields through CSV decode', () => {
    for (let i = 0; i < 200; i++) {
      const u = Math.floor(Math.random() * 2 ** 32);
      const o = Math.floor(Math.random() * 2 ** 32);
      const [st, m] = csv(`C, ${u}, ${o}`);
      expect([st, m.userId, m.userOrderId]).toEqual([DecodeStatus.MESSAGE, u, o]);
    }
  });
});
