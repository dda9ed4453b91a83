import { scanFixed8, INVALID_FIXED8 } from './FixedPoint.js';
import { BookTicker, DepthLevels, DepthSnapshot, DepthUpdate, Trade } from './MarketEvents.js';

/**
 * A hand-written scanner for Binance spot market-data JSON: combined-stream frames (`{"stream":..,"data":{..}}`),
 * raw-stream frames (`{"e":..}`), and the REST depth body (`{"lastUpdateId":..,"bids":..,"asks":..}`).
 *
 * It reads the frame's UTF-8 bytes as received (`parseBytes`: the WebSocket's Buffer, no string made); `parse`
 * takes text (recordings, REST bodies, tests) and writes it into a reusable byte buffer first. Bytes rather than a
 * string because a real depth frame carries tens to hundreds of decimal strings: indexing bytes runs about 3× faster
 * than `charCodeAt` on this path (`pnpm bench depth`), and decoding the frame into a string is skipped.
 *
 * Invariants and limits:
 * - It walks the whole frame once and validates the JSON structure it sees, so malformed input gives `MALFORMED`
 *   with `error` naming what was wrong and where (a byte offset); it never throws on bad input.
 * - Fields may come in any order; unknown fields are skipped. Values of known fields are parsed in place (prices and
 *   quantities straight to 1e-8 fixed point, ids and times as integers) into the parser's reusable holders, so a
 *   frame allocates nothing (symbols are interned; text given to `parse` reuses one buffer, grown when too small).
 * - Results are valid until the next parse; the bytes are not kept.
 * - Strings with escapes never match a known event type or symbol (Binance sends none in these fields).
 */

export const FrameKind = {
  DEPTH: 1,
  TRADE: 2,
  BOOK_TICKER: 3,
  SNAPSHOT: 4,
  SERVER_SHUTDOWN: 5,
  /** Well-formed but not an event we use (other streams, subscription replies, partial depth). */
  UNKNOWN: 6,
  MALFORMED: 7,
} as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

const EV_NONE = 0;
const EV_DEPTH = 1;
const EV_TRADE = 2;
const EV_SHUTDOWN = 3;
const EV_OTHER = 4;

const QUOTE = 34;
const COMMA = 44;
const COLON = 58;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;
const BACKSLASH = 92;
const MAX_DEPTH = 64;

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const K_DEPTH_UPDATE = ascii('depthUpdate');
const K_TRADE = ascii('trade');
const K_SERVER_SHUTDOWN = ascii('serverShutdown');
const K_STREAM = ascii('stream');
const K_DATA = ascii('data');
const K_LAST_UPDATE_ID = ascii('lastUpdateId');
const K_BIDS = ascii('bids');
const K_ASKS = ascii('asks');
const K_TRUE = ascii('true');
const K_FALSE = ascii('false');
const K_NULL = ascii('null');

interface InternedSymbol {
  readonly bytes: Uint8Array;
  readonly name: string;
}

export class FrameParser {
  readonly depth = new DepthUpdate();
  readonly trade = new Trade();
  readonly bookTicker = new BookTicker();
  readonly snapshot = new DepthSnapshot();
  /** Set when `parse` returns MALFORMED. */
  error = '';
  /** Combined-stream name range in the last frame's bytes (empty for raw frames and REST bodies). */
  streamStart = 0;
  streamEnd = 0;

  private bytes: Uint8Array = new Uint8Array(0);
  private end = 0;
  /** Where the frame starts in `bytes` (error offsets count from it). */
  private base = 0;
  /** Where `parse` writes its text (grown to 3 bytes per UTF-16 unit of the longest text: UTF-8's worst case). */
  private scratch = Buffer.alloc(4096);
  private readonly decoder = new TextDecoder();
  private pos = 0;
  private strStart = 0;
  private strEnd = 0;
  private eventType = EV_NONE;
  private symbol = '';
  private hasU = false;
  private hasFinal = false;
  private hasLastUpdateId = false;
  private hasBidString = false;
  private nesting = 0;
  private readonly symbols: InternedSymbol[] = [];
  private readonly scalar = new Float64Array(1);

