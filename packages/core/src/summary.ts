import type { CheckResult } from './engine.js';
import { countByKind } from './report.js';
import type { ResourceKind } from './resource-types.js';

/** Run-wide tally, plain data so adapters can pass it between worker processes as JSON. */
export interface LeakSummary {
  checked: number;
  leakyTests: number;
  leaks: number;
  byKind: Partial<Record<ResourceKind, number>>;
}

export function emptySummary(): LeakSummary {
  return { checked: 0, leakyTests: 0, leaks: 0, byKind: {} };
}

export function addToSummary(summary: LeakSummary, result: Pick<CheckResult, 'status' | 'leaks'>): void {
  if (result.status === 'off' || result.status === 'unsupported') return;
  summary.checked += 1;
  if (result.leaks.length === 0) return;
  summary.leakyTests += 1;
  summary.leaks += result.leaks.length;
  for (const leak of result.leaks) summary.byKind[leak.kind] = (summary.byKind[leak.kind] ?? 0) + 1;
}

export function mergeSummaries(summaries: Iterable<LeakSummary>): LeakSummary {
  const total = emptySummary();
  for (const summary of summaries) {
    total.checked += summary.checked;
    total.leakyTests += summary.leakyTests;
    total.leaks += summary.leaks;
    for (const [kind, count] of Object.entries(summary.byKind) as [ResourceKind, number][]) {
      total.byKind[kind] = (total.byKind[kind] ?? 0) + count;
    }
  }
  return total;
}

/** One line for the end of a run: `loose-ends: 3 of 120 tests left 5 async tasks running (2 intervals, …)`. */
export function formatSummary(summary: LeakSummary): string {
  const tests = `${summary.checked} ${summary.checked === 1 ? 'test' : 'tests'}`;
  if (summary.leakyTests === 0) return `loose-ends: no async work left running (${tests} checked).`;
  const kinds = countByKind(
    (Object.entries(summary.byKind) as [ResourceKind, number][]).flatMap(([kind, count]) =>
      Array(count).fill(kind),
    ),
  );
  const tasks = `${summary.leaks} async ${summary.leaks === 1 ? 'task' : 'tasks'}`;
  return `loose-ends: ${summary.leakyTests} of ${tests} left ${tasks} running (${kinds}).`;
}
