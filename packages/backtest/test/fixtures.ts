import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared recordings, found relative to the repository (`../shared` from its root). */
const here = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(here, '../../..');
export const BTC_0808 = resolve(REPO, '../shared/data/binance-spot/btcusdt_20240808.gz');
/** The tests' own config dir (only what differs from the schema defaults), independent of the shipped config/. */
export const CONFIG_DIR = resolve(here, 'fixtures/config');
/** A short slice of the BTCUSDT recording (it starts 23:54:13.94): a little over two minutes. */
export const SLICE_TO = '2024-08-08T23:56:20Z';

/** Parses the event log's CSV (no field of ours holds a comma or quote; asserted by the caller's use). */
export function parseCsv(text: string): Record<string, string>[] {
  const [head, ...rows] = text.trimEnd().split('\n');
  const cols = head!.split(',');
  return rows.map((r) => {
    const cells = r.split(',');
    if (cells.length !== cols.length) throw new Error(`csv row has ${cells.length} cells, header ${cols.length}: ${r}`);
    return Object.fromEntries(cols.map((c, i) => [c, cells[i]!]));
  });
}
