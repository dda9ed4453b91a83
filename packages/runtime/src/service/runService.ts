import { c, loadConfigOrExit, type InferShape, type Shape } from '@mm/config';
import { createLogger, installExitHandlers, loggingSchema, type Logger } from '@mm/logging';
import { setThreadScheduling } from '@mm/agrona';
import { ServiceState } from '@mm/protocol';
import { CompositeAgent, type Agent } from '../Agent.js';
import { AgentRunner, type ParkWaiter } from '../AgentRunner.js';
import { SystemClock, type Clock } from '../Clock.js';
import type { Transport } from '../Transport.js';
import {
  HEARTBEAT_COUNTER_TYPE_ID,
  STATE_COUNTER_TYPE_ID,
  healthCounterKey,
  heartbeatCounterLabel,
  stateCounterLabel,
} from './HealthCounters.js';
import { runtimeSectionWith, type IdleDefaults, type RuntimeSettings } from './RuntimeSection.js';
import { ServiceStatus, type CounterHandle } from './ServiceStatus.js';
import { loadStreams, type Streams } from './Streams.js';

/**
 * The life cycle every service process shares, so each service's main.ts is only its wiring:
 * 1. configuration (`config/<name>.toml` + `[runtime]` + `[logging]`, and `config/streams.toml`): invalid → exit 78;
 * 2. logger (stdout + hourly files), exit handlers (signals → orderly shutdown within a bound; crashes → logged, exit 1);
 * 3. transport (Aeron by default), health counters, state (11) and heartbeat (12) publications;
 * 4. the service's agent, run with the Aeron conductor and the status in one duty cycle, so no busy service can
 *    starve its client heartbeat;
 * 5. driver loss → logged, exit 1 for the supervisor to restart (no in-process reconnection, by decision).
 */
export interface ServiceContext<C> {
  /** Log and compose name, e.g. `mm_collector`. */
  readonly name: string;
  readonly config: C;
  readonly runtime: RuntimeSettings;
  readonly streams: Streams;
  readonly log: Logger;
  readonly clock: Clock;
  readonly transport: Transport;
  readonly status: ServiceStatus;
  /** Allocates a counter other processes can read (e.g. for `ServiceCounters`). */
  addCounter(typeId: number, key: Uint8Array, label: string): Promise<CounterHandle>;
}

export interface ServiceAgent extends Agent {
  /** Called on shutdown before the transport closes (e.g. pull quotes, flush a journal). */
  stop?(): Promise<void> | void;
}

export interface ServiceDefinition<S extends Shape> {
  readonly name: string;
  /** Config file stem and env prefix: `collector` → `config/collector.toml`, `MM_COLLECTOR__…`. */
  readonly configName: string;
  readonly schema: S;
  /**
   * This service's defaults for `[runtime.idle]`: `wait: 'doorbell'` only when Aeron is its sole input (the park
   * blocks the thread, so its sockets and timers would wait up to max-park-ms); 'timer' when absent.
   */
  readonly idle?: IdleDefaults;
  start(ctx: ServiceContext<InferShape<S>>): Promise<ServiceAgent>;
}

/** What a transport offers a service process: publish/subscribe plus counters other processes can read. */
export interface TransportConnection {
  readonly transport: Transport;
  /** Present when the transport can wake a parked runner (Aeron with the native futex). */
  readonly doorbell?: ParkWaiter;
  addCounter(typeId: number, key: Uint8Array, label: string): Promise<CounterHandle>;
}

export interface ConnectOptions {
  readonly runtime: RuntimeSettings;
  readonly clientName: string;
  readonly log: Logger;
  /** The transport is gone for good (driver timeout): the host logs it and exits non-zero. */
  readonly onFatal: (error: Error) => void;
}

export type Connector = (options: ConnectOptions) => Promise<TransportConnection>;

export interface RunServiceOptions {
  readonly connect: Connector;
  readonly clock?: Clock;
  readonly env?: NodeJS.ProcessEnv;
}

