import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { parseExchangeInfo, ExchangeInfoError, type ExchangeInfo } from './ExchangeInfo.js';

/**
 * A recording carries its instruments: the exchangeInfo body fetched while it was written, raw (Binance's JSON, so
 * `parseExchangeInfo` reads it like a live response), in `<recording>.exchangeInfo.json` next to it.
 *
 * Invariants and limits:
 * - A sidecar is written once, whole (a temp file hard-linked into place), and never replaced: it holds the first
 *   exchangeInfo known while its recording was open, i.e. the rules in force when the recording began. A change
 *   of rules (or a HALT) in the middle of a recording is not in it.
 * - Reading: a missing sidecar is `undefined` (a recording of before sidecars, or another tool's); an unreadable or
 *   unusable one throws an `ExchangeInfoError` naming the file.
 */
export const EXCHANGE_INFO_SIDECAR_SUFFIX = '.exchangeInfo.json';

export function exchangeInfoSidecarPath(recordingPath: string): string {
  return `${recordingPath}${EXCHANGE_INFO_SIDECAR_SUFFIX}`;
}

/** Writes `body` as the recording's sidecar unless it has one; returns true when written. */
export function writeExchangeInfoSidecar(recordingPath: string, body: string): boolean {
  const path = exchangeInfoSidecarPath(recordingPath);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, body);
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temp);
  }
}

/** Reads an exchangeInfo file (a sidecar or any saved response) for `symbols`; undefined when it does not exist. */
export function readExchangeInfoFile(path: string, symbols: readonly string[]): ExchangeInfo | undefined {
  let body: string;
  try {
    body = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ExchangeInfoError(`${path}: ${(error as Error).message}`);
  }
  try {
    return parseExchangeInfo(body, symbols);
  } catch (error) {
    throw new ExchangeInfoError(`${path}: ${(error as Error).message}`);
  }
}
