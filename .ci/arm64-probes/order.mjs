// Runs on the host: one TCP client with the engine guide's framing (4-byte big-endian length + payload) sends a
// buy and a crossing sell, and waits (deadline, no sleeps) for both acks and the trade. Exits 1 naming what was
// missing. Usage: node order.mjs <port> [timeoutMs]
import { connect } from 'node:net';

const port = Number(process.argv[2]);
const timeoutMs = Number(process.argv[3] ?? 30000);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`order: port ${process.argv[2]} is not a TCP port`);
  process.exit(2);
}
const expected = ['A, IBM, 1, 1', 'A, IBM, 2, 1', 'T, IBM, 1, 1, 2, 1, 10000, 50'];
const lines = [];
const frame = (text) => {
  const payload = Buffer.from(text);
  const f = Buffer.alloc(4 + payload.length);
  f.writeUInt32BE(payload.length, 0);
  payload.copy(f, 4);
  return f;
};
const started = process.hrtime.bigint();
const socket = connect(port, '127.0.0.1', () => {
  socket.write(frame('N, 1, IBM, 10000, 50, B, 1\n'));
  socket.write(frame('N, 2, IBM, 10000, 50, S, 1\n'));
});
const timer = setTimeout(() => finish(`timed out after ${timeoutMs} ms`), timeoutMs);
let pending = Buffer.alloc(0);
socket.on('data', (d) => {
  pending = Buffer.concat([pending, d]);
  while (pending.length >= 4 && pending.length >= 4 + pending.readUInt32BE(0)) {
    const n = pending.readUInt32BE(0);
    lines.push(pending.subarray(4, 4 + n).toString().trim());
    pending = pending.subarray(4 + n);
  }
  if (expected.every((e) => lines.includes(e))) finish(undefined);
});
socket.on('error', (e) => finish(e.message));
socket.on('close', () => finish('the engine closed the connection'));

let done = false;
function finish(error) {
  if (done) return;
  done = true;
  clearTimeout(timer);
  socket.destroy();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (error !== undefined) {
    const missing = expected.filter((e) => !lines.includes(e));
    console.error(`order FAILED: ${error}; missing ${JSON.stringify(missing)}; received ${JSON.stringify(lines)}`);
    process.exit(1);
  }
  console.log(`order ok in ${ms.toFixed(1)} ms: ${lines.join(' | ')}`);
}
