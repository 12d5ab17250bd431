import type { LeakSummary } from '@loose-ends/core';
import { finishRun, mergeSummaries } from '@loose-ends/core';
import type { Reporter, TestModule, Vitest } from 'vitest/node';
import type { LooseEndsTaskMeta } from './meta.js';

/**
 * Prints one line at the end of the run: how many tests left how many async tasks running, by
 * kind; and writes the report file when one is asked for. Workers leave a per-test tally in the
 * task meta (setup.ts), with every leak in full when a report file is asked for; this merges them.
 */
export class LooseEndsReporter implements Reporter {
  private vitest: Vitest | undefined;
  /** Option `reportFile` (or `LOOSE_ENDS_REPORT_FILE`), relative to Vitest's root. */
  reportFile: string | undefined;

  constructor(options: { reportFile?: string } = {}) {
    this.reportFile = options.reportFile;
  }

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const summaries: LeakSummary[] = [];
    for (const module of testModules) {
      const fileSummary = (module.meta() as LooseEndsTaskMeta).looseEnds;
      if (fileSummary !== undefined) summaries.push(fileSummary);
      for (const test of module.children.allTests()) {
        const summary = (test.meta() as LooseEndsTaskMeta).looseEnds;
        if (summary !== undefined) summaries.push(summary);
      }
    }
    const line = finishRun(mergeSummaries(summaries), {
      runner: 'vitest',
      runnerVersion: this.vitest?.version,
      root: this.vitest?.config.root ?? process.cwd(),
      reportFile: this.reportFile,
    });
    if (line === undefined) return;
    if (this.vitest === undefined) console.log(line);
    else this.vitest.logger.log(line);
  }
}
