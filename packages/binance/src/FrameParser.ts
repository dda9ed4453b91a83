import { parseFixed8Range, INVALID_FIXED8 } from './FixedPoint.js';
import { BookTicker, DepthLevels, DepthSnapshot, DepthUpdate, Trade } from './MarketEvents.js';

/**
 * A hand-written scanner for Binance spot market-data JSON: combined-stream frames (`{"stream":..,"data":{..}}`),
 * raw-stream frames (`{"e":..}`), and the REST depth body (`{"lastUpdateId":..,"bids":..,"asks":..}`).
 *
 * Invariants and limits:
 * - It walks the whole text once and validates the JSON structure it sees, so malformed text gives `MALFORMED` with
 *   `error` naming what was wrong and where; it never throws on bad input.
 * - Fields may come in any order; unknown fields are skipped. Values of known fields are parsed in place (prices and
 *   quantities straight to 1e-8 fixed point, ids and times as integers) into the parser's reusable holders, so a
 *   frame allocates nothing beyond what the caller already did to get the text (symbols are interned).
 * - Results are valid until the next `parse`.
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

export class FrameParser {
  readonly depth = new DepthUpdate();
  readonly trade = new Trade();
  readonly bookTicker = new BookTicker();
  readonly snapshot = new DepthSnapshot();
  /** Set when `parse` returns MALFORMED. */
  error = '';
  /** Combined-stream name range in the last text (empty for raw frames and REST bodies). */
  streamStart = 0;
  streamEnd = 0;

  private text = '';
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
  private readonly symbols: string[] = [];

  parse(text: string): FrameKind {
    this.text = text;
    this.pos = 0;
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
    if (this.pos !== text.length) return this.fail('unexpected text after the JSON object');
    return this.classify();
  }

  /** The stream name of the last combined frame (allocates: diagnostics only). */
  streamName(): string {
    return this.text.slice(this.streamStart, this.streamEnd);
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
    if (this.error === '') this.error = `${message} (at offset ${this.pos})`;
    return FrameKind.MALFORMED;
  }

  private failB(message: string): boolean {
    this.fail(message);
    return false;
  }

  private peek(): number {
    return this.pos < this.text.length ? this.text.charCodeAt(this.pos) : -1;
  }

  private skipWs(): void {
    const t = this.text;
    let p = this.pos;
    while (p < t.length) {
      const c = t.charCodeAt(p);
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
      p++;
    }
    this.pos = p;
  }

  private expect(c: number, what: string): boolean {
    this.skipWs();
    if (this.peek() !== c) return this.failB(`expected ${what}`);
    this.pos++;
    return true;
  }

  /** Reads a JSON string; its raw content is text[strStart, strEnd). */
  private readString(): boolean {
    this.skipWs();
    const t = this.text;
    if (this.peek() !== QUOTE) return this.failB('expected a string');
    let p = this.pos + 1;
    this.strStart = p;
    for (;;) {
      if (p >= t.length) return this.failB('unterminated string');
      const c = t.charCodeAt(p);
      if (c === QUOTE) break;
      if (c === BACKSLASH) p++;
      else if (c < 32) return this.failB('control character in string');
      p++;
    }
    this.strEnd = p;
    this.pos = p + 1;
    return true;
  }

  private strIs(s: string): boolean {
    const n = this.strEnd - this.strStart;
    if (n !== s.length) return false;
    return this.text.startsWith(s, this.strStart);
  }

  /** A non-negative JSON integer; NaN (with error set) when it is something else. */
  private readInt(field: string): number {
    this.skipWs();
    const t = this.text;
    let p = this.pos;
    let v = 0;
    const start = p;
    while (p < t.length) {
      const d = t.charCodeAt(p) - 48;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
      p++;
    }
    if (p === start || p - start > 16) {
      this.fail(`"${field}" is not a non-negative integer`);
      return NaN;
    }
    const c = p < t.length ? t.charCodeAt(p) : -1;
    if (c === 46 || c === 101 || c === 69) {
      this.fail(`"${field}" is not an integer`);
      return NaN;
    }
    this.pos = p;
    return v;
  }

  private readFixedString(field: string): number {
    if (!this.readString()) return NaN;
    const v = parseFixed8Range(this.text, this.strStart, this.strEnd);
    if (v === INVALID_FIXED8) {
      this.fail(`"${field}" is not a decimal string`);
      return NaN;
    }
    return v;
  }

  private readBool(field: string): boolean | undefined {
    this.skipWs();
    const t = this.text;
    if (t.startsWith('true', this.pos)) { this.pos += 4; return true; }
    if (t.startsWith('false', this.pos)) { this.pos += 5; return false; }
    this.fail(`"${field}" is not a boolean`);
    return undefined;
  }

  private internSymbol(): string {
    const list = this.symbols;
    for (let i = 0; i < list.length; i++) if (this.strIs(list[i]!)) return list[i]!;
    const s = this.text.slice(this.strStart, this.strEnd);
    if (list.length < 256) list.push(s);
    return s;
  }

  /** `[["price","qty"], ...]` into `out`. */
  private readLevels(out: DepthLevels, field: string): boolean {
    if (!this.expect(LBRACKET, `"[" for "${field}"`)) return false;
    this.skipWs();
    if (this.peek() === RBRACKET) { this.pos++; return true; }
    for (;;) {
      if (!this.expect(LBRACKET, `a [price, qty] pair in "${field}"`)) return false;
      const price = this.readFixedString(field);
      if (price !== price) return false;
      if (!this.expect(COMMA, `"," in a "${field}" level`)) return false;
      const qty = this.readFixedString(field);
      if (qty !== qty) return false;
      if (!this.expect(RBRACKET, `"]" closing a "${field}" level`)) return false;
      out.push(price, qty);
      this.skipWs();
      const c = this.peek();
      this.pos++;
      if (c === RBRACKET) return true;
      if (c !== COMMA) return this.failB(`expected "," or "]" in "${field}"`);
    }
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
      const k = this.text.charCodeAt(this.strStart);
      this.skipWs();
      const vc = this.peek();
      switch (k) {
        case 101: { // e
          if (!this.readString()) return false;
          this.eventType = this.strIs('depthUpdate') ? EV_DEPTH : this.strIs('trade') ? EV_TRADE
            : this.strIs('serverShutdown') ? EV_SHUTDOWN : EV_OTHER;
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
    if (top && this.strIs('stream')) {
      if (!this.readString()) return false;
      this.streamStart = this.strStart;
      this.streamEnd = this.strEnd;
      return true;
    }
    if (top && this.strIs('data')) {
      this.skipWs();
      if (this.peek() !== LBRACE) return this.skipValue();
      return this.parseObject(false);
    }
    if (this.strIs('lastUpdateId')) {
      const v = this.readInt('lastUpdateId');
      if (v !== v) return false;
      this.snapshot.lastUpdateId = v;
      this.hasLastUpdateId = true;
      return true;
    }
    if (this.strIs('bids')) return this.readLevels(this.snapshot.bids, 'bids');
    if (this.strIs('asks')) return this.readLevels(this.snapshot.asks, 'asks');
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
    const t = this.text;
    if (t.startsWith('true', this.pos)) { this.pos += 4; return true; }
    if (t.startsWith('false', this.pos)) { this.pos += 5; return true; }
    if (t.startsWith('null', this.pos)) { this.pos += 4; return true; }
    let p = this.pos;
    if (p < t.length && t.charCodeAt(p) === 45) p++;
    const start = p;
    while (p < t.length) {
      const d = t.charCodeAt(p);
      if ((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45) p++;
      else break;
    }
    if (p === start) return this.failB('expected a JSON value');
    this.pos = p;
    return true;
  }
}