  /** Parses text (written into a reusable buffer as UTF-8 first); see `parseBytes`. */
  parse(text: string): FrameKind {
    if (text.length * 3 > this.scratch.length) this.scratch = Buffer.alloc(text.length * 3);
    const n = this.scratch.write(text, 0, 'utf8');
    return this.parseBytes(this.scratch, 0, n);
  }

  /** Parses the UTF-8 frame `bytes[start, end)`; offsets in `error` count from `start`. */
  parseBytes(bytes: Uint8Array, start = 0, end = bytes.length): FrameKind {
    this.bytes = bytes;
    this.end = end;
    this.pos = start;
    this.base = start;
    this.error = '';
    this.streamStart = this.streamEnd = 0;
    this.eventType = EV_NONE;
    this.symbol = '';
    this.hasU = this.hasFinal = this.hasLastUpdateId = this.hasBidString = false;
    this.nesting = 0;
    this.trade.price = INVALID_FIXED8;
    this.depth.bids.count = this.depth.asks.count = 0;
    this.snapshot.bids.count = this.snapshot.asks.count = 0;
    this.skipWs();
    if (this.peek() !== LBRACE) return this.fail('expected "{" at the start of the frame');
    if (!this.parseObject(true)) return FrameKind.MALFORMED;
    this.skipWs();
    if (this.pos !== end) return this.fail('unexpected text after the JSON object');
    return this.classify();
  }

  /** The stream name of the last combined frame (allocates: diagnostics only). */
  streamName(): string {
    return this.decoder.decode(this.bytes.subarray(this.streamStart, this.streamEnd));
  }

  private classify(): FrameKind {
    switch (this.eventType) {
      case EV_DEPTH:
        if (!this.hasU || !this.hasFinal || this.symbol === '') return this.fail('depthUpdate without "U", "u" or "s"');
        this.depth.symbol = this.symbol;
        return FrameKind.DEPTH;
      case EV_TRADE:
        if (this.symbol === '' || this.trade.price === INVALID_FIXED8) return this.fail('trade without "s" or "p"');
        this.trade.symbol = this.symbol;
        return FrameKind.TRADE;
      case EV_SHUTDOWN:
        return FrameKind.SERVER_SHUTDOWN;
      case EV_OTHER:
        return FrameKind.UNKNOWN;
      default:
        if (this.hasLastUpdateId && this.streamEnd === 0) return FrameKind.SNAPSHOT;
        if (this.hasBidString && this.hasFinal && this.symbol !== '') {
          this.bookTicker.symbol = this.symbol;
          return FrameKind.BOOK_TICKER;
        }
        return FrameKind.UNKNOWN;
    }
  }

  private fail(message: string): FrameKind {
    if (this.error === '') this.error = `${message} (at offset ${this.pos - this.base})`;
    return FrameKind.MALFORMED;
  }

  private failB(message: string): boolean {
    this.fail(message);
    return false;
  }

  private peek(): number {
    return this.pos < this.end ? this.bytes[this.pos]! : -1;
  }

  private skipWs(): void {
    const t = this.bytes;
    const end = this.end;
    let p = this.pos;
    while (p < end) {
      const c = t[p]!;
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
      p++;
    }
    this.pos = p;
  }

  /** `what` names the expected text; a `%` in it stands for `field`, filled in only on failure (no string per call). */
  private expect(c: number, what: string, field = ''): boolean {
    this.skipWs();
    if (this.peek() !== c) return this.failB(`expected ${what.replace('%', field)}`);
    this.pos++;
    return true;
  }

