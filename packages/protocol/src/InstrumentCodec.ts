/**
 * Stream 20, instrument: a traded symbol's exchange rules as the collector knows them (Binance's
 * `GET /api/v3/exchangeInfo`, with `config/symbols.toml` overrides applied field by field). Published at start, on
 * any change and periodically, so a late joiner learns every symbol within one period.
 *
 * Sizes are int64 in 1e-8 units like every price and quantity on the wire. A tick or step of 0 never appears (the
 * collector publishes only usable instruments); minQty and minNotional may be 0 (no minimum).
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  header (8 bytes)                             |
 *  +---------------------------------------------------------------+
 *  |  sequence (8) | timeNs (8) | exchangeTimeNs (8) | fetchTimeNs (8)
 *  +---------------------------------------------------------------+
 *  |  tickSize (8) | stepSize (8) | minQty (8) | minNotional (8)     |
 *  +---------------------------------------------------------------+
 *  |  symbol (16)  | status (1) | overridden (1) | padding (6)       |
 *  +---------------------------------------------------------------+
 */
import { INSTRUMENT_OVERRIDE_NAMES, INSTRUMENT_STATUS_NAMES, type InstrumentStatus } from './Enums.js';
import { DecoderFlyweight, EncoderFlyweight } from './Flyweight.js';
import type { MessageSpec } from './MessageSpec.js';
import type { SymbolTable } from './Symbol.js';
import { StreamId, TemplateId } from './Templates.js';

const TIME_NS = 16;
const EXCHANGE_TIME_NS = 24;
const FETCH_TIME_NS = 32;
const TICK_SIZE = 40;
const STEP_SIZE = 48;
const MIN_QTY = 56;
const MIN_NOTIONAL = 64;
const SYMBOL = 72;
const STATUS = 88;
const OVERRIDDEN = 89;

export const InstrumentCodec: MessageSpec = {
  name: 'Instrument',
  templateId: TemplateId.INSTRUMENT,
  streamId: StreamId.INSTRUMENTS,
  blockLength: 88,
  description: 'A symbol\'s tick size, step size, minimums and trading status from Binance exchangeInfo with overrides (collector).',
  fields: [
    { name: 'sequence', offset: 8, type: 'i64', description: 'publisher sequence number' },
    { name: 'timeNs', offset: TIME_NS, type: 'i64', description: 'monotonic ns of publication' },
    { name: 'exchangeTimeNs', offset: EXCHANGE_TIME_NS, type: 'epochNs', description: 'exchangeInfo serverTime, epoch ns (0: from overrides only)' },
    { name: 'fetchTimeNs', offset: FETCH_TIME_NS, type: 'epochNs', description: 'local wall time the exchangeInfo response arrived, epoch ns (0: from overrides only)' },
    { name: 'tickSize', offset: TICK_SIZE, type: 'fixed8', description: 'PRICE_FILTER tickSize, 1e-8 units (> 0)' },
    { name: 'stepSize', offset: STEP_SIZE, type: 'fixed8', description: 'LOT_SIZE stepSize, 1e-8 units (> 0)' },
    { name: 'minQty', offset: MIN_QTY, type: 'fixed8', description: 'LOT_SIZE minQty, 1e-8 units (0: none)' },
    { name: 'minNotional', offset: MIN_NOTIONAL, type: 'fixed8', description: 'NOTIONAL (or MIN_NOTIONAL) minNotional, quote 1e-8 units (0: none)' },
    { name: 'symbol', offset: SYMBOL, type: 'char', length: 16, description: 'symbol, NUL-padded ASCII' },
    { name: 'status', offset: STATUS, type: 'enum', values: INSTRUMENT_STATUS_NAMES, description: 'trading status; only TRADING may be quoted' },
    { name: 'overridden', offset: OVERRIDDEN, type: 'flags', values: INSTRUMENT_OVERRIDE_NAMES, description: 'fields set by config/symbols.toml rather than Binance' },
    { name: 'padding', offset: 90, type: 'padding', length: 6, description: 'zero' },
  ],
};

export class InstrumentEncoder extends EncoderFlyweight {
  constructor() { super(InstrumentCodec); }
  timeNs(v: number): this { return this.putI64(TIME_NS, v); }
  exchangeTimeNs(ms: number, nanosOfMs: number): this { return this.putEpoch(EXCHANGE_TIME_NS, ms, nanosOfMs); }
  exchangeTimeNsHiLo(hi: number, lo: number): this { return this.putHiLo(EXCHANGE_TIME_NS, hi, lo); }
  fetchTimeNs(ms: number, nanosOfMs: number): this { return this.putEpoch(FETCH_TIME_NS, ms, nanosOfMs); }
  fetchTimeNsHiLo(hi: number, lo: number): this { return this.putHiLo(FETCH_TIME_NS, hi, lo); }
  tickSize(v: number): this { return this.putI64(TICK_SIZE, v); }
  stepSize(v: number): this { return this.putI64(STEP_SIZE, v); }
  minQty(v: number): this { return this.putI64(MIN_QTY, v); }
  minNotional(v: number): this { return this.putI64(MIN_NOTIONAL, v); }
  symbol(v: string): this { return this.putSym(SYMBOL, v); }
  symbolBytes(bytes: Uint8Array): this { return this.putSymBytes(SYMBOL, bytes); }
  status(v: InstrumentStatus): this { return this.putU8(STATUS, v); }
  /** Bits of InstrumentOverride. */
  overridden(v: number): this { return this.putU8(OVERRIDDEN, v); }
}

export class InstrumentDecoder extends DecoderFlyweight {
  constructor() { super(InstrumentCodec); }
  timeNs(): number { return this.i64(TIME_NS); }
  exchangeTimeMs(): number { return this.epochMs(EXCHANGE_TIME_NS); }
  exchangeTimeNanosOfMs(): number { return this.epochNanosOfMs(EXCHANGE_TIME_NS); }
  exchangeTimeNsHi(): number { return this.hi(EXCHANGE_TIME_NS); }
  exchangeTimeNsLo(): number { return this.lo(EXCHANGE_TIME_NS); }
  fetchTimeMs(): number { return this.epochMs(FETCH_TIME_NS); }
  fetchTimeNanosOfMs(): number { return this.epochNanosOfMs(FETCH_TIME_NS); }
  fetchTimeNsHi(): number { return this.hi(FETCH_TIME_NS); }
  fetchTimeNsLo(): number { return this.lo(FETCH_TIME_NS); }
  tickSize(): number { return this.i64(TICK_SIZE); }
  stepSize(): number { return this.i64(STEP_SIZE); }
  minQty(): number { return this.i64(MIN_QTY); }
  minNotional(): number { return this.i64(MIN_NOTIONAL); }
  symbol(): string { return this.sym(SYMBOL); }
  symbolIndex(table: SymbolTable): number { return this.symIndex(SYMBOL, table); }
  symbolEquals(bytes: Uint8Array): boolean { return this.symEquals(SYMBOL, bytes); }
  status(): number { return this.u8(STATUS); }
  overridden(): number { return this.u8(OVERRIDDEN); }
}
