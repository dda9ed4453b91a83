/**
 * The driver's single agent: drains client commands, keeps every IPC publication's pub-pos/pub-lmt current, links
 * subscriptions to publications, times clients out from their heartbeat counters and runs the publication life
 * cycle (drain -> unavailable image -> linger -> log deleted).
 *
 * Invariants:
 * - Single threaded: everything in the CnC and log metadata the driver owns is written only from `doWork()`.
 * - `doWork()` never throws: a failure is recorded in the distinct error log and the Errors counter, and the command
 *   that caused it gets ON_ERROR.
 * - A client is known from its first command; its heartbeat counter (type 11) is allocated then, and everything it
 *   registered is released when it times out or closes.
 * Limits: IPC only (UDP and spies get a NOT_SUPPORTED error), no publication resume parameters.
 */
import { unlinkSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import {
  BroadcastTransmitter,
  CountersFullError,
  CountersManager,
  DistinctErrorLog,
  ManyToOneRingBuffer,
} from '@mm/agrona';
import { CncFile } from './CncFile.js';
import { ClientCommandAdapter, type CommandHandler } from './ClientCommandAdapter.js';
import { ClientProxy } from './ClientProxy.js';
import { ControlProtocolError, ErrorCode, IPC_CHANNEL_PREFIX } from './ControlProtocol.js';
import { ipcTermWindowLength, type DriverContext } from './DriverContext.js';
import { checkChannelMtu, parseIpcChannel } from './IpcChannel.js';
import { createLogFile, initLogMetadata, ipcLogFileName, logFileLength } from './IpcLogBuffer.js';
import {
  IpcPublication,
  PublicationState,
  TetherState,
  type PublicationListener,
  type SubscriberPosition,
} from './IpcPublication.js';
import {
  allocateClientHeartbeat,
  allocatePublisherLimit,
  allocatePublisherPosition,
  allocateSubscriberPosition,
} from './StreamCounters.js';
import { SystemCounterId, SystemCounters } from './SystemCounters.js';

interface PublicationLink {
  readonly registrationId: number;
  readonly publication: IpcPublication;
}

interface SubscriptionLink {
  readonly registrationId: number;
  readonly clientId: number;
  readonly streamId: number;
  readonly channel: string;
  readonly sessionId: number | undefined;
  readonly isTether: boolean;
}

interface AeronClient {
  readonly clientId: number;
  readonly heartbeatCounterId: number;
  closedByCommand: boolean;
  readonly publicationLinks: PublicationLink[];
  readonly subscriptions: SubscriptionLink[];
  /** Counter registration id -> counter id, for counters the client added. */
  readonly counters: Map<number, number>;
}

export type DriverLogger = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

const RESERVED_SESSION_ID_LOW = -1;
const RESERVED_SESSION_ID_HIGH = 1000;

export class DriverConductor implements CommandHandler, PublicationListener {
  readonly ctx: DriverContext;
  readonly cnc: CncFile;
  readonly counters: CountersManager;
  readonly systemCounters: SystemCounters;
  readonly errorLog: DistinctErrorLog;
  readonly toDriver: ManyToOneRingBuffer;
  private readonly clientProxy: ClientProxy;
  private readonly commandAdapter: ClientCommandAdapter;
  private readonly log: DriverLogger;
  private readonly clients = new Map<number, AeronClient>();
  private readonly publications: IpcPublication[] = [];
  private readonly subscriptions: SubscriptionLink[] = [];
  private readonly staticCounters = new Map<string, number>();
  private nextSessionId = randomInt(-0x80000000, 0x7fffffff);
  private nextTimerNs: number;
  private readonly timerIntervalNs: number;
  private readonly livenessTimeoutMs: number;
  private lastCommandConsumerPosition = 0;
  private timeOfLastCommandConsumerChangeNs: number;
  private terminationRequested = false;
  private lastMinSubscriberPositionSum = -1;
  private lastProducerPositionSum = -1;

  constructor(ctx: DriverContext, cnc: CncFile, log: DriverLogger) {
    this.ctx = ctx;
    this.cnc = cnc;
    this.log = log;
    this.counters = new CountersManager(cnc.countersMetadata, cnc.countersValues, ctx.epochClockMs);
    this.systemCounters = new SystemCounters(this.counters);
    this.errorLog = new DistinctErrorLog(cnc.errorLog, ctx.epochClockMs);
    this.toDriver = new ManyToOneRingBuffer(cnc.toDriver);
    this.clientProxy = new ClientProxy(new BroadcastTransmitter(cnc.toClients));
    this.commandAdapter = new ClientCommandAdapter(this.toDriver, this);
    this.timerIntervalNs = ctx.timerIntervalNs;
    this.livenessTimeoutMs = Math.max(1, Math.floor(ctx.clientLivenessTimeoutNs / 1e6));
    const now = ctx.nanoClock();
    this.nextTimerNs = now + this.timerIntervalNs;
    this.timeOfLastCommandConsumerChangeNs = now;
    // The driver takes the first correlation id itself, as Aeron's driver does.
    this.toDriver.nextCorrelationId();
    this.toDriver.setConsumerHeartbeatTime(ctx.epochClockMs());
    this.systemCounters.set(SystemCounterId.BYTES_CURRENTLY_MAPPED, cnc.file.length);
  }

  get isTerminationRequested(): boolean {
    return this.terminationRequested;
  }

  /** One duty cycle; returns the amount of work done (0 = idle). */
  doWork(): number {
    let work = 0;
    try {
      const nowNs = this.ctx.nanoClock();
      if (nowNs >= this.nextTimerNs) {
        this.nextTimerNs = nowNs + this.timerIntervalNs;
        this.onTimer(nowNs);
        work += 1;
      }
      work += this.commandAdapter.receive();
      const publications = this.publications;
      let producerSum = 0;
      for (let i = 0; i < publications.length; i++) {
        const p = publications[i]!;
        work += p.updatePubPosAndLmt();
        producerSum += this.counters.getCounterValue(p.publisherPositionId);
        const subs = p.subscribers;
        for (let j = 0; j < subs.length; j++) producerSum += this.counters.getCounterValue(subs[j]!.counterId);
      }
      // Traffic keeps the driver hot (no parking) so limits follow subscribers promptly.
      if (producerSum !== this.lastProducerPositionSum) {
        this.lastProducerPositionSum = producerSum;
        work += 1;
      }
    } catch (e) {
      this.recordError(e);
    }
    return work;
  }

  /** Total bytes mapped by the driver (CnC + logs). */
  bytesMapped(): number {
    let total = this.cnc.file.length;
    for (const p of this.publications) total += p.mappedLength();
    return total;
  }

  /** Releases every mapping; with `deleteLogs` the log files are removed too. */
  close(deleteLogs: boolean): void {
    this.toDriver.setConsumerHeartbeatTime(-1);
    for (const p of this.publications) {
      p.logFile.close();
      if (deleteLogs) tryUnlink(p.logFileName);
    }
    this.publications.length = 0;
  }

  // ---------------------------------------------------------------------------------------------- timers

  private onTimer(nowNs: number): void {
    const nowMs = this.ctx.epochClockMs();
    this.toDriver.setConsumerHeartbeatTime(nowMs);
    this.checkClients(nowMs, nowNs);
    for (let i = this.publications.length - 1; i >= 0; i--) {
      const p = this.publications[i]!;
      if (p.onTimeEvent(nowNs, this)) {
        this.publications.splice(i, 1);
        this.freePublication(p);
      }
    }
    this.checkForBlockedCommands(nowNs);
    this.systemCounters.set(SystemCounterId.BYTES_CURRENTLY_MAPPED, this.bytesMapped());
  }

  private checkClients(nowMs: number, nowNs: number): void {
    for (const client of this.clients.values()) {
      const heartbeatMs = this.counters.getCounterValue(client.heartbeatCounterId);
      if (nowMs > heartbeatMs + this.livenessTimeoutMs) this.onClientTimedOut(client, nowNs);
    }
  }

  private onClientTimedOut(client: AeronClient, nowNs: number): void {
    this.clients.delete(client.clientId);
    if (!client.closedByCommand) {
      this.systemCounters.increment(SystemCounterId.CLIENT_TIMEOUTS);
      this.clientProxy.onClientTimeout(client.clientId);
      this.log('warn', 'client timed out', { clientId: client.clientId });
    }
    this.clientProxy.onUnavailableCounter(client.clientId, client.heartbeatCounterId);
    for (const link of client.publicationLinks) link.publication.decRef(nowNs);
    client.publicationLinks.length = 0;
    for (const [registrationId, counterId] of client.counters) {
      this.clientProxy.onUnavailableCounter(registrationId, counterId);
      this.counters.free(counterId);
    }
    client.counters.clear();
    for (const sub of client.subscriptions) this.unlinkSubscription(sub);
    client.subscriptions.length = 0;
    this.counters.free(client.heartbeatCounterId);
  }

  private checkForBlockedCommands(nowNs: number): void {
    const consumer = this.toDriver.consumerPosition();
    if (consumer !== this.lastCommandConsumerPosition) {
      this.lastCommandConsumerPosition = consumer;
      this.timeOfLastCommandConsumerChangeNs = nowNs;
      return;
    }
    if (this.toDriver.producerPosition() > consumer) {
      if (nowNs - this.timeOfLastCommandConsumerChangeNs > this.ctx.clientLivenessTimeoutNs && this.toDriver.unblock()) {
        this.systemCounters.increment(SystemCounterId.UNBLOCKED_COMMANDS);
        this.timeOfLastCommandConsumerChangeNs = nowNs;
        this.log('warn', 'unblocked the to-driver command ring (a client died mid-command)');
      }
    } else {
      this.timeOfLastCommandConsumerChangeNs = nowNs;
    }
  }

  // ---------------------------------------------------------------------------------------------- commands

  onAddPublication(clientId: number, correlationId: number, streamId: number, channel: string, exclusive: boolean): void {
    const params = parseIpcChannel(channel);
    const client = this.getOrAddClient(clientId);
    const termLength = params.termLength ?? this.ctx.ipcTermBufferLength;
    const mtu = params.mtu ?? this.ctx.ipcMtuLength;
    checkChannelMtu(channel, mtu, termLength);

    if (!exclusive) {
      const existing = this.publications.find(
        (p) => !p.isExclusive && p.state === PublicationState.ACTIVE && p.streamId === streamId &&
          (params.sessionId === undefined || p.sessionId === params.sessionId),
      );
      if (existing !== undefined) {
        if (params.termLength !== undefined && params.termLength !== existing.termLength) {
          throw new ControlProtocolError(ErrorCode.INVALID_CHANNEL, `existing publication on stream ${streamId} has term-length ${existing.termLength}, channel asks ${params.termLength}`);
        }
        if (params.mtu !== undefined && params.mtu !== existing.mtu) {
          throw new ControlProtocolError(ErrorCode.INVALID_CHANNEL, `existing publication on stream ${streamId} has mtu ${existing.mtu}, channel asks ${params.mtu}`);
        }
        existing.refCount += 1;
        client.publicationLinks.push({ registrationId: correlationId, publication: existing });
        this.clientProxy.onPublicationReady(false, correlationId, existing.registrationId, existing.sessionId, streamId, existing.publisherLimitId, existing.logFileName);
        return;
      }
    }

    const sessionId = this.chooseSessionId(streamId, params.sessionId);
    const window = Math.min(ipcTermWindowLength(this.ctx, termLength), params.publicationWindow ?? Number.MAX_SAFE_INTEGER);
    const logFileName = ipcLogFileName(this.ctx.aeronDir, correlationId);
    const initialTermId = randomInt(-0x80000000, 0x7fffffff);
    let logFile;
    try {
      logFile = createLogFile(logFileName, logFileLength(termLength), this.ctx.termBufferSparseFile);
    } catch (e) {
      tryUnlink(logFileName);
      const code = ((e as NodeJS.ErrnoException).code) === 'ENOSPC' || /ENOSPC|No space/.test(String(e)) ? ErrorCode.STORAGE_SPACE : ErrorCode.GENERIC_ERROR;
      throw new ControlProtocolError(code, `cannot create log ${logFileName} (${logFileLength(termLength)} bytes): ${(e as Error).message}`);
    }
    let publication: IpcPublication;
    try {
      const metaOffset = initLogMetadata(logFile, {
        registrationId: correlationId,
        sessionId,
        streamId,
        initialTermId,
        termLength,
        mtu,
        termWindowLength: window,
        lingerNs: params.lingerNs ?? this.ctx.publicationLingerTimeoutNs,
        untetheredWindowLimitTimeoutNs: this.ctx.untetheredWindowLimitTimeoutNs,
        untetheredRestingTimeoutNs: this.ctx.untetheredRestingTimeoutNs,
        sparse: this.ctx.termBufferSparseFile,
      });
      const pubPos = allocatePublisherPosition(this.counters, correlationId, sessionId, streamId, channel);
      let pubLmt: number;
      try {
        pubLmt = allocatePublisherLimit(this.counters, correlationId, sessionId, streamId, channel, clientId);
      } catch (e) {
        this.counters.free(pubPos);
        throw e;
      }
      publication = new IpcPublication(
        {
          registrationId: correlationId,
          sessionId,
          streamId,
          channel,
          isExclusive: exclusive,
          logFile,
          logFileName,
          metaOffset,
          initialTermId,
          termLength,
          mtu,
          termWindowLength: window,
          publisherPositionId: pubPos,
          publisherLimitId: pubLmt,
          unblockTimeoutNs: this.ctx.publicationUnblockTimeoutNs,
          lingerTimeoutNs: params.lingerNs ?? this.ctx.publicationLingerTimeoutNs,
          untetheredWindowLimitTimeoutNs: this.ctx.untetheredWindowLimitTimeoutNs,
          untetheredRestingTimeoutNs: this.ctx.untetheredRestingTimeoutNs,
          nowNs: this.ctx.nanoClock(),
        },
        this.counters,
      );
    } catch (e) {
      logFile.close();
      tryUnlink(logFileName);
      if (e instanceof CountersFullError) throw new ControlProtocolError(ErrorCode.GENERIC_ERROR, e.message);
      throw e;
    }
    this.publications.push(publication);
    client.publicationLinks.push({ registrationId: correlationId, publication });
    this.clientProxy.onPublicationReady(exclusive, correlationId, correlationId, sessionId, streamId, publication.publisherLimitId, logFileName);
    for (const sub of this.subscriptions) {
      if (matches(sub, publication)) this.linkSubscriber(publication, sub);
    }
  }

  onRemovePublication(clientId: number, correlationId: number, registrationId: number): void {
    const client = this.clients.get(clientId);
    const links = client?.publicationLinks;
    let index = links ? links.findIndex((l) => l.registrationId === registrationId) : -1;
    if (index < 0 && links) index = links.findIndex((l) => l.publication.registrationId === registrationId);
    if (client === undefined || index < 0) {
      throw new ControlProtocolError(ErrorCode.UNKNOWN_PUBLICATION, `unknown publication registration id ${registrationId} for client ${clientId}`);
    }
    const [link] = client.publicationLinks.splice(index, 1);
    link!.publication.decRef(this.ctx.nanoClock());
    this.clientProxy.onOperationSuccess(correlationId);
  }

  onAddSubscription(clientId: number, correlationId: number, streamId: number, channel: string): void {
    const params = parseIpcChannel(channel);
    const client = this.getOrAddClient(clientId);
    const link: SubscriptionLink = {
      registrationId: correlationId,
      clientId,
      streamId,
      channel,
      sessionId: params.sessionId,
      isTether: params.tether,
    };
    this.subscriptions.push(link);
    client.subscriptions.push(link);
    this.clientProxy.onSubscriptionReady(correlationId);
    for (const p of this.publications) {
      if (matches(link, p) && p.isAcceptingSubscriptions()) this.linkSubscriber(p, link);
    }
  }

  onRemoveSubscription(clientId: number, correlationId: number, registrationId: number): void {
    const client = this.clients.get(clientId);
    const index = client ? client.subscriptions.findIndex((s) => s.registrationId === registrationId) : -1;
    if (client === undefined || index < 0) {
      throw new ControlProtocolError(ErrorCode.UNKNOWN_SUBSCRIPTION, `unknown subscription registration id ${registrationId} for client ${clientId}`);
    }
    const [link] = client.subscriptions.splice(index, 1);
    this.unlinkSubscription(link!);
    this.clientProxy.onOperationSuccess(correlationId);
  }

  onClientKeepalive(clientId: number): void {
    const client = this.getOrAddClient(clientId);
    this.counters.setCounterValue(client.heartbeatCounterId, this.ctx.epochClockMs());
  }

  onClientClose(clientId: number): void {
    const client = this.clients.get(clientId);
    if (client === undefined) return;
    client.closedByCommand = true;
    // Expires at the next liveness check, which releases everything in one place.
    this.counters.setCounterValue(client.heartbeatCounterId, 0);
  }

  onAddCounter(clientId: number, correlationId: number, typeId: number, key: Uint8Array, label: string): void {
    const client = this.getOrAddClient(clientId);
    const counterId = this.allocateOrFail(typeId, label, key);
    this.counters.setCounterRegistrationId(counterId, correlationId);
    this.counters.setCounterOwnerId(counterId, clientId);
    client.counters.set(correlationId, counterId);
    this.clientProxy.onCounterReady(correlationId, counterId);
  }

  onAddStaticCounter(clientId: number, correlationId: number, registrationId: number, typeId: number, key: Uint8Array, label: string): void {
    this.getOrAddClient(clientId);
    const staticKey = `${typeId}:${registrationId}`;
    let counterId = this.staticCounters.get(staticKey);
    if (counterId === undefined) {
      counterId = this.allocateOrFail(typeId, label, key);
      this.counters.setCounterRegistrationId(counterId, registrationId);
      this.counters.setCounterOwnerId(counterId, -1);
      this.staticCounters.set(staticKey, counterId);
    }
    // ON_STATIC_COUNTER has the same layout as ON_COUNTER_READY with its own type id.
    this.clientProxy.onStaticCounter(correlationId, counterId);
  }

  onRemoveCounter(clientId: number, correlationId: number, registrationId: number): void {
    const client = this.clients.get(clientId);
    const counterId = client?.counters.get(registrationId);
    if (client === undefined || counterId === undefined) {
      throw new ControlProtocolError(ErrorCode.UNKNOWN_COUNTER, `unknown counter registration id ${registrationId} for client ${clientId}`);
    }
    client.counters.delete(registrationId);
    this.clientProxy.onOperationSuccess(correlationId);
    this.clientProxy.onUnavailableCounter(registrationId, counterId);
    this.counters.free(counterId);
  }

  onTerminateDriver(clientId: number, token: Uint8Array): void {
    if (this.ctx.terminationValidator === 'allow') {
      this.log('info', 'termination requested by a client', { clientId, tokenLength: token.length });
      this.terminationRequested = true;
    } else {
      this.log('warn', 'termination request ignored (termination validator is deny)', { clientId });
    }
  }

  onCommandError(correlationId: number, code: number, message: string, error: unknown): void {
    this.recordError(error);
    this.clientProxy.onError(correlationId, code, message);
  }

  onIgnoredCommand(description: string): void {
    this.recordError(new Error(description));
  }

  // ---------------------------------------------------------------------------------------------- publication events

  onSubscriberUnavailable(publication: IpcPublication, subscriber: SubscriberPosition): void {
    this.clientProxy.onUnavailableImage(publication.registrationId, subscriber.subscriptionRegistrationId, publication.streamId, subscriber.channel);
  }

  onSubscriberRejoined(publication: IpcPublication, subscriber: SubscriberPosition, _joinPosition: number): void {
    this.clientProxy.onAvailableImage(
      publication.registrationId, publication.sessionId, publication.streamId, subscriber.subscriptionRegistrationId,
      subscriber.counterId, publication.logFileName, IPC_CHANNEL_PREFIX,
    );
  }

  onUnblocked(publication: IpcPublication): void {
    this.systemCounters.increment(SystemCounterId.UNBLOCKED_PUBLICATIONS);
    this.log('warn', 'unblocked a publication (a publisher died mid-claim)', { registrationId: publication.registrationId, streamId: publication.streamId });
  }

  // ---------------------------------------------------------------------------------------------- internals

  private getOrAddClient(clientId: number): AeronClient {
    let client = this.clients.get(clientId);
    if (client === undefined) {
      const heartbeatCounterId = allocateClientHeartbeat(this.counters, clientId, this.ctx.epochClockMs());
      client = { clientId, heartbeatCounterId, closedByCommand: false, publicationLinks: [], subscriptions: [], counters: new Map() };
      this.clients.set(clientId, client);
      this.clientProxy.onCounterReady(clientId, heartbeatCounterId);
    }
    return client;
  }

  private allocateOrFail(typeId: number, label: string, key: Uint8Array): number {
    try {
      return this.counters.allocate(typeId, label, key);
    } catch (e) {
      if (e instanceof CountersFullError) throw new ControlProtocolError(ErrorCode.GENERIC_ERROR, e.message);
      throw e;
    }
  }

  private chooseSessionId(streamId: number, requested: number | undefined): number {
    const inUse = (id: number): boolean =>
      this.publications.some((p) => p.streamId === streamId && p.sessionId === id && p.state !== PublicationState.DONE);
    if (requested !== undefined) {
      if (inUse(requested)) {
        throw new ControlProtocolError(ErrorCode.GENERIC_ERROR, `session-id ${requested} is already in use on stream ${streamId}`);
      }
      return requested;
    }
    for (;;) {
      const id = this.nextSessionId;
      this.nextSessionId = (this.nextSessionId + 1) | 0;
      if (id >= RESERVED_SESSION_ID_LOW && id <= RESERVED_SESSION_ID_HIGH) continue;
      if (!inUse(id)) return id;
    }
  }

  private linkSubscriber(publication: IpcPublication, link: SubscriptionLink): void {
    const join = publication.joinPosition();
    let counterId: number;
    try {
      counterId = allocateSubscriberPosition(
        this.counters, link.registrationId, publication.sessionId, publication.streamId, link.channel, join, link.clientId, publication.registrationId,
      );
    } catch (e) {
      this.recordError(e);
      return;
    }
    publication.addSubscriber(
      {
        subscriptionRegistrationId: link.registrationId,
        clientId: link.clientId,
        counterId,
        isTether: link.isTether,
        channel: link.channel,
        state: TetherState.ACTIVE,
        timeOfLastUpdateNs: this.ctx.nanoClock(),
      },
      join,
    );
    this.clientProxy.onAvailableImage(
      publication.registrationId, publication.sessionId, publication.streamId, link.registrationId, counterId, publication.logFileName, IPC_CHANNEL_PREFIX,
    );
  }

  private unlinkSubscription(link: SubscriptionLink): void {
    const index = this.subscriptions.indexOf(link);
    if (index >= 0) this.subscriptions.splice(index, 1);
    for (const p of this.publications) {
      for (const s of p.subscribers) {
        if (s.subscriptionRegistrationId === link.registrationId) {
          p.removeSubscriber(s.counterId);
          this.counters.free(s.counterId);
          break;
        }
      }
    }
  }

  private freePublication(p: IpcPublication): void {
    for (const s of [...p.subscribers]) {
      p.removeSubscriber(s.counterId);
      this.counters.free(s.counterId);
    }
    this.counters.free(p.publisherLimitId);
    this.counters.free(p.publisherPositionId);
    p.logFile.close();
    tryUnlink(p.logFileName);
    this.log('info', 'publication released', { registrationId: p.registrationId, streamId: p.streamId, sessionId: p.sessionId });
  }

  recordError(error: unknown): void {
    this.systemCounters.increment(SystemCounterId.ERRORS);
    this.errorLog.record(error);
    this.log('error', error instanceof Error ? error.message : String(error));
  }
}

function matches(link: SubscriptionLink, p: IpcPublication): boolean {
  return link.streamId === p.streamId && (link.sessionId === undefined || link.sessionId === p.sessionId);
}

function tryUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
