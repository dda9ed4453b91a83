/**
 * The client's conductor duty: driver responses, keepalive, liveness checks, command timeouts and the life
 * cycle of publications, subscriptions and images. It does nothing on its own: `doWork()` runs one duty cycle
 * and is called by the service's agent runner (or by `Aeron.startConductorTimer`, or by an awaiting `add*` call
 * while its answer is pending).
 *
 * Invariants and limits:
 * - Single-threaded: every state change happens inside `doWork()` or a public call on the same thread.
 * - Every `keepAliveIntervalMs` it checks the driver heartbeat (stale beyond `driverTimeoutMs` → driver timeout)
 *   and stores the time into this client's heartbeat counter (found by type 11 and registration id = client id),
 *   after checking the counter is still ours (if the driver freed it, this client was timed out).
 * - A fatal condition (driver timeout, client timeout, lost driver responses) closes everything WITHOUT sending
 *   commands and reports once through `onDriverTimeout` then `onError`. No reconnection: the service exits.
 */
import { AtomicBuffer, CountersLayout, ManyToOneRingBuffer, MappedFile } from '@mm/agrona';
import type { CncFile } from './CncFile.js';
import type { Context } from './Context.js';
import { DriverEventsAdapter } from './DriverEventsAdapter.js';
import type { DriverEventsListener } from './DriverEventsAdapter.js';
import { DriverProxy } from './DriverProxy.js';
import { AeronError } from './exceptions/AeronError.js';
import { ClientTimeoutError, DriverTimeoutError } from './exceptions/DriverTimeoutError.js';
import { RegistrationError } from './exceptions/RegistrationError.js';
import { ExclusivePublication } from './ExclusivePublication.js';
import { Image } from './Image.js';
import { Publication } from './Publication.js';
import type { PublicationBase, PublicationParams } from './PublicationBase.js';
import { Subscription } from './Subscription.js';
import { Counter } from './Counter.js';
import type { AvailableImageHandler, UnavailableImageHandler } from './Subscription.js';
import { AERON_CLIENT_VERSION } from './version.js';

export const CLIENT_HEARTBEAT_TYPE_ID = 11;

interface PendingBase {
  readonly channel: string;
  readonly streamId: number;
  readonly deadlineMs: number;
  readonly reject: (error: Error) => void;
}
interface PendingPublication extends PendingBase {
  readonly kind: 'publication' | 'exclusive publication';
  readonly resolve: (p: PublicationBase) => void;
}
interface PendingSubscription extends PendingBase {
  readonly kind: 'subscription';
  readonly resolve: (s: Subscription) => void;
  readonly onAvailableImage: AvailableImageHandler | undefined;
  readonly onUnavailableImage: UnavailableImageHandler | undefined;
}
interface PendingCounter extends PendingBase {
  readonly kind: 'counter';
  readonly resolve: (c: Counter) => void;
}
type Pending = PendingPublication | PendingSubscription | PendingCounter;

export class ClientConductor implements DriverEventsListener {
  readonly ctx: Context;
  readonly cnc: CncFile;
  readonly clientId: number;
  readonly driverProxy: DriverProxy;
  private readonly toDriver: ManyToOneRingBuffer;
  private readonly adapter: DriverEventsAdapter;
  private readonly values: AtomicBuffer;
  private readonly pending = new Map<number, Pending>();
  private readonly publications = new Set<PublicationBase>();
  private readonly subscriptions = new Map<number, Subscription>();
  private readonly counters = new Set<Counter>();
  private heartbeatCounterId = -1;
  private labelExtended = false;
  private nextKeepaliveMs: number;
  private closed = false;
  private selfDriving = false;

  constructor(ctx: Context, cnc: CncFile) {
    this.ctx = ctx;
    this.cnc = cnc;
    this.toDriver = new ManyToOneRingBuffer(cnc.metadata.toDriverBuffer());
    this.clientId = this.toDriver.nextCorrelationId();
    this.driverProxy = new DriverProxy(this.toDriver, this.clientId);
    this.adapter = new DriverEventsAdapter(cnc.metadata.toClientsBuffer(), this);
    this.values = cnc.countersReader.valuesBuffer;
    this.nextKeepaliveMs = ctx.epochClock() + ctx.keepAliveIntervalMs;
  }

  get isClosed(): boolean { return this.closed; }