  /** Reads a JSON string; its raw content is bytes[strStart, strEnd). */
  private readString(): boolean {
    this.skipWs();
    const t = this.bytes;
    const end = this.end;
    if (this.peek() !== QUOTE) return this.failB('expected a string');
    let p = this.pos + 1;
    this.strStart = p;
    for (;;) {
      if (p >= end) return this.failB('unterminated string');
      const c = t[p]!;
      if (c === QUOTE) break;
      if (c === BACKSLASH) p++;
      else if (c < 32) return this.failB('control character in string');
      p++;
    }
    this.strEnd = p;
    this.pos = p + 1;
    return true;
  }

  private strIs(s: Uint8Array): boolean {
    return this.strEnd - this.strStart === s.length && this.startsWith(s, this.strStart);
  }

  private startsWith(s: Uint8Array, at: number): boolean {
    if (at + s.length > this.end) return false;
    const t = this.bytes;
    for (let i = 0; i < s.length; i++) if (t[at + i] !== s[i]) return false;
    return true;
  }

  /** A non-negative JSON integer; NaN (with error set) when it is something else. */
  private readInt(field: string): number {
    this.skipWs();
    const t = this.bytes;
    const end = this.end;
    let p = this.pos;
    let v = 0;
    const start = p;
    while (p < end) {
      const d = t[p]! - 48;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
      p++;
    }
    if (p === start || p - start > 16) {
      this.fail(`"${field}" is not a non-negative integer`);
      return NaN;
    }
    const c = p < end ? t[p]! : -1;
    if (c === 46 || c === 101 || c === 69) {
      this.fail(`"${field}" is not an integer`);
      return NaN;
    }
    this.pos = p;
    return v;
  }

  private readFixedString(field: string): number {
    return this.readFixedInto(field, this.scalar, 0) ? this.scalar[0]! : NaN;
  }

  /** Parses a decimal string into `out[index]`; false (with error set) when it is not one. */
  private readFixedInto(field: string, out: Float64Array, index: number): boolean {
    this.skipWs();
    const q = this.quotedFixedAt(this.pos, out, index);
    if (q >= 0) {
      this.pos = q;
      return true;
    }
    // Not a plain decimal string: say whether it is a string at all.
    if (!this.readString()) return false;
    return this.failB(`"${field}" is not a decimal string`);
  }

  /** `"decimal"` exactly at `p`, into `out[index]`: the index just past its closing quote, or -1. */
  private quotedFixedAt(p: number, out: Float64Array, index: number): number {
    const t = this.bytes;
    const end = this.end;
    if (p >= end || t[p] !== QUOTE) return -1;
    const q = scanFixed8(t, p + 1, end, out, index);
    return q >= 0 && q < end && t[q] === QUOTE ? q + 1 : -1;
  }

  private readBool(field: string): boolean | undefined {
    this.skipWs();
    if (this.startsWith(K_TRUE, this.pos)) { this.pos += 4; return true; }
    if (this.startsWith(K_FALSE, this.pos)) { this.pos += 5; return false; }
    this.fail(`"${field}" is not a boolean`);
    return undefined;
  }

  private internSymbol(): string {
    const list = this.symbols;
    for (let i = 0; i < list.length; i++) if (this.strIs(list[i]!.bytes)) return list[i]!.name;
    // A copy: `bytes` may be a Buffer, whose slice() is a view of memory the next frame overwrites.
    const bytes = new Uint8Array(this.bytes.subarray(this.strStart, this.strEnd));
    const name = this.decoder.decode(bytes);
    if (list.length < 256) list.push({ bytes, name });
    return name;
  }

