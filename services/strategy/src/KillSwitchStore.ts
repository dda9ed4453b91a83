import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { KillSwitchState } from '@mm/models/quoting';

/**
 * The kill switch on disk: one small JSON file (`risk.kill-switch-file`, default data/strategy/kill-switch.json),
 * written atomically (temp file, fsync, rename) so a crash leaves either the old or the new state, never half.
 *
 * Invariants:
 * - a missing file means "not engaged"; a file that cannot be read or parsed means ENGAGED (fail safe: an operator
 *   must look at it and reset);
 * - a reset is a write of a not-engaged state (`resetKillSwitch`), so a running strategy sees it on its next check
 *   and deleting the file works too.
 * All I/O is synchronous: it happens only when the switch changes and on a slow periodic check, never per message.
 */
export interface StoredKillSwitch {
  readonly state: KillSwitchState;
  /** Why the stored state could not be used as written (the state is then engaged), else undefined. */
  readonly problem: string | undefined;
}

const NOT_ENGAGED: KillSwitchState = { engaged: false, reason: 'none', engagedAtNs: 0, pnlAtEngage: Number.NaN };

/** Reads the stored state; see the invariants for missing and damaged files. */
export function readKillSwitch(file: string): StoredKillSwitch {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: NOT_ENGAGED, problem: undefined };
    return engagedBecause(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    const raw = JSON.parse(text) as unknown;
    if (typeof raw !== 'object' || raw === null) return engagedBecause(`${file} does not hold a JSON object`);
    const r = raw as Record<string, unknown>;
    if (typeof r['engaged'] !== 'boolean') return engagedBecause(`${file}: "engaged" must be true or false`);
    const reason = r['reason'];
    if (reason !== 'none' && reason !== 'daily-loss-limit' && reason !== 'manual') {
      return engagedBecause(`${file}: unknown reason ${JSON.stringify(reason)}`);
    }
    const at = r['engagedAtNs'];
    const pnl = r['pnlAtEngage'];
    return {
      state: {
        engaged: r['engaged'],
        reason: r['engaged'] ? reason : 'none',
        engagedAtNs: typeof at === 'number' ? at : 0,
        pnlAtEngage: typeof pnl === 'number' ? pnl : Number.NaN,
      },
      problem: undefined,
    };
  } catch (error) {
    return engagedBecause(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

function engagedBecause(problem: string): StoredKillSwitch {
  return { state: { engaged: true, reason: 'manual', engagedAtNs: 0, pnlAtEngage: Number.NaN }, problem };
}

/** Serialises a state; NaN PnL becomes null (JSON has no NaN). The wall-clock time is for operators only. */
export function killSwitchJson(state: KillSwitchState, epochMs: number): string {
  return `${JSON.stringify({
    engaged: state.engaged,
    reason: state.reason,
    engagedAtNs: state.engagedAtNs,
    pnlAtEngage: Number.isFinite(state.pnlAtEngage) ? state.pnlAtEngage : null,
    writtenAt: new Date(epochMs).toISOString(),
  })}\n`;
}

/** Writes `text` to `file` atomically: temp file in the same directory, fsync, rename. Throws on I/O errors. */
export function writeAtomically(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, file);
  } catch (error) {
    try { unlinkSync(tmp); } catch { /* the rename error is the one to report */ }
    throw error;
  }
}

/**
 * Releases a persisted kill switch (the `mm reset-kill-switch` entry). A running strategy notices within its check
 * interval and resumes quoting; a stopped one starts released. Returns the state that was stored before.
 * Note: if today's PnL is still beyond the limit, the strategy engages again at its next decision.
 */
export function resetKillSwitch(file: string, epochMs: number = Date.now()): KillSwitchState {
  const before = readKillSwitch(file).state;
  writeAtomically(file, killSwitchJson(NOT_ENGAGED, epochMs));
  return before;
}

/**
 * The strategy's handle on the file: persists engagements, and reports an external reset (the file no longer says
 * engaged, and it is not our own write that failed).
 */
export class KillSwitchStore {
  private unsaved = false;
  private pendingState: KillSwitchState | undefined;

  constructor(
    readonly file: string,
    private readonly epochMs: () => number,
  ) {}

  load(): StoredKillSwitch {
    return readKillSwitch(this.file);
  }

  /** Persists `state`; returns an error message (and retries on later `retry()` calls) if the write failed. */
  save(state: KillSwitchState): string | undefined {
    const text = killSwitchJson(state, this.epochMs());
    try {
      writeAtomically(this.file, text);
      this.unsaved = false;
      this.pendingState = undefined;
      return undefined;
    } catch (error) {
      this.unsaved = true;
      this.pendingState = state;
      return `cannot persist the kill switch to ${this.file}: ${(error as Error).message}`;
    }
  }

  /** True while an engagement is not yet on disk. */
  get hasUnsaved(): boolean {
    return this.unsaved;
  }

  /** Retries a failed save; returns an error message if it failed again. */
  retry(): string | undefined {
    return this.pendingState ? this.save(this.pendingState) : undefined;
  }

  /**
   * While engaged in memory: true if the file was reset by someone else (says not engaged, or is gone). Never true
   * while our own engagement is unsaved, so a failed write cannot release the switch.
   */
  wasResetExternally(): boolean {
    if (this.unsaved) return false;
    const stored = readKillSwitch(this.file);
    return !stored.state.engaged;
  }
}
