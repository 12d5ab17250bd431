import type { LeakFilter, LeakSummary } from '@loose-ends/core';

/** What the plugin keeps in Vitest's task meta, which workers send to the main process with each result. */
export interface LooseEndsTaskMeta {
  /**
   * Per-test (or per-file) tally, merged by the reporter into the end-of-run line; with every leak
   * in full (`details`) when a report file is asked for.
   */
  looseEnds?: LeakSummary;
  /**
   * Opt-out: `true` allows every leak, a kind or a list of kinds (`'interval'`, `['server', 'socket']`)
   * allows only those. Set it in test or `describe` options (`{ meta: { allowLeaks: true } }`) or with
   * the `allow-leaks` tag.
   */
  allowLeaks?: boolean | Exclude<LeakFilter, (...args: never[]) => unknown>;
}

declare module 'vitest' {
  interface TaskMeta extends LooseEndsTaskMeta {}
}