  /** `[["price","qty"], ...]` into `out`. */
  private readLevels(out: DepthLevels, field: string): boolean {
    if (!this.expect(LBRACKET, '"[" for "%"', field)) return false;
    this.skipWs();
    if (this.peek() === RBRACKET) { this.pos++; return true; }
    for (;;) {
      const n = out.reserveOne();
      // Binance's own spelling, `["price","qty"]` with no whitespace, in one go; anything else the general way.
      const next = this.compactLevel(out, n);
      if (next >= 0) {
        this.pos = next;
      } else {
        if (!this.expect(LBRACKET, 'a [price, qty] pair in "%"', field)) return false;
        if (!this.readFixedInto(field, out.prices, n)) return false;
        if (!this.expect(COMMA, '"," in a "%" level', field)) return false;
        if (!this.readFixedInto(field, out.qtys, n)) return false;
        if (!this.expect(RBRACKET, '"]" closing a "%" level', field)) return false;
      }
      out.count = n + 1;
      this.skipWs();
      const c = this.peek();
      this.pos++;
      if (c === RBRACKET) return true;
      if (c !== COMMA) return this.failB(`expected "," or "]" in "${field}"`);
    }
  }

  /**
   * `["price","qty"]` at `pos`, exactly, into level `n`: returns the index just past it, or -1 when the text is
   * spelled otherwise (nothing consumed: the caller reads it the general way, which also names any error).
   */
  private compactLevel(out: DepthLevels, n: number): number {
    const t = this.bytes;
    const end = this.end;
    let p = this.pos;
    if (p >= end || t[p] !== LBRACKET) return -1;
    p = this.quotedFixedAt(p + 1, out.prices, n);
    if (p < 0 || p >= end || t[p] !== COMMA) return -1;
    p = this.quotedFixedAt(p + 1, out.qtys, n);
    if (p < 0 || p >= end || t[p] !== RBRACKET) return -1;
    return p + 1;
  }

  private parseObject(top: boolean): boolean {
    if (!this.expect(LBRACE, '"{"')) return false;
    this.skipWs();
    if (this.peek() === RBRACE) { this.pos++; return true; }
    for (;;) {
      if (!this.readString()) return false;
      if (!this.expect(COLON, '":" after a key')) return false;
      if (!this.parseField(top)) return false;
      this.skipWs();
      const c = this.peek();
      this.pos++;
      if (c === RBRACE) return true;
      if (c !== COMMA) return this.failB('expected "," or "}" in an object');
    }
  }

