import { AtomicBuffer } from '@mm/agrona';
import type { ExchangeInfo } from '@mm/binance';
import { formatFixed8, InstrumentEncoder, InstrumentStatus, symbolBytes } from '@mm/protocol';
import type { Publisher } from '@mm/runtime';
import { isFullOverride, mergeInstrument, overrideUnits, sameRules, type Instrument, type SymbolOverride } from './InstrumentMerge.js';

/**
 * Stream 20: the current instrument of every symbol (exchangeInfo + overrides, see InstrumentMerge).
 *
 * - `applyExchangeInfo` merges a fetch; a symbol whose rules changed (or that is new) is published at once. A symbol
 *   that the fetch could not describe keeps its last instrument (a transient problem must not unteach consumers).
 * - `doWork` republishes every known instrument each `republishIntervalNs`, so a late joiner learns them all within
 *   one period; a refused message (back pressure, or nobody subscribed yet) is retried after RETRY_NS, so an
 *   unread stream 20 costs the duty cycle nothing.
 * - `onTrading(symbol, trading, reason)` is told when a symbol's status changes to or from TRADING, and (false) when
 *   a fetch cannot describe a symbol that has no instrument yet.
 * Rare traffic (a few messages per period): one encoder and one buffer, nothing allocated per message.
 */
export type LogFn = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

const MESSAGE_LENGTH = 96;
const RETRY_NS = 10e6;

interface Slot {
  readonly symbol: string;
  readonly bytes: Uint8Array;
  readonly override: SymbolOverride | undefined;
  current: Instrument | undefined;
  /** Must be (re)published on the next duty cycle. */
  pending: boolean;
  /** Problems of the last merge, joined (logged only when they change). */
  lastProblems: string;
  /** Reported not trading for lack of any instrument. */
  reportedMissing: boolean;
}

export class InstrumentPublisher {
  readonly counters = { published: 0, refused: 0, changes: 0 };
  private readonly encoder = new InstrumentEncoder();
  private readonly buffer = AtomicBuffer.allocate(MESSAGE_LENGTH);
  private readonly slots: Slot[];
  private sequence = 0;
  private nextRepublishNs = 0;
  private nextRetryNs = 0;

  constructor(
    symbols: readonly string[],
    overrides: Readonly<Record<string, SymbolOverride>>,
    private readonly publisher: Publisher,
    private readonly republishIntervalNs: number,
    private readonly nowNs: () => number,
    private readonly log: LogFn,
    private readonly onTrading: (symbol: string, trading: boolean, reason: string) => void,
  ) {
    this.slots = symbols.map((s) => ({
      symbol: s.toUpperCase(), bytes: symbolBytes(s.toUpperCase()), override: overrides[s.toUpperCase()], current: undefined, pending: false, lastProblems: '', reportedMissing: false,
    }));
  }

  /**
   * Checks every override (throws a RangeError naming the key: a configuration error) and publishes the symbols
   * whose override alone is an instrument, before anything is fetched.
   */
  applyFullOverrides(): void {
    for (const s of this.slots) overrideUnits(s.symbol, s.override);
    for (const s of this.slots) {
      if (isFullOverride(s.override)) this.apply(s, mergeInstrument(s.symbol, undefined, s.override, 0, 0));
    }
  }

  /** Reports the symbols that have no instrument (e.g. replay without overrides). */
  reportMissing(why: string): void {
    for (const s of this.slots) {
      if (s.current === undefined) {
        this.log('warn', `${s.symbol}: no instrument (${why}); strategies will not quote it: give it a full [overrides.${s.symbol}], an exchangeInfo snapshot (<recording>.exchangeInfo.json or source.exchange-info) or [recorded.${s.symbol}] in config/symbols.toml`, { symbol: s.symbol });
        if (!s.reportedMissing) {
          s.reportedMissing = true;
          this.onTrading(s.symbol, false, `no instrument (${why})`);
        }
      }
    }
  }

  /** An instrument resolved elsewhere (a replay's: overrides, the recording's snapshot, [recorded.X]). */
  applyInstrument(instrument: Instrument, problems: readonly string[] = []): void {
    const s = this.slots.find((x) => x.symbol === instrument.symbol);
    if (s !== undefined) this.apply(s, { instrument, problems });
  }

