import { dirname } from 'node:path';
import { Aeron, Context } from '@mm/aeron-client';
import { Doorbell, streamBit } from '../Doorbell.js';
import { RingingPublisher } from '../RingingPublisher.js';
import type { Publisher, Subscriber, SubscriptionOptions, Transport } from '../Transport.js';
import type { CounterHandle } from './ServiceStatus.js';
import type { ConnectOptions, TransportConnection } from './runService.js';

/**
 * Connects a service process to the media driver named by `[runtime.aeron] dir` (or `AERON_DIR`, or Aeron's
 * default). Aeron's publications and subscriptions already have the `Transport` shape (image callbacks included);
 * this adapter adds counters and the doorbell (every publication rings it, see Doorbell.ts; without the native
 * futex the service runs on without one and parks on timers). A driver timeout is fatal for the service.
 */
interface CounterCapable {
  addCounter(typeId: number, key: Uint8Array, label: string): Promise<CounterHandle>;
}

function hasCounters(aeron: unknown): aeron is CounterCapable {
  return typeof (aeron as { addCounter?: unknown }).addCounter === 'function';
}

class AeronTransport implements Transport {
  constructor(
    readonly aeron: Aeron,
    readonly doorbell: Doorbell | undefined,
  ) {}

  async addExclusivePublication(channel: string, streamId: number): Promise<Publisher> {
    const publication = await this.aeron.addExclusivePublication(channel, streamId);
    return this.doorbell ? new RingingPublisher(publication, this.doorbell) : publication;
  }

  /** Doorbell bits of every stream this process reads: its sleeps end only for rings on those. */
  interest = 0;

  addSubscription(channel: string, streamId: number, options: SubscriptionOptions = {}): Promise<Subscriber> {
    this.interest |= streamBit(streamId);
    // Aeron's subscription options and image callbacks have the same shape as the runtime's.
    return this.aeron.addSubscription(channel, streamId, options);
  }

  doWork(): number {
    this.doorbell?.ringIfPending();
    return this.aeron.doWork();
  }

  close(): void {
    this.aeron.close();
    this.doorbell?.close();
  }
}

export async function aeronConnector(options: ConnectOptions): Promise<TransportConnection> {
  const { runtime, log } = options;
  const aeron = await Aeron.connect(
    new Context({
      ...(runtime.aeron.dir ? { aeronDir: runtime.aeron.dir } : {}),
      driverTimeoutMs: runtime.aeron.driverTimeoutMs,
      clientName: options.clientName,
      onError: (error) => log.error({ err: error }, `aeron: ${error.message}`),
      onDriverTimeout: (error) => options.onFatal(error),
    }),
  );
  let doorbell: Doorbell | undefined;
  try {
    doorbell = Doorbell.open(dirname(aeron.cncFile.path));
  } catch (error) {
    log.warn({ err: error }, `no doorbell (parked services wake on their timers only): ${(error as Error).message}`);
  }
  log.info({ aeronDir: aeron.cncFile.path, clientId: aeron.clientId, doorbell: doorbell?.path ?? false }, 'connected to the media driver');
  const transport = new AeronTransport(aeron, doorbell);
  const bell = doorbell;
  return {
    transport,
    ...(bell ? { doorbell: { park: (timeoutNs: number, hasWork: () => number) => bell.park(timeoutNs, hasWork, transport.interest) } } : {}),
    addCounter: (typeId, key, label) => {
      if (!hasCounters(aeron)) return Promise.reject(new Error('this aeron-client cannot allocate counters'));
      return aeron.addCounter(typeId, key, label);
    },
  };
}
