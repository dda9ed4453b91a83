/**
 * TCP transport: every message in both directions is a frame (4-byte big-endian length + payload).
 * Per connection a small state machine reads the header, then the payload; a payload wholly inside one chunk is
 * handled in place, one that spans chunks is assembled in a per-connection buffer of maxFrameBytes.
 * A client is disconnected, without affecting others, for: a frame of length 0 or above maxFrameBytes, a
 * malformed message, more than maxOutputBufferBytes of unread output (slow), or no input for idleTimeoutMs.
 * Connections beyond maxClients are closed at once.
 *
 * Flow control (so a flooding client is treated by rule, not by timing): a client's input is not read while its
 * unread output is at or above half of maxOutputBufferBytes; reading resumes when its output has drained. A client
 * that writes faster than it reads its answers is therefore slowed down by TCP backpressure and never disconnected
 * for it; only output that pausing cannot hold back (trades against its resting orders, cancel acks of other
 * clients' flushes, answers to input already read, at most one read of 64 KiB plus what is in flight) can take it
 * over the limit (slow). A client that never reads stays paused (idleTimeoutMs, if set, ends it). A client over its
 * rate limit is paused too (until its bucket has refilled); reading resumes only when no pause holds.
 *
 * The output check happens when output is handed to the socket, so input read before it is bounded too: a client
 * may have at most `uncheckedBudget` messages whose output has not been checked (room for their ordinary answers,
 * HOLDABLE_ANSWER_BYTES each, in the other half of the limit, less one frame's worth). At the budget, after the
 * frame that reached it, the gateway hands the
 * output over (the check); if the answers are not back yet (threaded mode, workers lagging) the client is not read
 * until they are (paused for answers). Without this, lagging workers let a client's input run any number of reads
 * ahead of the first check.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { EngineCounters } from './EngineCounters.js';
import type { EngineSession } from './EngineSession.js';
import { handlePayload } from './handlePayload.js';
import type { Logger } from './Logger.js';
import type { OutputRouter } from './OutputRouter.js';
import { TcpChannel } from './TcpChannel.js';
import { TokenBucket } from './TokenBucket.js';
import { UncheckedInput } from './UncheckedInput.js';

/**
 * Output one message can cause that pausing its sender holds back: an ack or reject and a top of book, or two
 * cancel acks, framed, in either encoding (trades are not held back and not counted).
 */
export const HOLDABLE_ANSWER_BYTES = 128;

export interface TcpGatewayOptions {
  host: string;
  port: number;
  maxClients: number;
  maxFrameBytes: number;
  idleTimeoutMs: number;
  maxOutputBufferBytes: number;
  messagesPerSecond: number;
  burst: number;
  cancelOnDisconnect: boolean;
}

export interface GatewayHooks {
  nextClientId(): number;
  /** After a batch of input: deliver output (single-threaded: flush; threaded: pump the workers). */
  afterInput(): void;
  clientGone(clientId: number, cancelOrders: boolean): void;
  /** Counts of messages submitted to and answered by the matcher so far (see `outputDelivered`). */
  readonly progress: { readonly submitted: number; readonly completed: number };
}

class TcpConnection {
  readonly header = Buffer.alloc(4);
  headerHave = 0;
  /** Payload length being read, or -1 while reading a header. */
  need = -1;
  assembly: Buffer | null = null;
  have = 0;
  /** Unread input of a paused client (starts where parsing stopped). */
  leftover: Buffer | null = null;
  /** Over its rate limit: not read until its bucket has refilled. */
  floodPaused = false;
  outputPauses = 0;
  /** Its unread output is at the high-water mark: not read until the output drains. */
  outputPaused = false;
  /** Its unchecked input is at the budget: not read until enough of its answers have been delivered. */
  answerPaused = false;
  readonly input = new UncheckedInput();

  constructor(
    readonly ch: TcpChannel,
    readonly bucket: TokenBucket | null,
  ) {}
}

export class TcpGateway {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  /** Matcher messages whose output has been handed to the sockets (and so checked), as of the last delivery. */
  private checked = 0;
  private readonly uncheckedBudget: number;
  /** Connections paused for answers. */
  private waiting: TcpConnection[] = [];
  private spare: TcpConnection[] = [];
  private resumeScheduled = false;