  applyExchangeInfo(info: ExchangeInfo, fetchTimeMs: number): void {
    for (const s of this.slots) {
      const ex = info.symbols.find((x) => x.symbol === s.symbol);
      this.apply(s, mergeInstrument(s.symbol, ex, s.override, info.serverTimeMs, fetchTimeMs));
    }
  }

  /** Every symbol has an instrument. */
  get complete(): boolean {
    return this.slots.every((s) => s.current !== undefined);
  }

  instrumentOf(symbol: string): Instrument | undefined {
    return this.slots.find((s) => s.symbol === symbol)?.current;
  }

  doWork(): number {
    const now = this.nowNs();
    let work = 0;
    if (now >= this.nextRepublishNs) {
      this.nextRepublishNs = now + this.republishIntervalNs;
      for (const s of this.slots) if (s.current !== undefined) s.pending = true;
    }
    if (now < this.nextRetryNs) return work;
    for (const s of this.slots) if (s.pending) work += this.publish(s, now);
    return work;
  }

  private apply(s: Slot, r: ReturnType<typeof mergeInstrument>): void {
    const problems = r.problems.join('; ');
    if (problems !== s.lastProblems) {
      s.lastProblems = problems;
      if (problems !== '') {
        this.log(r.instrument === undefined ? 'error' : 'warn', `${s.symbol} instrument: ${problems}${r.instrument === undefined && s.current !== undefined ? ' (keeping the last known instrument)' : ''}`, { symbol: s.symbol });
      }
    }
    const next = r.instrument;
    if (next === undefined) {
      // Never described (unknown symbol, unusable filters): consumers cannot trade it; say so on 11 too.
      if (s.current === undefined && !s.reportedMissing) {
        s.reportedMissing = true;
        this.onTrading(s.symbol, false, `no instrument: ${r.problems[0] ?? 'unknown'}`);
      }
      return;
    }
    const previous = s.current;
    // Times change on every fetch; the periodic republish carries them, a change of rules goes out at once.
    s.current = next;
    if (previous !== undefined && sameRules(previous, next)) return;
    this.counters.changes++;
    s.pending = true;
    this.log(previous === undefined ? 'info' : 'warn', `${s.symbol} instrument ${previous === undefined ? 'known' : 'changed'}: tick ${formatFixed8(next.tickSizeE8)}, step ${formatFixed8(next.stepSizeE8)}, min qty ${formatFixed8(next.minQtyE8)}, min notional ${formatFixed8(next.minNotionalE8)}, status ${next.statusText}${next.overridden !== 0 ? ' (with overrides from symbols.toml)' : ''}`, { symbol: s.symbol });
    const trading = next.status === InstrumentStatus.TRADING;
    const wasTrading = previous === undefined ? !s.reportedMissing : previous.status === InstrumentStatus.TRADING;
    if (trading !== wasTrading || !trading) this.onTrading(s.symbol, trading, trading ? 'Binance status TRADING' : `Binance status ${next.statusText}: not trading`);
    this.publish(s, this.nowNs());
  }

  private publish(s: Slot, now: number): number {
    const i = s.current!;
    const enc = this.encoder.wrap(this.buffer, 0)
      .sequence(this.sequence)
      .timeNs(now)
      .exchangeTimeNs(i.exchangeTimeMs, 0)
      .fetchTimeNs(i.fetchTimeMs, 0)
      .tickSize(i.tickSizeE8)
      .stepSize(i.stepSizeE8)
      .minQty(i.minQtyE8)
      .minNotional(i.minNotionalE8)
      .symbolBytes(s.bytes)
      .status(i.status)
      .overridden(i.overridden);
    if (this.publisher.offer(this.buffer, 0, enc.encodedLength()) > 0) {
      this.sequence++;
      this.counters.published++;
      s.pending = false;
      return 1;
    }
    this.counters.refused++;
    s.pending = true;
    this.nextRetryNs = now + RETRY_NS;
    return 0;
  }
}