  /** One duty cycle; returns the amount of work done (0 = idle). */
  doWork(): number {
    if (this.closed) return 0;
    let work = 0;
    try {
      work += this.adapter.receive();
    } catch (e) {
      this.fatal(new AeronError(`lost driver responses: ${(e as Error).message}`, { cause: e }));
      return 1;
    }
    const now = this.ctx.epochClock();
    if (now >= this.nextKeepaliveMs) {
      this.nextKeepaliveMs = now + this.ctx.keepAliveIntervalMs;
      work += this.checkLiveness(now);
    }
    if (this.pending.size > 0) this.checkPendingTimeouts(now);
    return work;
  }

  // ---- commands ----
  addPublication(channel: string, streamId: number, exclusive: boolean): Promise<PublicationBase> {
    this.ensureOpen();
    checkStreamId(streamId);
    const correlationId = this.driverProxy.addPublication(channel, streamId, exclusive);
    return new Promise<PublicationBase>((resolve, reject) => {
      this.pending.set(correlationId, {
        kind: exclusive ? 'exclusive publication' : 'publication', channel, streamId,
        deadlineMs: this.ctx.epochClock() + this.ctx.driverTimeoutMs, resolve, reject,
      });
      this.driveWhilePending();
    });
  }

  addSubscription(channel: string, streamId: number, onAvailableImage: AvailableImageHandler | undefined,
    onUnavailableImage: UnavailableImageHandler | undefined): Promise<Subscription> {
    this.ensureOpen();
    checkStreamId(streamId);
    const correlationId = this.driverProxy.addSubscription(channel, streamId);
    return new Promise<Subscription>((resolve, reject) => {
      this.pending.set(correlationId, {
        kind: 'subscription', channel, streamId, deadlineMs: this.ctx.epochClock() + this.ctx.driverTimeoutMs,
        resolve, reject, onAvailableImage, onUnavailableImage,
      });
      this.driveWhilePending();
    });
  }

  /** ADD_COUNTER; `channel`/`streamId` of the pending entry carry the label and type id for error messages. */
  addCounter(typeId: number, key: Uint8Array, label: string): Promise<Counter> {
    this.ensureOpen();
    const correlationId = this.driverProxy.addCounter(typeId, key, label);
    return new Promise<Counter>((resolve, reject) => {
      this.pending.set(correlationId, {
        kind: 'counter', channel: label, streamId: typeId, deadlineMs: this.ctx.epochClock() + this.ctx.driverTimeoutMs,
        resolve, reject,
      });
      this.driveWhilePending();
    });
  }

  /** Sends removes for everything, CLIENT_CLOSE, and unmaps. */
  close(): void {
    if (this.closed) return;
    for (const p of this.publications) this.trySend(() => this.driverProxy.removePublication(p.registrationId));
    for (const s of this.subscriptions.values()) this.trySend(() => this.driverProxy.removeSubscription(s.registrationId));
    for (const c of this.counters) this.trySend(() => this.driverProxy.removeCounter(c.registrationId));
    this.trySend(() => this.driverProxy.clientClose());
    this.shutdown(new AeronError('Aeron client closed'));
  }

  // ---- DriverEventsListener ----
  onError(correlationId: number, errorCode: number, message: string): void {
    const p = this.pending.get(correlationId);
    if (p === undefined) return;
    this.pending.delete(correlationId);
    p.reject(new RegistrationError(correlationId, errorCode, message, `${p.kind} ${p.channel} stream ${p.streamId}`));
  }

  onNewPublication(correlationId: number, registrationId: number, streamId: number, sessionId: number,
    publicationLimitId: number, channelStatusIndicatorId: number, logFileName: string, exclusive: boolean): void {
    const p = this.pending.get(correlationId);
    if (p === undefined || (p.kind !== 'publication' && p.kind !== 'exclusive publication')) return;
    this.pending.delete(correlationId);
    let logFile: MappedFile | undefined;
    try {
      logFile = MappedFile.map(logFileName);
      const params: PublicationParams = {
        channel: p.channel, streamId, sessionId, registrationId: correlationId, originalRegistrationId: registrationId,
        logFile, valuesBuffer: this.values, positionLimitCounterId: publicationLimitId, channelStatusId: channelStatusIndicatorId,
        onClose: (pub) => this.releasePublication(pub),
      };
      const publication = exclusive ? new ExclusivePublication(params) : new Publication(params);
      this.publications.add(publication);
      p.resolve(publication);
    } catch (e) {
      logFile?.close();
      p.reject(new AeronError(`cannot map the log of ${p.kind} ${p.channel} stream ${streamId}: ${(e as Error).message}`, { cause: e }));
    }
  }

