/**
 * The TCP gateway's pacing against a matcher whose answers come late (threaded mode with lagging workers), made
 * deterministic: a held matcher answers only when the test releases it. Real sockets on loopback.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Encoding } from '@mm/matching';
import { waitFor } from '@mm/test-support';
import { EngineCounters } from '../src/EngineCounters.js';
import { EngineSession } from '../src/EngineSession.js';
import type { Matcher } from '../src/Matcher.js';
import { silentLogger } from '../src/Logger.js';
import { OutputRouter } from '../src/OutputRouter.js';
import { HOLDABLE_ANSWER_BYTES, TcpGateway } from '../src/TcpGateway.js';
import { TcpClient, frame } from './support/clients.js';

/** Answers every message with a reject (7 for a flush, else 1), but only when released. */
class HeldMatcher implements Matcher {
  private readonly clients: number[] = [];
  private readonly reasons: number[] = [];
  submitted = 0;
  completed = 0;

  constructor(private readonly router: OutputRouter) {}

  get inFlight(): number {
    return this.submitted - this.completed;
  }

  private hold(clientId: number, reason: number): void {
    this.clients.push(clientId);
    this.reasons.push(reason);
    this.submitted++;
  }

  newOrder(clientId: number): void {
    this.hold(clientId, 1);
  }
  cancel(clientId: number): void {
    this.hold(clientId, 1);
  }
  flush(clientId: number): void {
    this.hold(clientId, 7);
  }
  reject(clientId: number, _e: Encoding, _h: number, _l: number, _u: number, _o: number, reason: number): void {
    this.hold(clientId, reason);
  }
  cancelClientOrders(): void {}

  /** Answers the oldest `n` held messages (as the workers would, in order). */
  release(n: number): void {
    const end = Math.min(this.completed + n, this.submitted);
    for (; this.completed < end; this.completed++) this.router.onReject(this.clients[this.completed]!, 0, 0, 0, 0, this.reasons[this.completed]!);
  }

  poll(): number {
    return 0;
  }
  outputReady(): null {
    return null;
  }
  async close(): Promise<void> {}
}

const MAX_FRAME = 4096;
const open: { gateway: TcpGateway; clients: TcpClient[] }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    for (const c of o.clients) c.close();
    await o.gateway.close();
  }
});

async function start(maxOutputBufferBytes: number): Promise<{ gateway: TcpGateway; matcher: HeldMatcher; router: OutputRouter; counters: EngineCounters; port: number; clients: TcpClient[] }> {
  const counters = new EngineCounters();
  const router = new OutputRouter(counters);
  const matcher = new HeldMatcher(router);
  const session = new EngineSession(matcher, counters, { userBinding: false, flushAllowedFrom: new Set(['10.9.9.9']) });
  let id = 1;
  const gateway = new TcpGateway(
    { host: '127.0.0.1', port: 0, maxClients: 8, maxFrameBytes: MAX_FRAME, idleTimeoutMs: 0, maxOutputBufferBytes, messagesPerSecond: 0, burst: 0, cancelOnDisconnect: false },
    session, router, counters,
    { nextClientId: () => id++, afterInput: () => {}, clientGone: () => {}, progress: matcher },
    silentLogger,
  );
  const port = await gateway.listen();
  const clients: TcpClient[] = [];
  open.push({ gateway, clients });
  return { gateway, matcher, router, counters, port, clients };
}

describe('TCP gateway pacing against late answers', () => {
  it('reads a client only a bounded number of messages ahead of its checked output, so a late reader is paused, never dropped', async () => {
    const MAX_OUTPUT = 1 << 20;
    const { gateway, matcher, router, counters, port, clients } = await start(MAX_OUTPUT);
    const flooder = await TcpClient.connect(port);
    clients.push(flooder);
    flooder.socket.pause();
    // 1.2 M flushes of 2 bytes (2.4 MB of input), each answered by a 16-byte reject frame (19 MB of output, far more
    // than the kernel's socket buffers):
    // what the gateway reads before answers come back must stay within two reads.
    const FLOOD = 1_200_000;
    const one = frame('F\n'.repeat(1200));
    flooder.sendRaw(Buffer.concat(Array.from({ length: FLOOD / 1200 }, () => one)));
    await waitFor(() => counters.tcpAnswerPauses >= 1, { what: 'the gateway pausing the client for answers', timeoutMs: 10_000 });
    // The budget: MAX_OUTPUT / 2 of room for answers of HOLDABLE_ANSWER_BYTES each, less a frame's worth; checked
    // after the frame that reaches it (frames of 1200 messages here).
    const budget = MAX_OUTPUT / 2 / HOLDABLE_ANSWER_BYTES - MAX_FRAME / 2;
    expect(matcher.submitted).toBe(Math.ceil(budget / 1200) * 1200);

    // Answers come back in slices, as the workers deliver; the client still reads nothing.
    const deliver = (): void => {
      matcher.release(4096);
      router.flushAll();
      gateway.outputDelivered();
    };
    let slices = 0;
    while (counters.tcpOutputPauses === 0 && slices++ < 10_000) {
      deliver();
      await new Promise<void>((r) => setImmediate(r));
    }
    expect(counters.tcpOutputPauses, 'the client paused for its unread output').toBe(1);
    expect(counters.tcpDisconnectSlow).toBe(0);

    // The client reads at last: everything is answered, in order, and it was never dropped.
    flooder.socket.resume();
    while (flooder.lines.length < FLOOD) {
      deliver();
      await waitFor(() => matcher.inFlight > 0 || flooder.lines.length >= FLOOD || flooder.closed, { what: 'more input read or all answers', timeoutMs: 10_000 });
    }
    expect(flooder.closed).toBe(false);
    expect(counters.tcpDisconnectSlow).toBe(0);
    expect(flooder.lines.length).toBe(FLOOD);
    expect(flooder.lines.every((l) => l === 'R, , 0, 0, 7')).toBe(true);
    expect(counters.tcpAnswerPauses).toBeGreaterThan(1);
  });
});