export async function runService<S extends Shape>(def: ServiceDefinition<S>, options: RunServiceOptions): Promise<void> {
  const env = options.env ?? process.env;
  const schema = c.object({ ...def.schema, runtime: runtimeSectionWith(def.idle), logging: loggingSchema });
  const all = loadConfigOrExit(def.configName, schema, { env });
  const streams = (() => {
    try {
      return loadStreams({ env });
    } catch (error) {
      process.stderr.write(`[${def.configName}] ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(78);
    }
  })();
  const runtime = all.runtime as RuntimeSettings;
  const logging = all.logging as { level: 'info'; retainFiles: number; bufferBytes: number };
  const clock = options.clock ?? new SystemClock();
  const log = createLogger({ service: def.name, level: logging.level, retainFiles: logging.retainFiles, env });

  let runner: AgentRunner | undefined;
  let agent: ServiceAgent | undefined;
  let status: ServiceStatus | undefined;
  let connection: TransportConnection | undefined;
  const shutdown = async (): Promise<void> => {
    status?.setState(ServiceState.STOPPING, 'shutdown requested');
    status?.doWork();
    await agent?.stop?.();
    await runner?.close();
    status?.close();
    await connection?.transport.close();
  };
  installExitHandlers(log, { onShutdown: shutdown, shutdownTimeoutMs: runtime.shutdownTimeoutMs });
  watchParent(env, log);

  const fatal = (error: Error): void => {
    log.fatal({ err: error }, `${def.name} cannot continue: ${error.message}`);
    void runner?.close();
    log.flushAndClose();
    process.exit(1);
  };

  log.info({ pid: process.pid, instanceId: runtime.instanceId, aeronDir: runtime.aeron.dir || undefined }, `${def.name} starting`);
  const { policy, priority } = runtime.scheduling;
  if (policy !== 'other') {
    try {
      setThreadScheduling(policy, priority);
      log.info({ policy, priority }, `scheduling policy ${policy} priority ${priority}`);
    } catch (error) {
      log.warn({ err: error, policy, priority }, `${(error as Error).message}: running under the default policy`);
    }
  }
  connection = await options.connect({ runtime, clientName: def.name, log, onFatal: fatal });
  const { transport } = connection;
  const pid = process.pid;
  const key = healthCounterKey(def.name, runtime.instanceId, pid);
  const [heartbeatCounter, stateCounter, statePub, heartbeatPub] = await Promise.all([
    connection.addCounter(HEARTBEAT_COUNTER_TYPE_ID, key, heartbeatCounterLabel(def.name, runtime.instanceId, pid)),
    connection.addCounter(STATE_COUNTER_TYPE_ID, key, stateCounterLabel(def.name, runtime.instanceId, pid)),
    transport.addExclusivePublication(streams.state.channel, streams.state.streamId),
    transport.addExclusivePublication(streams.heartbeat.channel, streams.heartbeat.streamId),
  ]);
  status = new ServiceStatus(def.name, runtime.instanceId, clock, statePub, heartbeatPub,
    runtime.heartbeatIntervalMs * 1e6, heartbeatCounter, stateCounter);

  const { logging: _l, runtime: _r, ...own } = all as Record<string, unknown>;
  const ctx: ServiceContext<InferShape<S>> = {
    name: def.name, config: own as InferShape<S>, runtime, streams, log, clock, transport, status,
    addCounter: (typeId, key, label) => connection!.addCounter(typeId, key, label),
  };
  agent = await def.start(ctx);
  const statusAgent: Agent = { roleName: 'status', doWork: () => status!.doWork() };
  const conductor: Agent = { roleName: 'transport', doWork: () => transport.doWork() };
  let lastErrorLog = 0;
  const doorbell = runtime.idle.wait === 'doorbell' ? connection.doorbell : undefined;
  if (runtime.idle.wait === 'doorbell' && !doorbell) log.warn({}, 'idle wait "doorbell" requested but the transport has none: parking on timers');
  runner = new AgentRunner(new CompositeAgent([conductor, agent, statusAgent]), {
    idle: runtime.idle,
    ...(doorbell ? { doorbell } : {}),
    onError: (error) => {
      status!.errors++;
      // A bug that throws per message must not flood the log: at most one line a second.
      const now = Date.now();
      if (now - lastErrorLog >= 1000) {
        lastErrorLog = now;
        log.error({ err: error, errors: status!.errors }, 'error in duty cycle (service keeps running)');
      }
    },
  }).start();
  log.info({ idleWait: doorbell ? 'doorbell' : 'timer', streams: Object.fromEntries(Object.entries(streams).map(([k, v]) => [k, `${v.streamId} ${v.channel}`])) }, `${def.name} running`);
}

/**
 * Under the local supervisor (which sets MM_PARENT_PID) a service whose supervisor died is reparented; it then
 * shuts down like on SIGTERM rather than run on as an orphan nobody will stop.
 */
function watchParent(env: NodeJS.ProcessEnv, log: Logger): void {
  const parent = Number(env.MM_PARENT_PID);
  if (!Number.isInteger(parent) || parent <= 0) return;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      log.warn({ parent, ppid: process.ppid }, 'supervisor is gone: shutting down');
      process.kill(process.pid, 'SIGTERM');
    }
  }, 1000);
  timer.unref();
}
