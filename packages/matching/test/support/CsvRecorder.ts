import { CsvEncoder } from '../../src/CsvEncoder.js';
import type { MatchListener } from '../../src/MatchListener.js';

/** Records every core event as the CSV line the engine would send, with its recipients. */
export class CsvRecorder implements MatchListener {
  readonly lines: string[] = [];
  readonly recipients: number[][] = [];
  /** Aggressor side byte of each trade, in order. */
  readonly aggressors: number[] = [];
  releases = 0;
  private readonly enc = new CsvEncoder();
  private readonly buf = new Uint8Array(256);
  private readonly dec = new TextDecoder();

  private push(n: number, to: number[]): void {
    this.lines.push(this.dec.decode(this.buf.subarray(0, n - 1)));
    this.recipients.push(to);
  }
  onAck(c: number, hi: number, lo: number, u: number, o: number): void {
    this.push(this.enc.ack(this.buf, 0, hi, lo, u, o), [c]);
  }
  onCancelAck(c: number, owner: number, hi: number, lo: number, u: number, o: number): void {
    this.push(this.enc.cancelAck(this.buf, 0, hi, lo, u, o), c === owner ? [c] : [c, owner]);
  }
  onTrade(hi: number, lo: number, bc: number, bu: number, bo: number, sc: number, su: number, so: number, p: number, q: number, aggressor: number): void {
    this.aggressors.push(aggressor);
    this.push(this.enc.trade(this.buf, 0, hi, lo, bu, bo, su, so, p, q), bc === sc ? [bc] : [bc, sc]);
  }
  onTopOfBook(c: number, hi: number, lo: number, side: number, p: number, q: number): void {
    this.push(this.enc.topOfBook(this.buf, 0, hi, lo, side, p, q), [c]);
  }
  onReject(c: number, hi: number, lo: number, u: number, o: number, r: number): void {
    this.push(this.enc.reject(this.buf, 0, hi, lo, u, o, r), [c]);
  }
  onSweepBook(): void {}
  onRelease(): void {
    this.releases++;
  }
  take(): string[] {
    const out = this.lines.splice(0);
    this.recipients.length = 0;
    return out;
  }
}
