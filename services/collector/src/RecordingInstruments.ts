import { exchangeInfoSidecarPath, parseDecimalE8, readExchangeInfoFile, type ExchangeInfo, type ExchangeSymbolInfo } from '@mm/binance';
import type { SymbolsConfig } from '@mm/runtime';
import { mergeInstrument, type Instrument, type SymbolOverride } from './InstrumentMerge.js';

/**
 * The instruments of a replay or a backtest, which fetch nothing from Binance. Per symbol, in order:
 * 1. `[overrides.<SYMBOL>]` of config/symbols.toml, field by field over whatever comes next (as live);
 * 2. an explicit exchangeInfo file (`mm backtest --exchange-info`, collector.toml `source.exchange-info`), else the
 *    recordings' sidecars (`<recording>.exchangeInfo.json`, see @mm/binance ExchangeInfoSidecar): the symbol's own
 *    files first, then the others (one fetch describes every symbol);
 * 3. `[recorded.<SYMBOL>]` of config/symbols.toml (assumed rules for recordings without a snapshot);
 * 4. none: an error naming the symbol and the three ways to give it one.
 * The first of 2–3 that describes the symbol is taken whole (no field mixing between a snapshot and [recorded]).
 * A file that exists but is unusable is an error naming it (never silently skipped).
 */
type RecordedTable = SymbolsConfig['recorded'][string];
/** A `[recorded.<SYMBOL>]` table: tick and lot size required, the rest optional (as in the TOML). */
export type RecordedInstrumentConfig = Pick<RecordedTable, 'tickSize' | 'lotSize'> &
  { readonly [K in Exclude<keyof RecordedTable, 'tickSize' | 'lotSize'>]?: RecordedTable[K] };

export interface RecordingInstrumentOptions {
  readonly symbols: readonly string[];
  readonly overrides: Readonly<Record<string, SymbolOverride>>;
  readonly recorded: Readonly<Record<string, RecordedInstrumentConfig>>;
  /** The recordings, with the symbol each belongs to when known (from its file name). */
  readonly files: readonly { readonly path: string; readonly symbol?: string | undefined }[];
  /** Replaces the sidecars. */
  readonly exchangeInfoFile?: string | undefined;
}

export interface RecordingInstrument {
  readonly instrument: Instrument;
  /** Where its rules came from, for logs: "overrides", "<file>", "[recorded.X]" (+ " with overrides"). */
  readonly source: string;
  readonly problems: readonly string[];
}

export class RecordingInstrumentError extends Error {
  override readonly name = 'RecordingInstrumentError';
}

/** The sentence for a symbol without an instrument (also used by the collector's log). */
export function noRecordingInstrumentMessage(symbol: string, why: string): string {
  return `${symbol}: no instrument for a replay or backtest (${why}); give it one of: a full [overrides.${symbol}] `
    + `(tick-size, lot-size) in config/symbols.toml (also wins live), an exchangeInfo snapshot (the recording's `
    + `<recording>.exchangeInfo.json sidecar, or mm backtest --exchange-info <file>), or a [recorded.${symbol}] table `
    + `(tick-size, lot-size) in config/symbols.toml`;
}

/** Resolves every symbol; throws a RecordingInstrumentError (all symbols without one named) or an ExchangeInfoError (bad file). */
export function recordingInstruments(o: RecordingInstrumentOptions): Map<string, RecordingInstrument> {
  const { resolved, missing } = resolveRecordingInstruments(o);
  if (missing.length > 0) throw new RecordingInstrumentError(missing.join('\n'));
  return resolved;
}

/**
 * Resolves what it can: `missing` has one sentence per symbol without an instrument (noRecordingInstrumentMessage).
 * Throws only for a file that exists but cannot be used (ExchangeInfoError, or a missing explicit file).
 */
