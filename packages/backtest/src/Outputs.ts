import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BacktestResult } from './Backtest.js';
import { summaryMarkdown } from './Summary.js';

/**
 * The files of one backtest in `dir`. Everything except `run.json` (wall time and throughput) is a function of
 * the inputs and the config only, byte for byte.
 */
export const OUTPUT_FILES = {
  summaryJson: 'summary.json',
  summaryMd: 'summary.md',
  eventsCsv: 'events.csv',
  eventsJsonl: 'events.jsonl',
  report: 'report.html',
  messages: 'messages.log',
  run: 'run.json',
} as const;

export function writeOutputs(result: BacktestResult, dir: string, title = 'Backtest'): Record<keyof typeof OUTPUT_FILES, string> {
  mkdirSync(dir, { recursive: true });
  const paths = Object.fromEntries(Object.entries(OUTPUT_FILES).map(([k, f]) => [k, join(dir, f)])) as Record<keyof typeof OUTPUT_FILES, string>;
  writeFileSync(paths.summaryJson, `${JSON.stringify(result.summary, null, 2)}\n`);
  writeFileSync(paths.summaryMd, summaryMarkdown(result.summary));
  result.log.writeCsv(paths.eventsCsv);
  result.log.writeJsonl(paths.eventsJsonl);
  result.report.write(paths.report, result.summary, result.time, result.startNs, result.endNs, title);
  writeFileSync(paths.messages, result.messages.length === 0 ? '' : `${result.messages.join('\n')}\n`);
  writeFileSync(paths.run, `${JSON.stringify(throughput(result), null, 2)}\n`);
  return paths;
}

export interface Throughput {
  lines: number;
  marketEvents: number;
  dataSeconds: number;
  wallSeconds: number;
  linesPerSecond: number;
  speedUp: number;
}

/** Events per wall second and how many times faster than the data's own pace. */
export function throughput(r: BacktestResult): Throughput {
  const wall = r.wallMs / 1000;
  return {
    lines: r.lines,
    marketEvents: r.marketEvents,
    dataSeconds: Number((r.dataSpanNs / 1e9).toFixed(3)),
    wallSeconds: Number(wall.toFixed(3)),
    linesPerSecond: Math.round(r.lines / wall),
    speedUp: Number((r.dataSpanNs / 1e9 / wall).toFixed(1)),
  };
}