  onNewSubscription(correlationId: number, _channelStatusIndicatorId: number): void {
    const p = this.pending.get(correlationId);
    if (p === undefined || p.kind !== 'subscription') return;
    this.pending.delete(correlationId);
    const subscription = new Subscription({
      channel: p.channel, streamId: p.streamId, registrationId: correlationId,
      onAvailableImage: p.onAvailableImage, onUnavailableImage: p.onUnavailableImage,
      onClose: (s) => this.releaseSubscription(s), onError: this.ctx.onError,
    });
    this.subscriptions.set(correlationId, subscription);
    p.resolve(subscription);
  }

  onAvailableImage(correlationId: number, sessionId: number, subscriptionRegistrationId: number,
    subscriberPositionId: number, logFileName: string, sourceIdentity: string): void {
    const subscription = this.subscriptions.get(subscriptionRegistrationId);
    if (subscription === undefined || subscription.hasImage(correlationId)) return;
    let logFile: MappedFile | undefined;
    try {
      logFile = MappedFile.map(logFileName);
      subscription.addImage(new Image(correlationId, sessionId, subscriberPositionId, sourceIdentity,
        subscriptionRegistrationId, logFile, this.values));
    } catch (e) {
      logFile?.close();
      this.ctx.onError(new AeronError(`cannot map image ${logFileName} (session ${sessionId}): ${(e as Error).message}`, { cause: e }));
    }
  }

  onUnavailableImage(correlationId: number, subscriptionRegistrationId: number): void {
    this.subscriptions.get(subscriptionRegistrationId)?.removeImage(correlationId);
  }

  onOperationSuccess(_correlationId: number): void {
    // Removes are fire-and-forget: the resource is already closed locally.
  }

  onCounterReady(correlationId: number, counterId: number): void {
    if (correlationId === this.clientId) this.heartbeatCounterId = counterId;
    const p = this.pending.get(correlationId);
    if (p === undefined || p.kind !== 'counter') return;
    this.pending.delete(correlationId);
    const counter = new Counter(correlationId, counterId, this.values, (c) => {
      this.counters.delete(c);
      if (!this.closed) this.trySend(() => this.driverProxy.removeCounter(c.registrationId));
    });
    this.counters.add(counter);
    p.resolve(counter);
  }

  onUnavailableCounter(registrationId: number, counterId: number): void {
    if (registrationId === this.clientId && counterId === this.heartbeatCounterId) {
      this.fatal(new ClientTimeoutError(`client ${this.clientId} heartbeat counter ${counterId} was freed by the driver (client timed out)`));
    }
  }

  onClientTimeout(clientId: number): void {
    if (clientId === this.clientId) this.fatal(new ClientTimeoutError(`the media driver timed out client ${clientId}`));
  }

  // ---- internals ----
  private checkLiveness(nowMs: number): number {
    const heartbeat = this.toDriver.consumerHeartbeatTime();
    if (heartbeat === -1) {
      this.fatal(new DriverTimeoutError(`the media driver at ${this.ctx.aeronDir} has shut down`));
      return 1;
    }
    const age = nowMs - heartbeat;
    if (age > this.ctx.driverTimeoutMs) {
      this.fatal(new DriverTimeoutError(`MediaDriver keepalive: age=${age}ms > driverTimeoutMs=${this.ctx.driverTimeoutMs}ms (${this.ctx.aeronDir})`));
      return 1;
    }
    const reader = this.cnc.countersReader;
    if (this.heartbeatCounterId === -1) {
      this.heartbeatCounterId = reader.findByTypeIdAndRegistrationId(CLIENT_HEARTBEAT_TYPE_ID, this.clientId);
    }
    const id = this.heartbeatCounterId;
    if (id !== -1) {
      if (reader.getCounterState(id) !== CountersLayout.RECORD_ALLOCATED ||
        reader.getCounterTypeId(id) !== CLIENT_HEARTBEAT_TYPE_ID || reader.getCounterRegistrationId(id) !== this.clientId) {
        this.fatal(new ClientTimeoutError(`unexpected close of heartbeat timestamp counter ${id} for client ${this.clientId}`));
        return 1;
      }
      if (!this.labelExtended) {
        this.labelExtended = true;
        this.appendClientInfoToLabel(id);
      }
      this.values.putInt64OrderedNumber(id * CountersLayout.COUNTER_LENGTH, nowMs);
    }
    return 1;
  }

