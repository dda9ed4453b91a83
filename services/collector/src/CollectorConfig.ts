import { c } from '@mm/config';

/** `config/collector.toml`. Symbols and instrument overrides come from the shared `config/symbols.toml`. */
export const collectorSchema = {
  binance: c.object({
    wsUrl: c.string({ default: 'wss://stream.binance.com:9443', doc: 'combined-stream base URL (no path)' }),
    restUrl: c.string({ default: 'https://api.binance.com', doc: 'REST base URL for /api/v3/depth' }),
    depthSpeed: c.enum(['100ms', '1000ms'], { default: '100ms' }),
    snapshotLimit: c.int({ min: 5, max: 5000, default: 1000 }),
    staleDataTimeoutMs: c.int({ min: 1000, max: 600_000, default: 10_000, doc: 'no frame for this long → reconnect' }),
    reconnectInitialMs: c.int({ min: 10, max: 60_000, default: 500 }),
    reconnectMaxMs: c.int({ min: 100, max: 600_000, default: 30_000 }),
    maxConnectionAgeMs: c.int({ min: 10_000, max: 86_400_000, default: 84_600_000, doc: 'open the next connection before the 24 h cut' }),
    snapshotTimeoutMs: c.int({ min: 100, max: 120_000, default: 10_000 }),
    banBackoffMs: c.int({ min: 1000, max: 3_600_000, default: 120_000, doc: 'after HTTP 418 (IP banned) no REST request (snapshot, exchangeInfo) for max(Retry-After, this)' }),
    exchangeInfoRefreshS: c.int({ min: 1, max: 86_400, default: 3600, doc: 'refetch GET /api/v3/exchangeInfo (tick, step, minimums, status) this often' }),
  }),
  instrument: c.object({
    republishIntervalMs: c.int({ min: 10, max: 600_000, default: 2000, doc: 'republish every instrument on stream 20 this often (late joiners)' }),
  }),
  book: c.object({
    levels: c.int({ min: 1, max: 64, default: 20, doc: 'levels per side published on stream 10' }),
    bookTicker: c.bool({ default: true, doc: 'also subscribe <symbol>@bookTicker and publish its best bid/ask as soon as it is newer than the book (real time, vs depth diffs every 100 ms)' }),
  }),
  source: c.object({
    kind: c.enum(['live', 'replay'], { default: 'live', doc: 'live Binance (or the fake), or a recording' }),
    files: c.array(c.string(), { default: [], doc: 'replay: recordings (the product\'s or hftbacktest\'s format)' }),
    speed: c.number({ min: 0, max: 1000, default: 1, doc: 'replay: 1 = recorded pace, 10 = ten times faster, 0 = as fast as possible' }),
    exchangeInfo: c.string({ default: '', doc: 'replay: an exchangeInfo JSON file for the instruments instead of the recordings\' sidecars (<recording>.exchangeInfo.json)' }),
  }),
  record: c.object({
    enabled: c.bool({ default: false, doc: 'write raw frames with receive times to hourly gzip files' }),
    dir: c.string({ default: 'data/recordings' }),
  }),
};
