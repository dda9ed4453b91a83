/**
 * Inbound driver events: reads the to-clients broadcast buffer, decodes each response with a reused flyweight and
 * dispatches to the conductor. Responses meant for other clients are filtered by the listener (it only knows
 * its own correlation and registration ids).
 */
import { BroadcastReceiver, CopyBroadcastReceiver } from '@mm/agrona';
import type { AtomicBuffer } from '@mm/agrona';
import { ControlProtocolEvents as E } from './command/ControlProtocolEvents.js';
import { CounterUpdateFlyweight } from './command/CounterUpdateFlyweight.js';
import { ErrorResponseFlyweight } from './command/ErrorResponseFlyweight.js';
import { ImageBuffersReadyFlyweight } from './command/ImageBuffersReadyFlyweight.js';
import { ImageMessageFlyweight } from './command/ImageMessageFlyweight.js';
import { ClientTimeoutFlyweight, OperationSucceededFlyweight } from './command/OperationSucceededFlyweight.js';
import { PublicationBuffersReadyFlyweight } from './command/PublicationBuffersReadyFlyweight.js';
import { SubscriptionReadyFlyweight } from './command/SubscriptionReadyFlyweight.js';

export interface DriverEventsListener {
  onError(correlationId: number, errorCode: number, message: string): void;
  onNewPublication(correlationId: number, registrationId: number, streamId: number, sessionId: number,
    publicationLimitId: number, channelStatusIndicatorId: number, logFileName: string, exclusive: boolean): void;
  onNewSubscription(correlationId: number, channelStatusIndicatorId: number): void;
  onAvailableImage(correlationId: number, sessionId: number, subscriptionRegistrationId: number,
    subscriberPositionId: number, logFileName: string, sourceIdentity: string): void;
  onUnavailableImage(correlationId: number, subscriptionRegistrationId: number): void;
  onOperationSuccess(correlationId: number): void;
  onCounterReady(correlationId: number, counterId: number): void;
  onUnavailableCounter(registrationId: number, counterId: number): void;
  onClientTimeout(clientId: number): void;
}

export class DriverEventsAdapter {
  private readonly receiver: CopyBroadcastReceiver;
  private readonly listener: DriverEventsListener;
  private readonly error = new ErrorResponseFlyweight();
  private readonly publicationReady = new PublicationBuffersReadyFlyweight();
  private readonly subscriptionReady = new SubscriptionReadyFlyweight();
  private readonly imageReady = new ImageBuffersReadyFlyweight();
  private readonly imageMessage = new ImageMessageFlyweight();
  private readonly operationSucceeded = new OperationSucceededFlyweight();
  private readonly counterUpdate = new CounterUpdateFlyweight();
  private readonly clientTimeout = new ClientTimeoutFlyweight();
  private readonly handler: (msgTypeId: number, buffer: AtomicBuffer, index: number, length: number) => void;

  constructor(toClients: AtomicBuffer, listener: DriverEventsListener) {
    this.receiver = new CopyBroadcastReceiver(new BroadcastReceiver(toClients));
    this.listener = listener;
    this.handler = (msgTypeId, buffer, index, length) => this.onMessage(msgTypeId, buffer, index, length);
  }

  /** Handles up to `limit` messages; returns how many. Throws BroadcastLappedError if responses were lost. */
  receive(limit = 10): number {
    let count = 0;
    while (count < limit && this.receiver.receive(this.handler) > 0) count++;
    return count;
  }

  private onMessage(msgTypeId: number, buffer: AtomicBuffer, index: number, _length: number): void {
    const l = this.listener;
    switch (msgTypeId) {
      case E.ON_ERROR: {
        const f = this.error.wrap(buffer, index);
        l.onError(f.offendingCommandCorrelationId(), f.errorCode(), f.errorMessage());
        break;
      }
      case E.ON_PUBLICATION_READY:
      case E.ON_EXCLUSIVE_PUBLICATION_READY: {
        const f = this.publicationReady.wrap(buffer, index);
        l.onNewPublication(f.correlationId(), f.registrationId(), f.streamId(), f.sessionId(), f.publicationLimitCounterId(),
          f.channelStatusIndicatorId(), f.logFileName(), msgTypeId === E.ON_EXCLUSIVE_PUBLICATION_READY);
        break;
      }
      case E.ON_SUBSCRIPTION_READY: {
        const f = this.subscriptionReady.wrap(buffer, index);
        l.onNewSubscription(f.correlationId(), f.channelStatusIndicatorId());
        break;
      }
      case E.ON_AVAILABLE_IMAGE: {
        const f = this.imageReady.wrap(buffer, index);
        l.onAvailableImage(f.correlationId(), f.sessionId(), f.subscriptionRegistrationId(), f.subscriberPositionId(),
          f.logFileName(), f.sourceIdentity());
        break;
      }
      case E.ON_UNAVAILABLE_IMAGE: {
        const f = this.imageMessage.wrap(buffer, index);
        l.onUnavailableImage(f.correlationId(), f.subscriptionRegistrationId());
        break;
      }
      case E.ON_OPERATION_SUCCESS:
        l.onOperationSuccess(this.operationSucceeded.wrap(buffer, index).correlationId());
        break;
      case E.ON_COUNTER_READY:
      case E.ON_STATIC_COUNTER: {
        const f = this.counterUpdate.wrap(buffer, index);
        l.onCounterReady(f.correlationId(), f.counterId());
        break;
      }
      case E.ON_UNAVAILABLE_COUNTER: {
        const f = this.counterUpdate.wrap(buffer, index);
        l.onUnavailableCounter(f.correlationId(), f.counterId());
        break;
      }
      case E.ON_CLIENT_TIMEOUT:
        l.onClientTimeout(this.clientTimeout.wrap(buffer, index).clientId());
        break;
      default:
        break; // other responses (publication errors of network channels) are not for an IPC client
    }
  }
}
