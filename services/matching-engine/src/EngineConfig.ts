/**
 * The matching engine's configuration: `config/matching-engine.toml`, `MM_MATCHING_ENGINE__*`, and the original
 * guide's `ENGINE_*` variables (which win). Defaults keep the original protocol's behaviour; the operator controls
 * (issue 18) are off or generous unless configured, except cancel ownership and flush authorization (see README).
 */
import { c, loadConfigOrExit, type Infer, type LoadConfigOptions } from '@mm/config';
import { loggingSchema } from '@mm/logging';
import { runtimeSection } from '@mm/runtime';

const decimal = { pattern: /^\d+(\.\d+)?$/, patternText: 'a positive decimal' } as const;

export const engineSchema = c.object({
  threaded: c.bool({ default: true, env: 'ENGINE_THREADED', doc: 'match on two worker threads (symbols A-M / N-Z)' }),
  tcp: c.object({
    enabled: c.bool({ default: true, env: 'ENGINE_TCP_ENABLED' }),
    host: c.string({ default: '0.0.0.0', env: 'ENGINE_TCP_HOST', doc: 'listen address' }),
    port: c.port({ default: 1234, env: 'ENGINE_TCP_PORT' }),
  }),
  udp: c.object({
    enabled: c.bool({ default: true, env: 'ENGINE_UDP_ENABLED' }),
    host: c.string({ default: '0.0.0.0', env: 'ENGINE_UDP_HOST' }),
    port: c.port({ default: 1235, env: 'ENGINE_UDP_PORT' }),
  }),
  mcast: c.object({
    enabled: c.bool({ default: false, env: 'ENGINE_MCAST_ENABLED' }),
    group: c.string({ default: '239.255.0.1', env: 'ENGINE_MCAST_GROUP' }),
    port: c.port({ default: 1236, env: 'ENGINE_MCAST_PORT' }),
    ttl: c.int({ min: 0, max: 255, default: 1, env: 'ENGINE_MCAST_TTL' }),
    interface: c.string({ default: '', env: 'ENGINE_MCAST_INTERFACE', doc: 'outgoing interface address ("" = OS default; 127.0.0.1 in tests)' }),
    loopback: c.bool({ default: true, env: 'ENGINE_MCAST_LOOPBACK' }),
  }),
  limits: c.object({
    maxOrders: c.int({ min: 1, max: 1 << 26, default: 262_144, env: 'ENGINE_MAX_ORDERS', doc: 'resting orders in all books; global in threaded mode too (reject 6)' }),
    maxBooks: c.int({ min: 1, max: 1 << 20, default: 1024, env: 'ENGINE_MAX_BOOKS', doc: 'symbols (books); global in threaded mode too (reject 6)' }),
    maxLevelsPerBook: c.int({ min: 1, max: 1 << 24, default: 16_384, env: 'ENGINE_MAX_LEVELS_PER_BOOK', doc: 'price levels per book side (reject 9)' }),
    maxOrdersPerBook: c.int({ min: 1, max: 1 << 26, default: 1 << 20, env: 'ENGINE_MAX_ORDERS_PER_BOOK', doc: 'resting orders per book (reject 9)' }),
    maxOpenOrdersPerUser: c.int({ min: 0, max: 1 << 26, default: 0, env: 'ENGINE_MAX_OPEN_ORDERS_PER_USER', doc: '0 = unlimited (reject 6)' }),
    maxUsers: c.int({ min: 1, max: 1 << 24, default: 65_536, env: 'ENGINE_MAX_USERS' }),
    maxClients: c.int({ min: 1, max: 1 << 20, default: 1024, env: 'ENGINE_MAX_CLIENTS', doc: 'TCP connections; more are closed at once' }),
    maxFrameBytes: c.int({ min: 32, max: 1 << 20, default: 4096, env: 'ENGINE_MAX_FRAME_BYTES', doc: 'larger TCP frames disconnect the client' }),
    idleTimeoutMs: c.int({ min: 0, default: 0, env: 'ENGINE_IDLE_TIMEOUT_MS', doc: '0 = never; idle TCP clients are disconnected' }),
    maxOutputBufferBytes: c.int({ min: 4096, default: 8 << 20, env: 'ENGINE_MAX_OUTPUT_BUFFER_BYTES', doc: 'unsent bytes before a slow TCP client is disconnected' }),
    messagesPerSecond: c.int({ min: 0, default: 0, env: 'ENGINE_RATE_LIMIT', doc: 'per client (token bucket); 0 = unlimited (reject 8)' }),
    burst: c.int({ min: 1, default: 1000, env: 'ENGINE_RATE_BURST', doc: 'token bucket size' }),
    maxUdpClients: c.int({ min: 1, default: 4096, env: 'ENGINE_MAX_UDP_CLIENTS', doc: 'remembered UDP addresses (oldest forgotten first)' }),
  }),
  controls: c.object({
    cancelOwnership: c.enum(['client', 'any'], { default: 'client', env: 'ENGINE_CANCEL_OWNERSHIP', doc: 'client: only the entering connection/address may cancel (reject 7); any: original protocol' }),
    userBinding: c.bool({ default: false, env: 'ENGINE_USER_BINDING', doc: 'bind a TCP connection to its first user id (reject 7 for others)' }),
    flushAllowedFrom: c.array(c.string(), { default: ['127.0.0.1', '::1', '::ffff:127.0.0.1'], env: 'ENGINE_FLUSH_ALLOWED_FROM', doc: 'addresses allowed to flush (reject 7); "*" = anyone' }),
    cancelOnDisconnect: c.bool({ default: false, env: 'ENGINE_CANCEL_ON_DISCONNECT' }),
  }),
  /** The engine as the market maker's venue (stream 15 in; 16, 17, 18, 19 out): see QuoteVenue.ts. */
  venue: c.object({
    enabled: c.bool({ default: false, env: 'ENGINE_VENUE_ENABLED', doc: 'run as a venue of the market maker over Aeron (needs the media driver); false = the standalone engine of the guide' }),
    userId: c.int({ min: 1, max: 2 ** 32 - 1, default: 999_999, doc: "engine user id of the market maker's quotes (network clients must not use it)" }),
    positionIntervalMs: c.int({ min: 10, max: 60_000, default: 1000, doc: 'position snapshots (17) at least this often, and on every change' }),
    journal: c.object({
      dir: c.string({ default: 'data/matching-engine', nonEmpty: true, doc: 'fill journal directory (relative to the working directory)' }),
      fsync: c.enum(['every-record', 'batch'], { default: 'every-record', doc: 'fsync each fill, or in batches' }),
      batchMaxRecords: c.int({ min: 1, max: 1_000_000, default: 64, doc: 'batch: fsync after this many fills' }),
      batchMaxDelayMs: c.int({ min: 0, max: 60_000, default: 100, doc: 'batch: fsync when the oldest unsynced fill is this old' }),
      republishOnStart: c.int({ min: 0, max: 4096, default: 256, doc: 'at start, publish the last this-many journaled fills again (same ids; consumers skip ids they have)' }),
    }),
    fees: c.object({
      makerBps: c.number({ min: -100, max: 100, default: 1, doc: "maker fee (a fill of a resting quote), bps of notional (negative = rebate); the simulator's [fees] semantics" }),
      takerBps: c.number({ min: -100, max: 100, default: 1, doc: 'taker fee (a quote that crossed a resting order on entry), bps of notional' }),
    }),
    symbols: c.record(
      c.object({
        tickSize: c.string({ ...decimal, doc: 'price of one engine tick, quote units' }),
        lotSize: c.string({ ...decimal, doc: 'quantity of one engine lot, base units' }),
      }),
      { doc: 'scaling of quotes to engine ticks and lots; BTCUSDT and ETHUSDT have built-in defaults (QuoteVenue.ts)' },
    ),
  }),
  /** Used only with the venue on (the service host); accepted always so one file serves both modes. */
  runtime: runtimeSection,
  logging: loggingSchema,
});

export type EngineConfig = Infer<typeof engineSchema>;

export function loadEngineConfig(options: LoadConfigOptions = {}): EngineConfig {
  return loadConfigOrExit('matching-engine', engineSchema, options);
}
