/**
 * Outbound commands to the media driver over the CnC to-driver ring buffer. One flyweight per command and one
 * scratch buffer, allocated once. Every command takes a fresh correlation id from the ring's shared counter.
 *
 * Limits: channels are ASCII; a channel longer than the ring's max message allows is rejected with a clear error.
 * A full ring (the driver is not draining it) throws, as Aeron does: commands are rare and losing one is fatal.
 */
import { AtomicBuffer, ManyToOneRingBuffer } from '@mm/agrona';
import { ControlProtocolEvents as E } from './command/ControlProtocolEvents.js';
import { CORRELATED_MESSAGE_LENGTH, CorrelatedMessageFlyweight } from './command/CorrelatedMessageFlyweight.js';
import { PUBLICATION_CHANNEL_OFFSET, PublicationMessageFlyweight } from './command/PublicationMessageFlyweight.js';
import { RemoveMessageFlyweight } from './command/RemoveMessageFlyweight.js';
import { SUBSCRIPTION_CHANNEL_OFFSET, SubscriptionMessageFlyweight } from './command/SubscriptionMessageFlyweight.js';
import { TerminateDriverFlyweight } from './command/TerminateDriverFlyweight.js';
import { CounterMessageFlyweight } from './command/CounterMessageFlyweight.js';
import { AeronError } from './exceptions/AeronError.js';

export class DriverProxy {
  readonly toDriver: ManyToOneRingBuffer;
  readonly clientId: number;
  private readonly scratch: AtomicBuffer;
  private readonly correlated = new CorrelatedMessageFlyweight();
  private readonly publication = new PublicationMessageFlyweight();
  private readonly subscription = new SubscriptionMessageFlyweight();
  private readonly remove = new RemoveMessageFlyweight();
  private readonly terminate = new TerminateDriverFlyweight();
  private readonly counter = new CounterMessageFlyweight();

  constructor(toDriver: ManyToOneRingBuffer, clientId: number) {
    this.toDriver = toDriver;
    this.clientId = clientId;
    this.scratch = AtomicBuffer.allocate(Math.min(toDriver.maxMsgLength, 64 * 1024));
    this.correlated.wrap(this.scratch, 0);
    this.publication.wrap(this.scratch, 0);
    this.subscription.wrap(this.scratch, 0);
    this.remove.wrap(this.scratch, 0);
    this.terminate.wrap(this.scratch, 0);
    this.counter.wrap(this.scratch, 0);
  }

  nextCorrelationId(): number { return this.toDriver.nextCorrelationId(); }

  addPublication(channel: string, streamId: number, exclusive: boolean): number {
    checkChannel(channel, this.scratch.capacity - PUBLICATION_CHANNEL_OFFSET - 4);
    const correlationId = this.nextCorrelationId();
    this.publication.setClientId(this.clientId).setCorrelationId(correlationId).setStreamId(streamId).setChannel(channel);
    this.write(exclusive ? E.ADD_EXCLUSIVE_PUBLICATION : E.ADD_PUBLICATION, this.publication.length(), 'add publication');
    return correlationId;
  }

  removePublication(registrationId: number): number {
    return this.removeCommand(E.REMOVE_PUBLICATION, registrationId, 'remove publication');
  }

  addSubscription(channel: string, streamId: number): number {
    checkChannel(channel, this.scratch.capacity - SUBSCRIPTION_CHANNEL_OFFSET - 4);
    const correlationId = this.nextCorrelationId();
    this.subscription.setClientId(this.clientId).setCorrelationId(correlationId).setRegistrationCorrelationId(-1)
      .setStreamId(streamId).setChannel(channel);
    this.write(E.ADD_SUBSCRIPTION, this.subscription.length(), 'add subscription');
    return correlationId;
  }

  removeSubscription(registrationId: number): number {
    return this.removeCommand(E.REMOVE_SUBSCRIPTION, registrationId, 'remove subscription');
  }

  /** ADD_COUNTER: a counter with this type id, key (at most 112 bytes) and label, owned by this client. */
  addCounter(typeId: number, key: Uint8Array, label: string): number {
    if (key.length > 112) throw new AeronError(`counter key of ${key.length} bytes exceeds 112`);
    const correlationId = this.nextCorrelationId();
    const keyBuffer = AtomicBuffer.allocate(Math.max(8, key.length));
    keyBuffer.bytes.set(key);
    this.counter.setClientId(this.clientId).setCorrelationId(correlationId).setTypeId(typeId)
      .setKey(keyBuffer, 0, key.length).setLabel(label);
    this.write(E.ADD_COUNTER, this.counter.length(), 'add counter');
    return correlationId;
  }

  removeCounter(registrationId: number): number {
    return this.removeCommand(E.REMOVE_COUNTER, registrationId, 'remove counter');
  }

  clientKeepalive(): void {
    this.correlated.setClientId(this.clientId).setCorrelationId(0);
    this.write(E.CLIENT_KEEPALIVE, CORRELATED_MESSAGE_LENGTH, 'client keepalive');
  }

  clientClose(): void {
    this.correlated.setClientId(this.clientId).setCorrelationId(-1);
    this.write(E.CLIENT_CLOSE, CORRELATED_MESSAGE_LENGTH, 'client close');
  }

  /** Asks the driver to terminate (honoured only if its termination validator allows it). */
  terminateDriver(token?: Uint8Array): void {
    const correlationId = this.nextCorrelationId();
    this.terminate.setClientId(this.clientId).setCorrelationId(correlationId);
    if (token !== undefined && token.length > 0) {
      const t = AtomicBuffer.allocate(token.length);
      t.bytes.set(token);
      this.terminate.setToken(t, 0, token.length);
    } else {
      this.terminate.setToken(null);
    }
    this.write(E.TERMINATE_DRIVER, this.terminate.length(), 'terminate driver');
  }

  private removeCommand(type: number, registrationId: number, what: string): number {
    const correlationId = this.nextCorrelationId();
    this.remove.setClientId(this.clientId).setCorrelationId(correlationId).setRegistrationId(registrationId);
    this.write(type, this.remove.length(), what);
    return correlationId;
  }

  private write(type: number, length: number, what: string): void {
    if (!this.toDriver.write(type, this.scratch, 0, length)) {
      throw new AeronError(`could not write ${what} command: the to-driver ring buffer is full (driver not draining it?)`);
    }
  }
}

function checkChannel(channel: string, maxLength: number): void {
  if (typeof channel !== 'string' || channel.length === 0) throw new AeronError('channel must be a non-empty string');
  if (channel.length > maxLength) throw new AeronError(`channel of ${channel.length} chars exceeds ${maxLength}`);
  for (let i = 0; i < channel.length; i++) {
    const c = channel.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) throw new AeronError(`channel '${channel}' has a non-printable or non-ASCII character at ${i}`);
  }
}