export function resolveRecordingInstruments(o: RecordingInstrumentOptions): { resolved: Map<string, RecordingInstrument>; missing: string[] } {
  const symbols = o.symbols.map((s) => s.toUpperCase());
  const snapshots = loadSnapshots(o, symbols);
  const out = new Map<string, RecordingInstrument>();
  const missing: string[] = [];
  for (const symbol of symbols) {
    const override = o.overrides[symbol];
    const snap = snapshotOf(symbol, snapshots, o.files);
    const recorded = o.recorded[symbol];
    let exchange: ExchangeSymbolInfo | undefined;
    let source: string;
    let serverTimeMs = 0;
    if (snap !== undefined) {
      exchange = snap.info;
      serverTimeMs = snap.serverTimeMs;
      source = snap.path;
    } else if (recorded !== undefined) {
      exchange = recordedInfo(symbol, recorded);
      source = `[recorded.${symbol}]`;
    } else {
      source = 'overrides';
    }
    const r = mergeInstrument(symbol, exchange, override, serverTimeMs, serverTimeMs);
    if (r.instrument === undefined) {
      const why = exchange === undefined
        ? `no exchangeInfo sidecar${o.files.length > 0 ? ` (looked for ${o.files.map((f) => exchangeInfoSidecarPath(f.path)).join(', ')})` : ''} and no [recorded.${symbol}]`
        : `${source}: ${r.problems.join('; ')}`;
      missing.push(noRecordingInstrumentMessage(symbol, why));
      continue;
    }
    out.set(symbol, {
      instrument: r.instrument,
      source: exchange === undefined ? 'overrides' : r.instrument.overridden !== 0 ? `${source} with overrides` : source,
      problems: r.problems,
    });
  }
  return { resolved: out, missing };
}

interface Snapshot {
  readonly path: string;
  readonly info: ExchangeInfo;
}

function loadSnapshots(o: RecordingInstrumentOptions, symbols: readonly string[]): Snapshot[] {
  if (o.exchangeInfoFile !== undefined) {
    const info = readExchangeInfoFile(o.exchangeInfoFile, symbols);
    if (info === undefined) throw new RecordingInstrumentError(`exchangeInfo file ${o.exchangeInfoFile} does not exist`);
    return [{ path: o.exchangeInfoFile, info }];
  }
  const out: Snapshot[] = [];
  for (const f of o.files) {
    const path = exchangeInfoSidecarPath(f.path);
    const info = readExchangeInfoFile(path, symbols);
    if (info !== undefined) out.push({ path, info });
  }
  return out;
}

/** The symbol's entry of the first snapshot describing it, its own recordings' sidecars first. */
function snapshotOf(symbol: string, snapshots: readonly Snapshot[], files: RecordingInstrumentOptions['files']):
  { path: string; info: ExchangeSymbolInfo; serverTimeMs: number } | undefined {
  const own = (s: Snapshot): boolean => files.some((f) => f.symbol?.toUpperCase() === symbol && exchangeInfoSidecarPath(f.path) === s.path);
  const ordered = [...snapshots.filter(own), ...snapshots.filter((s) => !own(s))];
  for (const s of ordered) {
    const info = s.info.symbols.find((x) => x.symbol === symbol);
    if (info !== undefined && !info.problems.some((p) => p.includes('not in exchangeInfo'))) {
      return { path: s.path, info, serverTimeMs: s.info.serverTimeMs };
    }
  }
  return undefined;
}

/** `[recorded.X]` as if exchangeInfo had said it (so overrides still win field by field and mark their bits). */
function recordedInfo(symbol: string, r: RecordedInstrumentConfig): ExchangeSymbolInfo {
  const problems: string[] = [];
  const units = (key: string, text: string | undefined, positive: boolean): number | undefined => {
    if (text === undefined) return 0;
    const v = parseDecimalE8(text);
    if (typeof v === 'string') {
      problems.push(`symbols.toml recorded.${symbol}.${key}: ${v}`);
      return undefined;
    }
    if (positive && v === 0) {
      problems.push(`symbols.toml recorded.${symbol}.${key} must be > 0`);
      return undefined;
    }
    return v;
  };
  return {
    symbol,
    status: r.status ?? 'TRADING',
    tickSizeE8: units('tick-size', r.tickSize, true),
    stepSizeE8: units('lot-size', r.lotSize, true),
    minQtyE8: units('min-qty', r.minQty, false),
    minNotionalE8: units('min-notional', r.minNotional, false),
    problems,
  };
}
