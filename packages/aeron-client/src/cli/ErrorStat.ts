/** Formats the driver's distinct error log the way Aeron's `ErrorStat` does. */
import { ErrorLogReader } from '@mm/agrona';
import type { CncFile } from '../CncFile.js';
import { formatTimestamp } from './args.js';

export function formatErrorStat(cnc: CncFile): string {
  const out: string[] = [];
  const count = ErrorLogReader.read(cnc.errorLogBuffer(), (observationCount, firstMs, lastMs, text) => {
    out.push('***');
    out.push(`${observationCount} observations from ${formatTimestamp(firstMs)} to ${formatTimestamp(lastMs)} for:`);
    out.push(` ${text}`);
  });
  out.push('');
  out.push(`${count} distinct errors observed.`);
  return out.join('\n');
}
