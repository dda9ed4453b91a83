/** Single-threaded mode: the core runs on the I/O thread and answers synchronously through the router. */
import { MatchingCore, type CoreLimits, type Encoding } from '@mm/matching';
import type { Matcher } from './Matcher.js';
import type { OutputRouter } from './OutputRouter.js';

export class DirectMatcher implements Matcher {
  readonly core: MatchingCore;
  readonly inFlight = 0;
  submitted = 0;

  /** Answers are synchronous: every message submitted is complete. */
  get completed(): number {
    return this.submitted;
  }

  constructor(
    limits: CoreLimits,
    private readonly router: OutputRouter,
  ) {
    this.core = new MatchingCore(limits, router);
  }

  /** Counts a message and sets the client's reply encoding before the core answers it. */
  private submit(clientId: number, encoding: Encoding): void {
    this.submitted++;
    const ch = this.router.get(clientId);
    if (ch !== undefined && ch.encoding !== encoding) ch.setEncoding(encoding);
  }

  newOrder(clientId: number, encoding: Encoding, userId: number, userOrderId: number, symHi: number, symLo: number, price: number, qty: number, side: number): void {
    this.submit(clientId, encoding);
    this.core.newOrder(clientId, userId, userOrderId, symHi, symLo, price, qty, side);
  }

  cancel(clientId: number, encoding: Encoding, userId: number, userOrderId: number, symHi: number, symLo: number, hasSymbol: boolean, userVerified: boolean): void {
    this.submit(clientId, encoding);
    this.core.cancel(clientId, userId, userOrderId, symHi, symLo, hasSymbol, userVerified);
  }

  flush(clientId: number, encoding: Encoding): void {
    this.submit(clientId, encoding);
    this.core.flush(clientId);
  }

  reject(clientId: number, encoding: Encoding, symHi: number, symLo: number, userId: number, userOrderId: number, reason: number): void {
    this.submit(clientId, encoding);
    this.core.reject(clientId, symHi, symLo, userId, userOrderId, reason);
  }

  cancelClientOrders(clientId: number): void {
    this.core.cancelClientOrders(clientId);
  }

  poll(): number {
    return 0;
  }

  outputReady(): Promise<unknown> | null {
    return null;
  }

  async close(): Promise<void> {}
}
