import type { RunInfo } from './report-file.js';
import { writeReportFile } from './report-file.js';
import type { LeakSummary } from './summary.js';
import { formatSummary } from './summary.js';

/** What an adapter knows about its run when it ends, in the one process that prints. */
export interface RunEnd extends RunInfo {
  /** Option `reportFile` (or `LOOSE_ENDS_REPORT_FILE`) in force for the run, relative to `root`. */
  readonly reportFile: string | undefined;
  /**
   * Added to the line when no test was checked and no file was switched off: how to set the
   * adapter up, since it then probably is not. Without it, such a run prints nothing.
   */
  readonly noTestCheckedHint?: string;
}

/**
 * Ends a run the same way in every runner: writes the report file when one is asked for, and
 * returns the summary line to print (`undefined` when there is nothing to say: every file ran with
 * detection off, or nothing was checked and there is no hint to give).
 */
export function finishRun(summary: LeakSummary, end: RunEnd): string | undefined {
  if (end.reportFile !== undefined) writeReportFile(end.reportFile, summary, end);
  if (summary.checked > 0 || summary.leakyFiles > 0) return formatSummary(summary);
  if (summary.filesOff > 0 || end.noTestCheckedHint === undefined) return undefined;
  return `${formatSummary(summary)} ${end.noTestCheckedHint}`;
}
