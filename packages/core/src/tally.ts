import type { CheckResult } from './engine.js';
import type { LeakSummary } from './summary.js';
import { addToSummary, emptySummary } from './summary.js';

/**
 * One check as a tally of its own: one attempt of a test, or one file's scope. `details` keeps
 * every leak in full, for a run that writes a report file.
 */
export function tallyOf(result: CheckResult, details: boolean): LeakSummary {
  const tally = emptySummary({ details });
  addToSummary(tally, result);
  return tally;
}

/**
 * Counts into `tally` an earlier attempt of its test that the runner retried, given that attempt's
 * tally. A test counts once, by its last attempt, as runners count it: an earlier attempt that
 * leaked, like the ones it had counted before it, adds only to `leakyRetries`.
 */
export function addRetried(tally: LeakSummary, earlier: LeakSummary): void {
  const retried = (earlier.leakyRetries ?? 0) + (earlier.leakyTests > 0 ? 1 : 0);
  if (retried > 0) tally.leakyRetries = (tally.leakyRetries ?? 0) + retried;
}
