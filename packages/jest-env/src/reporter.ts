import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LeakSummary } from '@loose-ends/core';
import { formatSummary, mergeSummaries, RESOURCE_KINDS } from '@loose-ends/core';
import { loadFileSummaries, SUMMARY_DIR_VARIABLE } from './summary-store.js';

/**
 * Prints one line at the end of the run: how many tests left how much async work running, by kind.
 * `reporters: ['default', '@loose-ends/jest-env/reporter']`.
 */
export default class LooseEndsReporter {
  #directory: string | undefined;

  constructor() {
    this.#open();
  }

  /** Watch mode starts further runs with the same reporter. */
  onRunStart(): void {
    if (this.#directory === undefined) this.#open();
  }

  #open(): void {
    // Set before Jest starts its workers, so each inherits it (and in-band runs read it directly).
    this.#directory = mkdtempSync(path.join(tmpdir(), 'loose-ends-jest-'));
    process.env[SUMMARY_DIR_VARIABLE] = this.#directory;
  }

  onRunComplete(): void {
    const directory = this.#directory;
    if (directory === undefined) return;
    const summary = inKindOrder(mergeSummaries(loadFileSummaries(directory)));
    rmSync(directory, { recursive: true, force: true });
    this.#directory = undefined;
    const hint =
      summary.checked === 0
        ? ' Is testEnvironment set to @loose-ends/jest-env (or a class made with withLooseEnds)?'
        : '';
    process.stderr.write(`${formatSummary(summary)}${hint}\n`);
  }

  getLastError(): Error | undefined {
    return undefined;
  }
}

/**
 * Files finish (and their tallies are read) in no fixed order, and the line lists kinds with equal
 * counts in the order they were first added: list them in core's kind order, so a run prints the same line each time.
 */
function inKindOrder(summary: LeakSummary): LeakSummary {
  const byKind: LeakSummary['byKind'] = {};
  for (const kind of RESOURCE_KINDS)
    if (summary.byKind[kind] !== undefined) byKind[kind] = summary.byKind[kind];
  // Kinds core does not list (none today) keep their place at the end rather than vanish.
  return { ...summary, byKind: { ...byKind, ...summary.byKind } };
}
