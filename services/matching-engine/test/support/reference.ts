import { CsvEncoder, DEFAULT_CORE_LIMITS, InboundMessage, MatchingCore, applyMessage, decodeMessage, type MatchListener } from '@mm/matching';

/** Runs CSV lines through an in-process core (one client) and returns the CSV output lines per input line. */
export function referenceOutput(lines: string[]): string[][] {
  const enc = new CsvEncoder();
  const buf = new Uint8Array(256);
  const dec = new TextDecoder();
  let cur: string[] = [];
  const push = (n: number): void => {
    cur.push(dec.decode(buf.subarray(0, n - 1)));
  };
  const l: MatchListener = {
    onAck: (_c, h, lo, u, o) => push(enc.ack(buf, 0, h, lo, u, o)),
    onCancelAck: (_c, _w, h, lo, u, o) => push(enc.cancelAck(buf, 0, h, lo, u, o)),
    onTrade: (h, lo, _bc, bu, bo, _sc, su, so, p, q) => push(enc.trade(buf, 0, h, lo, bu, bo, su, so, p, q)),
    onTopOfBook: (_c, h, lo, s, p, q) => push(enc.topOfBook(buf, 0, h, lo, s, p, q)),
    onReject: (_c, h, lo, u, o, r) => push(enc.reject(buf, 0, h, lo, u, o, r)),
    onSweepBook: () => {},
    onRelease: () => {},
  };
  const core = new MatchingCore({ ...DEFAULT_CORE_LIMITS, maxOrders: 4096, maxBooks: 64, maxLevelsPerBook: 256 }, l);
  const m = new InboundMessage();
  const te = new TextEncoder();
  const out: string[][] = [];
  for (const line of lines) {
    cur = [];
    const b = te.encode(line);
    applyMessage(core, 1, decodeMessage(b, 0, b.length, m), m);
    out.push(cur);
  }
  return out;
}
