import { Aeron, Context } from '@mm/aeron-client';
import type { Publisher, Subscriber, SubscriptionOptions, Transport } from '../Transport.js';
import type { CounterHandle } from './ServiceStatus.js';
import type { ConnectOptions, TransportConnection } from './runService.js';

/**
 * Connects a service process to the media driver named by `[runtime.aeron] dir` (or `AERON_DIR`, or Aeron's
 * default). Aeron's publications and subscriptions already have the `Transport` shape (image callbacks included);
 * this adapter adds counters. A driver timeout is fatal for the service.
 */
interface CounterCapable {
  addCounter(typeId: number, key: Uint8Array, label: string): Promise<CounterHandle>;
}

function hasCounters(aeron: unknown): aeron is CounterCapable {
  return typeof (aeron as { addCounter?: unknown }).addCounter === 'function';
}

class AeronTransport implements Transport {
  constructor(readonly aeron: Aeron) {}

  addExclusivePublication(channel: string, streamId: number): Promise<Publisher> {
    return this.aeron.addExclusivePublication(channel, streamId);
  }

  addSubscription(channel: string, streamId: number, options: SubscriptionOptions = {}): Promise<Subscriber> {
    // Aeron's subscription options and image callbacks have the same shape as the runtime's.
    return this.aeron.addSubscription(channel, streamId, options);
  }

  doWork(): number {
    return this.aeron.doWork();
  }

  close(): void {
    this.aeron.close();
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
  log.info({ aeronDir: aeron.cncFile.path, clientId: aeron.clientId }, 'connected to the media driver');
  return {
    transport: new AeronTransport(aeron),
    addCounter: (typeId, key, label) => {
      if (!hasCounters(aeron)) return Promise.reject(new Error('this aeron-client cannot allocate counters'));
      return aeron.addCounter(typeId, key, label);
    },
  };
}
