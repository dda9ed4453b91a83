import type { Publisher, Subscriber, SubscriptionOptions, Transport } from './Transport.js';
import { WakingPublisher } from './WakingPublisher.js';

/**
 * A transport whose publications call `wake` after every successful offer (`WakingPublisher`): hosted services'
 * publications run the services after them (`runServices`); `onStream` limits it to some streams (the tick-path
 * host noting that a book went out).
 */
export class WakingTransport implements Transport {
  constructor(
    private readonly inner: Transport,
    private readonly wake: () => void,
    private readonly onStream: (streamId: number) => boolean = () => true,
  ) {}

  async addExclusivePublication(channel: string, streamId: number): Promise<Publisher> {
    const pub = await this.inner.addExclusivePublication(channel, streamId);
    return this.onStream(streamId) ? new WakingPublisher(pub, this.wake) : pub;
  }

  addSubscription(channel: string, streamId: number, options?: SubscriptionOptions): Promise<Subscriber> {
    return this.inner.addSubscription(channel, streamId, options);
  }

  doWork(): number {
    return this.inner.doWork();
  }

  close(): Promise<void> | void {
    return this.inner.close();
  }
}
