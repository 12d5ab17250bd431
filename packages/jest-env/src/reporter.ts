import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatSummary, mergeSummaries } from '@loose-ends/core';
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
    const summary = mergeSummaries(loadFileSummaries(directory));
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
