import {
  closeSummaryRelay,
  collectRelayedSummaries,
  formatSummary,
  openSummaryRelay,
} from '@loose-ends/core';
import { SUMMARY_DIR_VARIABLE } from './summary-store.js';

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
    this.#directory = openSummaryRelay(SUMMARY_DIR_VARIABLE, 'loose-ends-jest-');
  }

  onRunComplete(): void {
    const directory = this.#directory;
    if (directory === undefined) return;
    const summary = collectRelayedSummaries(directory);
    closeSummaryRelay(SUMMARY_DIR_VARIABLE, directory);
    this.#directory = undefined;
    // Every file ran with detection off (LOOSE_ENDS_MODE=off, mode: 'off'): nothing to say.
    if (summary.checked === 0 && summary.filesOff > 0) return;
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
