import type { LeakSummary } from '@loose-ends/core';
import { formatSummary, mergeSummaries } from '@loose-ends/core';
import type { Reporter, TestModule, Vitest } from 'vitest/node';
import type { LooseEndsTaskMeta } from './meta.js';

/**
 * Prints one line at the end of the run: how many tests left how many async tasks running, by
 * kind. Workers leave a per-test tally in the task meta (setup.ts); this merges them.
 */
export class LooseEndsReporter implements Reporter {
  private vitest: Vitest | undefined;

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
    if (summaries.length === 0) return;
    const line = formatSummary(mergeSummaries(summaries));
    if (this.vitest === undefined) console.log(line);
    else this.vitest.logger.log(line);
  }
}
