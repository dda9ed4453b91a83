/**
 * Stream 19, matching-engine top of book, one side per message (as the engine emits it): best price and total
 * quantity at that price in engine ticks/lots, or `empty` = 1 (price = totalQty = 0) when the side has no orders.
 */
import type { AtomicBuffer } from '@mm/agrona';
import { SIDE_NAMES, type Side } from './Enums.js';
import { DecoderFlyweight, EncoderFlyweight } from './Flyweight.js';
import type { MessageSpec } from './MessageSpec.js';
import { StreamId, TemplateId } from './Templates.js';
import type { SymbolTable } from './Symbol.js';

const RECV_TIME_NS = 16;
const ENGINE_SEQUENCE = 24;
const PRICE = 32;
const TOTAL_QTY = 40;
const SYMBOL = 48;
const SIDE = 64;
const EMPTY = 65;

export const EngineTopOfBookCodec: MessageSpec = {
  name: 'EngineTopOfBook',
  templateId: TemplateId.ENGINE_TOP_OF_BOOK,
  streamId: StreamId.ENGINE_TOP_OF_BOOK,
  blockLength: 64,
  description: 'Best price and total quantity of one side of the engine book (matching-engine).',
  fields: [
    { name: 'sequence', offset: 8, type: 'i64', description: 'publisher sequence number' },
    { name: 'recvTimeNs', offset: RECV_TIME_NS, type: 'i64', description: 'monotonic receive ns of the order that changed it' },
    { name: 'engineSequence', offset: ENGINE_SEQUENCE, type: 'i64', description: 'engine market-data sequence' },
    { name: 'price', offset: PRICE, type: 'i64', description: 'best price, engine ticks (0 when empty)' },
    { name: 'totalQty', offset: TOTAL_QTY, type: 'i64', description: 'total quantity at that price, engine lots (0 when empty)' },
    { name: 'symbol', offset: SYMBOL, type: 'char', length: 16, description: 'symbol, NUL-padded ASCII' },
    { name: 'side', offset: SIDE, type: 'enum', values: SIDE_NAMES, description: 'book side' },
    { name: 'empty', offset: EMPTY, type: 'bool', description: '1 = that side has no orders' },
    { name: 'padding', offset: 66, type: 'padding', length: 6, description: 'zero' },
  ],
};

export class EngineTopOfBookEncoder extends EncoderFlyweight {
  constructor() { super(EngineTopOfBookCodec); }
  recvTimeNs(v: number): this { return this.putI64(RECV_TIME_NS, v); }
  engineSequence(v: number): this { return this.putI64(ENGINE_SEQUENCE, v); }
  price(v: number): this { return this.putI64(PRICE, v); }
  totalQty(v: number): this { return this.putI64(TOTAL_QTY, v); }
  symbol(v: string): this { return this.putSym(SYMBOL, v); }
  symbolBytes(bytes: Uint8Array): this { return this.putSymBytes(SYMBOL, bytes); }
  symbolFrom(src: AtomicBuffer, srcOffset: number): this { return this.copySym(SYMBOL, src, srcOffset); }
  side(v: Side): this { return this.putU8(SIDE, v); }
  empty(v: boolean): this { return this.putU8(EMPTY, v ? 1 : 0); }
}

export class EngineTopOfBookDecoder extends DecoderFlyweight {
  constructor() { super(EngineTopOfBookCodec); }
  recvTimeNs(): number { return this.i64(RECV_TIME_NS); }
  engineSequence(): number { return this.i64(ENGINE_SEQUENCE); }
  price(): number { return this.i64(PRICE); }
  totalQty(): number { return this.i64(TOTAL_QTY); }
  symbol(): string { return this.sym(SYMBOL); }
  symbolIndex(table: SymbolTable): number { return this.symIndex(SYMBOL, table); }
  symbolEquals(bytes: Uint8Array): boolean { return this.symEquals(SYMBOL, bytes); }
  symbolOffset(): number { return this.offset + SYMBOL; }
  side(): number { return this.u8(SIDE); }
  empty(): boolean { return this.u8(EMPTY) === 1; }
}