  /**
   * As Aeron's C client does once it finds its heartbeat counter: append ` name=<clientName> version=<version>` to
   * the label the driver wrote, truncated to the label's 380 bytes. Only this client writes its counter's label
   * after allocation; the length is stored after the bytes so a reader never sees unwritten characters.
   */
  private appendClientInfoToLabel(counterId: number): void {
    const meta = this.cnc.countersReader.metadataBuffer;
    const base = counterId * CountersLayout.METADATA_LENGTH;
    const length = meta.getInt32(base + CountersLayout.LABEL_LENGTH_OFFSET);
    if (length < 0 || length >= CountersLayout.MAX_LABEL_LENGTH) return;
    const extra = ` name=${this.ctx.clientName} version=${AERON_CLIENT_VERSION}`;
    const n = Math.min(extra.length, CountersLayout.MAX_LABEL_LENGTH - length);
    for (let i = 0; i < n; i++) {
      const c = extra.charCodeAt(i);
      meta.putUint8(base + CountersLayout.LABEL_OFFSET + length + i, c < 0x80 ? c : 0x3f);
    }
    meta.putInt32Ordered(base + CountersLayout.LABEL_LENGTH_OFFSET, length + n);
  }

  private checkPendingTimeouts(nowMs: number): void {
    for (const [correlationId, p] of this.pending) {
      if (nowMs > p.deadlineMs) {
        this.pending.delete(correlationId);
        p.reject(new DriverTimeoutError(`no response from the media driver within ${this.ctx.driverTimeoutMs}ms to add ${p.kind} ${p.channel} stream ${p.streamId}`));
      }
    }
  }

  /**
   * While an `add*` awaits its answer, drive the conductor from a short timer so the promise settles even if
   * nobody calls `doWork()` yet (a service typically adds its publications before starting its agent).
   */
  private driveWhilePending(): void {
    if (this.selfDriving) return;
    this.selfDriving = true;
    const tick = (): void => {
      if (this.closed || this.pending.size === 0) {
        this.selfDriving = false;
        return;
      }
      try {
        this.doWork();
      } catch (e) {
        this.ctx.onError(e as Error);
      }
      setTimeout(tick, 1);
    };
    setTimeout(tick, 1);
  }

  private releasePublication(publication: PublicationBase): void {
    if (!this.publications.delete(publication)) return;
    if (!this.closed) this.trySend(() => this.driverProxy.removePublication(publication.registrationId));
    publication.internalClose();
  }

  private releaseSubscription(subscription: Subscription): void {
    if (!this.subscriptions.delete(subscription.registrationId)) return;
    if (!this.closed) this.trySend(() => this.driverProxy.removeSubscription(subscription.registrationId));
    subscription.internalClose();
  }

  private trySend(send: () => unknown): void {
    try {
      send();
    } catch (e) {
      this.ctx.onError(e as Error);
    }
  }

  private ensureOpen(): void {
    if (this.closed) throw new AeronError('Aeron client is closed');
  }

  private fatal(error: AeronError): void {
    if (this.closed) return;
    this.shutdown(error);
    try {
      this.ctx.onDriverTimeout?.(error);
    } finally {
      this.ctx.onError(error);
    }
  }

  private shutdown(reason: AeronError): void {
    this.closed = true;
    for (const p of this.publications) p.internalClose();
    this.publications.clear();
    for (const s of this.subscriptions.values()) s.internalClose();
    this.subscriptions.clear();
    // Counters write into the CnC mapping that is unmapped below: mark them closed (no command: this.closed).
    for (const c of [...this.counters]) c.close();
    this.counters.clear();
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(reason);
    this.cnc.close();
  }
}

function checkStreamId(streamId: number): void {
  if (!Number.isInteger(streamId) || streamId < -2147483648 || streamId > 2147483647) {
    throw new AeronError(`stream id ${streamId} is not an int32`);
  }
}