  constructor(
    private readonly opts: TcpGatewayOptions,
    private readonly session: EngineSession,
    private readonly router: OutputRouter,
    private readonly counters: EngineCounters,
    private readonly hooks: GatewayHooks,
    private readonly log: Logger,
  ) {
    this.server = createServer({ noDelay: true }, (s) => this.accept(s));
    // Checked after the frame that reaches it, so a frame's worth of messages (2 bytes each at least) is kept spare.
    this.uncheckedBudget = Math.max(1, Math.floor(opts.maxOutputBufferBytes / 2 / HOLDABLE_ANSWER_BYTES) - (opts.maxFrameBytes >>> 1));
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port, this.opts.host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  get connectionCount(): number {
    return this.sockets.size;
  }

  private accept(socket: Socket): void {
    if (this.sockets.size >= this.opts.maxClients) {
      this.counters.tcpRefusedMaxClients++;
      socket.destroy();
      return;
    }
    this.counters.tcpAccepted++;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const id = this.hooks.nextClientId();
    const ch = new TcpChannel(
      id, socket.remoteAddress ?? '', socket, this.opts.maxOutputBufferBytes,
      (c) => {
        this.counters.tcpDisconnectSlow++;
        this.drop(c.socket, 'slow client: output not read');
      },
      () => this.pauseForOutput(conn),
    );
    const bucket = this.opts.messagesPerSecond > 0 ? new TokenBucket(this.opts.messagesPerSecond, this.opts.burst, performance.now()) : null;
    const conn = new TcpConnection(ch, bucket);
    this.router.add(ch);
    if (this.opts.idleTimeoutMs > 0) {
      socket.setTimeout(this.opts.idleTimeoutMs, () => {
        this.counters.tcpDisconnectIdle++;
        this.drop(socket, 'idle timeout');
      });
    }
    socket.on('data', (chunk: Buffer) => this.onData(conn, chunk));
    socket.on('error', () => {
      // Reset by peer and the like: 'close' follows and does the cleanup.
    });
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.router.remove(id);
      this.hooks.clientGone(id, this.opts.cancelOnDisconnect);
    });
  }

  private drop(socket: Socket, reason: string): void {
    if (socket.destroyed) return;
    this.log.warn('disconnecting client', { reason, remote: `${socket.remoteAddress}:${socket.remotePort}` });
    socket.destroy();
  }

  private onData(conn: TcpConnection, chunk: Buffer): void {
    if (conn.ch.closed || conn.ch.socket.destroyed) return;
    if (conn.floodPaused || conn.outputPaused || conn.answerPaused) {
      // Data that was already on its way when the client was paused waits behind the leftover, in order.
      conn.leftover = conn.leftover === null ? chunk : Buffer.concat([conn.leftover, chunk]);
      return;
    }
    const progress = this.hooks.progress;
    const input = conn.input;
    let submitted = progress.submitted;
    const now = performance.now();
    const max = this.opts.maxFrameBytes;
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (conn.need < 0) {
        let len: number;
        if (conn.headerHave === 0 && n - i >= 4) {
          len = chunk.readUInt32BE(i);
          i += 4;
        } else {
          while (conn.headerHave < 4 && i < n) conn.header[conn.headerHave++] = chunk[i++];
          if (conn.headerHave < 4) break;
          conn.headerHave = 0;
          len = conn.header.readUInt32BE(0);
        }
        if (len === 0 || len > max) {
          this.counters.tcpDisconnectOversizedFrame++;
          this.drop(conn.ch.socket, len === 0 ? 'empty frame' : `frame of ${len} bytes exceeds max-frame-bytes ${max}`);
          break;
        }
        conn.need = len;
        conn.have = 0;
      }
      const avail = n - i;
      let ok: boolean;
      if (conn.have === 0 && avail >= conn.need) {
        ok = handlePayload(this.session, conn.ch, conn.bucket, now, chunk, i, conn.need, true);
        i += conn.need;
        conn.need = -1;
      } else {
        if (conn.assembly === null) conn.assembly = Buffer.allocUnsafe(max);
        const take = Math.min(avail, conn.need - conn.have);
        chunk.copy(conn.assembly, conn.have, i, i + take);
        conn.have += take;
        i += take;
        if (conn.have < conn.need) break;
        ok = handlePayload(this.session, conn.ch, conn.bucket, now, conn.assembly, 0, conn.need, true);
        conn.need = -1;
        conn.have = 0;
      }
      if (!ok) {
        this.counters.tcpDisconnectMalformed++;
        this.hooks.afterInput();
        this.drop(conn.ch.socket, `malformed message: ${this.session.lastError}`);
        return;
      }
      // A client still over its rate after a whole burst of refusals is not read again until its bucket has
      // refilled: TCP backpressure then bounds the work it can cost others per turn (every message read still
      // gets its reject 8, in order, when reading resumes).
      const bucket = conn.bucket;
      if (bucket !== null && conn.need < 0 && bucket.refusedInARow > this.opts.burst) {
        if (i < n) conn.leftover = chunk.subarray(i);
        this.pauseFlooder(conn, bucket.refillMs);
        break;
      }
      input.sent += progress.submitted - submitted;
      submitted = progress.submitted;
      if (input.unchecked(this.checked) >= this.uncheckedBudget) {
        // Check the output now rather than after the whole read.
        input.mark(submitted);
        this.hooks.afterInput();
        if (conn.ch.socket.destroyed) return;
        if (conn.outputPaused || input.unchecked(this.checked) >= this.uncheckedBudget) {
          if (i < n) conn.leftover = chunk.subarray(i);
          if (!conn.outputPaused) this.pauseForAnswers(conn);
          return;
        }
      }
    }
    input.sent += progress.submitted - submitted;
    input.mark(progress.submitted);
    this.hooks.afterInput();
  }

  /**
   * Called once the matcher's answered output has been handed to the sockets (so checked against the limits):
   * clients paused for answers are read again (after this turn, not from inside another client's input) once
   * at most half their budget is unchecked.
   */
  outputDelivered(): void {
    this.checked = this.hooks.progress.completed;
    if (this.waiting.length === 0 || this.resumeScheduled) return;
    this.resumeScheduled = true;
    setImmediate(this.resumeAnswered);
  }

  private readonly resumeAnswered = (): void => {
    this.resumeScheduled = false;
    // Swap lists: resuming a client handles its input, which may pause it again.
    const list = this.waiting;
    this.waiting = this.spare;
    this.spare = list;
    const half = this.uncheckedBudget >>> 1;
    for (let i = 0; i < list.length; i++) {
      const conn = list[i];
      if (conn.ch.socket.destroyed) continue;
      if (conn.input.unchecked(this.checked) > half) this.waiting.push(conn);
      else {
        conn.answerPaused = false;
        this.resumeReading(conn);
      }
    }
    list.length = 0;
  };

  private pauseForAnswers(conn: TcpConnection): void {
    conn.answerPaused = true;
    conn.ch.socket.pause();
    this.counters.tcpAnswerPauses++;
    this.waiting.push(conn);
  }

  private pauseFlooder(conn: TcpConnection, ms: number): void {
    conn.floodPaused = true;
    conn.ch.socket.pause();
    this.counters.tcpFloodPauses++;
    setTimeout(() => {
      conn.floodPaused = false;
      this.resumeReading(conn);
    }, ms).unref();
  }

  private pauseForOutput(conn: TcpConnection): void {
    if (conn.outputPaused) return;
    const socket = conn.ch.socket;
    conn.outputPaused = true;
    socket.pause();
    this.counters.tcpOutputPauses++;
    if (conn.outputPauses++ === 0) {
      this.log.info('client input paused until it reads its output', { remote: `${socket.remoteAddress}:${socket.remotePort}`, unreadBytes: socket.writableLength });
    }
    socket.once('drain', () => {
      conn.outputPaused = false;
      this.resumeReading(conn);
    });
  }

  /** Handles input held back by a pause, then reads the socket again unless a pause still holds. */
  private resumeReading(conn: TcpConnection): void {
    const socket = conn.ch.socket;
    if (socket.destroyed || conn.floodPaused || conn.outputPaused || conn.answerPaused) return;
    const rest = conn.leftover;
    conn.leftover = null;
    if (rest !== null) this.onData(conn, rest);
    if (!conn.floodPaused && !conn.outputPaused && !conn.answerPaused) socket.resume();
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
