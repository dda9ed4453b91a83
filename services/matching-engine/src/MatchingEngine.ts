/**
 * Composition of the engine: matcher (direct or threaded), router, TCP and UDP gateways, multicast publisher.
 * `start()` binds everything and returns the bound ports (port 0 in the config = OS-chosen, for tests).
 */
import { createSocket, type Socket } from 'node:dgram';
import type { CoreLimits } from '@mm/matching';
import { DirectMatcher } from './DirectMatcher.js';
import type { EngineConfig } from './EngineConfig.js';
import { EngineCounters } from './EngineCounters.js';
import { EngineSession } from './EngineSession.js';
import { LocalQuoter, type QuoteListener } from './LocalQuoter.js';
import type { Logger } from './Logger.js';
import type { Matcher } from './Matcher.js';
import { MulticastPublisher } from './MulticastPublisher.js';
import { OutputRouter } from './OutputRouter.js';
import { TcpGateway, type GatewayHooks } from './TcpGateway.js';
import { ThreadedMatcher } from './ThreadedMatcher.js';
import { UdpGateway } from './UdpGateway.js';

/** Event-loop turns spent polling the workers before sleeping on Atomics.waitAsync. */
const SPIN_TURNS = 32;

export interface BoundPorts {
  tcpPort: number | null;
  udpPort: number | null;
  mcastLocalPort: number | null;
}

export function coreLimitsOf(cfg: EngineConfig): CoreLimits {
  const l = cfg.limits;
  return {
    maxOrders: l.maxOrders,
    maxBooks: l.maxBooks,
    maxLevelsPerBook: l.maxLevelsPerBook,
    maxOrdersPerBook: l.maxOrdersPerBook,
    maxOpenOrdersPerUser: l.maxOpenOrdersPerUser,
    maxUsers: l.maxUsers,
    cancelByAnyClient: cfg.controls.cancelOwnership === 'any',
  };
}

export class MatchingEngine {
  readonly counters = new EngineCounters();
  readonly router = new OutputRouter(this.counters);
  readonly matcher: Matcher;
  private readonly session: EngineSession;
  private tcp: TcpGateway | null = null;
  private udp: UdpGateway | null = null;
  private mcastSocket: Socket | null = null;
  private nextId = 1;
  private pumpScheduled = false;
  private stopped = false;

  constructor(
    private readonly cfg: EngineConfig,
    private readonly log: Logger,
  ) {
    const limits = coreLimitsOf(cfg);
    this.matcher = cfg.threaded
      ? new ThreadedMatcher(limits, this.router, undefined, (e) => {
          // A processor that died took its books with it: stop rather than answer wrongly.
          log.error('matching worker failed', { error: e.message });
          process.exit(70);
        })
      : new DirectMatcher(limits, this.router);
    const allowed = cfg.controls.flushAllowedFrom;
    this.session = new EngineSession(this.matcher, this.counters, {
      userBinding: cfg.controls.userBinding,
      flushAllowedFrom: allowed.includes('*') ? null : new Set(allowed),
    });
    this.hooks = {
      nextClientId: () => this.nextId++,
      afterInput: () => this.deliver(),
      clientGone: (id, cancelOrders) => {
        if (cancelOrders && !this.stopped) {
          this.matcher.cancelClientOrders(id);
          this.deliver();
        }
      },
      progress: this.matcher,
    };
  }

  private readonly hooks: GatewayHooks;

  /** Delivers output: at once when matching is synchronous, else keeps pumping while messages are in flight. */
  private deliver(): void {
    const done = this.matcher.poll();
    if (done > 0) {
      this.idleTurns = 0;
      this.unflushed += done;
    }
    // Hand output to the sockets when nothing is left in flight, when the workers have nothing more for us yet,
    // or after a large batch: one write per burst instead of one per event-loop turn.
    if (done === 0 || this.matcher.inFlight === 0 || this.unflushed >= 1024) {
      this.router.flushAll();
      this.unflushed = 0;
      this.tcp?.outputDelivered();
    }
    if (this.matcher.inFlight > 0 && !this.pumpScheduled) {
      this.pumpScheduled = true;
      // A few event-loop turns of polling first (the answer is usually microseconds away), then sleep in the event
      // loop until a worker publishes instead of spinning (which would compete with the workers for CPU); plain
      // setImmediate polling where Atomics.waitAsync is missing.
      const ready = ++this.idleTurns <= SPIN_TURNS ? null : this.matcher.outputReady();
      if (ready === null) setImmediate(this.pump);
      else ready.then(this.pump, this.pump);
    } else if (this.matcher.inFlight === 0) this.idleTurns = 0;
  }

  private idleTurns = 0;
  private unflushed = 0;

  private readonly pump = (): void => {
    this.pumpScheduled = false;
    if (this.stopped) return;
    this.deliver();
  };

  /**
   * Adds an in-process client (a market maker) that quotes as `userId` and gets its fills as callbacks.
   * Its quotes match like any other orders; its user id should not be used by network clients.
   */
  addLocalQuoter(userId: number, listener: QuoteListener): LocalQuoter {
    const q = new LocalQuoter(this.nextId++, userId, this.matcher, listener, () => this.deliver());
    this.router.add(q.channel);
    return q;
  }

  async start(): Promise<BoundPorts> {
    const cfg = this.cfg;
    const l = cfg.limits;
    const ports: BoundPorts = { tcpPort: null, udpPort: null, mcastLocalPort: null };
    if (cfg.mcast.enabled) {
      const s = createSocket({ type: 'udp4' });
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.bind(0, cfg.mcast.interface === '' ? undefined : cfg.mcast.interface, () => {
          s.off('error', reject);
          resolve();
        });
      });
      s.on('error', (e) => this.log.warn('multicast send failed', { error: e.message }));
      s.setMulticastTTL(cfg.mcast.ttl);
      s.setMulticastLoopback(cfg.mcast.loopback);
      if (cfg.mcast.interface !== '') s.setMulticastInterface(cfg.mcast.interface);
      this.mcastSocket = s;
      this.router.mcast = new MulticastPublisher(s, cfg.mcast.group, cfg.mcast.port, this.counters);
      ports.mcastLocalPort = s.address().port;
    }
    if (cfg.tcp.enabled) {
      this.tcp = new TcpGateway(
        {
          host: cfg.tcp.host,
          port: cfg.tcp.port,
          maxClients: l.maxClients,
          maxFrameBytes: l.maxFrameBytes,
          idleTimeoutMs: l.idleTimeoutMs,
          maxOutputBufferBytes: l.maxOutputBufferBytes,
          messagesPerSecond: l.messagesPerSecond,
          burst: l.burst,
          cancelOnDisconnect: cfg.controls.cancelOnDisconnect,
        },
        this.session,
        this.router,
        this.counters,
        this.hooks,
        this.log,
      );
      ports.tcpPort = await this.tcp.listen();
    }
    if (cfg.udp.enabled) {
      this.udp = new UdpGateway(
        { host: cfg.udp.host, port: cfg.udp.port, maxClients: l.maxUdpClients, messagesPerSecond: l.messagesPerSecond, burst: l.burst },
        this.session,
        this.router,
        this.counters,
        this.hooks,
      );
      ports.udpPort = await this.udp.listen();
    }
    return ports;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.tcp?.close();
    await this.udp?.close();
    this.mcastSocket?.close();
    await this.matcher.close();
  }
}