  private parseField(top: boolean): boolean {
    const keyLen = this.strEnd - this.strStart;
    if (keyLen === 1) {
      const k = this.bytes[this.strStart]!;
      this.skipWs();
      const vc = this.peek();
      switch (k) {
        case 101: { // e
          if (!this.readString()) return false;
          this.eventType = this.strIs(K_DEPTH_UPDATE) ? EV_DEPTH : this.strIs(K_TRADE) ? EV_TRADE
            : this.strIs(K_SERVER_SHUTDOWN) ? EV_SHUTDOWN : EV_OTHER;
          return true;
        }
        case 115: // s
          if (vc !== QUOTE) return this.skipValue();
          if (!this.readString()) return false;
          this.symbol = this.internSymbol();
          return true;
        case 69: { // E
          if (vc === QUOTE) return this.skipValue();
          const v = this.readInt('E');
          if (v !== v) return false;
          this.depth.eventTimeMs = this.trade.eventTimeMs = v;
          return true;
        }
        case 85: { // U
          const v = this.readInt('U');
          if (v !== v) return false;
          this.depth.firstUpdateId = v;
          this.hasU = true;
          return true;
        }
        case 117: { // u
          const v = this.readInt('u');
          if (v !== v) return false;
          this.depth.finalUpdateId = this.bookTicker.updateId = v;
          this.hasFinal = true;
          return true;
        }
        case 98: // b
          if (vc === LBRACKET) return this.readLevels(this.depth.bids, 'b');
          if (vc === QUOTE) {
            const v = this.readFixedString('b');
            if (v !== v) return false;
            this.bookTicker.bidPrice = v;
            this.hasBidString = true;
            return true;
          }
          return this.skipValue();
        case 97: // a
          if (vc === LBRACKET) return this.readLevels(this.depth.asks, 'a');
          if (vc === QUOTE) {
            const v = this.readFixedString('a');
            if (v !== v) return false;
            this.bookTicker.askPrice = v;
            return true;
          }
          return this.skipValue();
        case 66: { // B
          if (vc !== QUOTE) return this.skipValue();
          const v = this.readFixedString('B');
          if (v !== v) return false;
          this.bookTicker.bidQty = v;
          return true;
        }
        case 65: { // A
          if (vc !== QUOTE) return this.skipValue();
          const v = this.readFixedString('A');
          if (v !== v) return false;
          this.bookTicker.askQty = v;
          return true;
        }
        case 116: { // t
          if (vc === QUOTE) return this.skipValue();
          const v = this.readInt('t');
          if (v !== v) return false;
          this.trade.tradeId = v;
          return true;
        }
        case 84: { // T
          if (vc === QUOTE) return this.skipValue();
          const v = this.readInt('T');
          if (v !== v) return false;
          this.trade.tradeTimeMs = v;
          return true;
        }
        case 112: { // p
          if (vc !== QUOTE) return this.skipValue();
          const v = this.readFixedString('p');
          if (v !== v) return false;
          this.trade.price = v;
          return true;
        }
        case 113: { // q
          if (vc !== QUOTE) return this.skipValue();
          const v = this.readFixedString('q');
          if (v !== v) return false;
          this.trade.qty = v;
          return true;
        }
        case 109: { // m
          if (vc !== 116 && vc !== 102) return this.skipValue();
          const v = this.readBool('m');
          if (v === undefined) return false;
          this.trade.buyerIsMaker = v;
          return true;
        }
        default:
          return this.skipValue();
      }
    }
    if (top && this.strIs(K_STREAM)) {
      if (!this.readString()) return false;
      this.streamStart = this.strStart;
      this.streamEnd = this.strEnd;
      return true;
    }
    if (top && this.strIs(K_DATA)) {
      this.skipWs();
      if (this.peek() !== LBRACE) return this.skipValue();
      return this.parseObject(false);
    }
    if (this.strIs(K_LAST_UPDATE_ID)) {
      const v = this.readInt('lastUpdateId');
      if (v !== v) return false;
      this.snapshot.lastUpdateId = v;
      this.hasLastUpdateId = true;
      return true;
    }
    if (this.strIs(K_BIDS)) return this.readLevels(this.snapshot.bids, 'bids');
    if (this.strIs(K_ASKS)) return this.readLevels(this.snapshot.asks, 'asks');
    return this.skipValue();
  }

  /** Skips any JSON value, validating its structure. */
  private skipValue(): boolean {
    this.skipWs();
    const c = this.peek();
    if (c === QUOTE) return this.readString();
    if (c === LBRACE || c === LBRACKET) {
      if (++this.nesting > MAX_DEPTH) return this.failB('nesting too deep');
      const close = c === LBRACE ? RBRACE : RBRACKET;
      this.pos++;
      this.skipWs();
      if (this.peek() === close) { this.pos++; this.nesting--; return true; }
      for (;;) {
        if (c === LBRACE) {
          if (!this.readString()) return false;
          if (!this.expect(COLON, '":" after a key')) return false;
        }
        if (!this.skipValue()) return false;
        this.skipWs();
        const n = this.peek();
        this.pos++;
        if (n === close) { this.nesting--; return true; }
        if (n !== COMMA) return this.failB('expected "," or a closing bracket');
      }
    }
    if (this.startsWith(K_TRUE, this.pos) || this.startsWith(K_NULL, this.pos)) { this.pos += 4; return true; }
    if (this.startsWith(K_FALSE, this.pos)) { this.pos += 5; return true; }
    const t = this.bytes;
    const end = this.end;
    let p = this.pos;
    if (p < end && t[p] === 45) p++;
    const start = p;
    while (p < end) {
      const d = t[p]!;
      if ((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45) p++;
      else break;
    }
    if (p === start) return this.failB('expected a JSON value');
    this.pos = p;
    return true;
  }
}
