import type { CheckResult } from './engine.js';
import type { ResourceKind } from './kinds.js';
import { RESOURCE_KINDS } from './kinds.js';
import { countByKind } from './report.js';
import type { ReportedLeak } from './reported-leak.js';
import { reportedLeaksOf } from './reported-leak.js';

/** Run-wide tally, plain data so adapters can pass it between worker processes as JSON. */
export interface LeakSummary {
  /** Tests checked (file-scope checks are not tests and are not counted here). */
  checked: number;
  leakyTests: number;
  /** Test files whose module scope or before-all hooks left work running. */
  leakyFiles: number;
  leaks: number;
  byKind: Partial<Record<ResourceKind, number>>;
  /**
   * Test files that ran with detection switched off (mode `off`), for a runner whose summary line
   * is printed by another part than the one that knows the mode: nothing checked because all was
   * off is not the same as nothing checked because loose-ends was never installed.
   */
  filesOff: number;
  /**
   * Every leak in full, allowed ones included, for the report file. Kept only when one is asked
   * for (`emptySummary({ details: true })`): otherwise the tally stays a few numbers.
   */
  details?: ReportedLeak[];
  /**
   * Attempts that left work running and were then retried (`retries`, `retryTimes`). A test counts
   * once, by its last attempt, as the runner counts it; these are the earlier attempts' leaks.
   */
  leakyRetries?: number;
}

export function emptySummary(keep: { details?: boolean } = {}): LeakSummary {
  const summary: LeakSummary = {
    checked: 0,
    leakyTests: 0,
    leakyFiles: 0,
    leaks: 0,
    byKind: {},
    filesOff: 0,
  };
  if (keep.details) summary.details = [];
  return summary;
}

export function addToSummary(
  summary: LeakSummary,
  result: Pick<CheckResult, 'status' | 'leaks'> &
    Partial<Pick<CheckResult, 'kind' | 'titlePath' | 'file' | 'allowed'>>,
): void {
  if (result.status === 'off' || result.status === 'unsupported') return;
  if (summary.details !== undefined) {
    const found = reportedLeaksOf({
      kind: result.kind ?? 'test',
      titlePath: result.titlePath ?? [],
      file: result.file,
      leaks: result.leaks,
      allowed: result.allowed ?? [],
    });
    for (const leak of found) summary.details.push(leak);
  }
  const isFile = result.kind === 'file';
  if (!isFile) summary.checked += 1;
  if (result.leaks.length === 0) return;
  if (isFile) summary.leakyFiles += 1;
  else summary.leakyTests += 1;
  summary.leaks += result.leaks.length;
  for (const leak of result.leaks) summary.byKind[leak.kind] = (summary.byKind[leak.kind] ?? 0) + 1;
}

export function mergeSummaries(summaries: Iterable<LeakSummary>): LeakSummary {
  const total = emptySummary();
  for (const summary of summaries) {
    total.checked += summary.checked;
    total.leakyTests += summary.leakyTests;
    total.leakyFiles += summary.leakyFiles ?? 0;
    // Absent from tallies relayed by an older copy of core.
    total.filesOff += summary.filesOff ?? 0;
    // Optional, so tallies without retries keep their shape (and an older core's tallies merge).
    if ((summary.leakyRetries ?? 0) > 0)
      total.leakyRetries = (total.leakyRetries ?? 0) + (summary.leakyRetries ?? 0);
    total.leaks += summary.leaks;
    for (const [kind, count] of Object.entries(summary.byKind) as [ResourceKind, number][]) {
      total.byKind[kind] = (total.byKind[kind] ?? 0) + count;
    }
    if (summary.details !== undefined) {
      total.details ??= [];
      for (const leak of summary.details) total.details.push(leak);
    }
  }
  return total;
}

/**
 * One line for the end of a run:
 * `loose-ends: 3 of 120 tests and 1 test file left 5 async tasks running (2 intervals, …).`
 */
export function formatSummary(summary: LeakSummary): string {
  const tests = `${summary.checked} ${summary.checked === 1 ? 'test' : 'tests'}`;
  const leakyFiles = summary.leakyFiles ?? 0;
  const retried = retriedNote(summary.leakyRetries ?? 0);
  if (summary.leakyTests === 0 && leakyFiles === 0)
    return `loose-ends: no async work left running (${tests} checked).${retried}`;
  // Tallies merged from several workers arrive in any order: list equal counts in a fixed order.
  const kinds = countByKind(
    RESOURCE_KINDS.flatMap((kind) => Array<ResourceKind>(summary.byKind[kind] ?? 0).fill(kind)),
  );
  const tasks = `${summary.leaks} async ${summary.leaks === 1 ? 'task' : 'tasks'}`;
  const files = `${leakyFiles} test ${leakyFiles === 1 ? 'file' : 'files'} (module scope or before-all hooks)`;
  const who =
    summary.leakyTests === 0
      ? `${files}, none of the ${tests},`
      : `${summary.leakyTests} of ${tests}${leakyFiles > 0 ? ` and ${files}` : ''}`;
  return `loose-ends: ${who} left ${tasks} running (${kinds}).${retried}`;
}

function retriedNote(attempts: number): string {
  if (attempts === 0) return '';
  const what = attempts === 1 ? '1 attempt that was retried' : `${attempts} attempts that were retried`;
  return ` Each test is counted by its last attempt; ${what} also left work running.`;
}
