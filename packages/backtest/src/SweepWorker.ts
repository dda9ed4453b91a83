import { parentPort, workerData } from 'node:worker_threads';
import { runBacktest } from './Backtest.js';
import { writeOutputs } from './Outputs.js';
import type { SweepWorkerInput, SweepWorkerOutput } from './Sweep.js';

/** One sweep run in a worker thread: the backtest, its files, and the summary posted back (or the error). */
const input = workerData as SweepWorkerInput;
let out: SweepWorkerOutput;
try {
  const result = await runBacktest(input.options);
  writeOutputs(result, input.dir, input.title);
  out = { ok: true, summary: result.summary };
} catch (error) {
  out = { ok: false, error: error instanceof Error ? error.message : String(error) };
}
parentPort?.postMessage(out);
