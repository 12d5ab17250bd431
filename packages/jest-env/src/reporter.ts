import {
  closeSummaryRelay,
  collectRelayedSummaries,
  formatSummary,
  openSummaryRelay,
  resolveOptions,
} from '@loose-ends/core';
import { OPTIONS_KEY, optionsSource } from './options-source.js';
import { SUMMARY_DIR_VARIABLE } from './summary-store.js';

/** The part of Jest's `Test` (29 and 30) the reporter reads: the project config of the file about to run. */
interface TestFile {
  readonly context?: {
    readonly config?: {
      readonly rootDir?: string;
      readonly testEnvironmentOptions?: Record<string, unknown>;
    };
  };
}

/**
 * Prints one line at the end of the run: how many tests left how much async work running, by kind.
 * `reporters: ['default', '@loose-ends/jest-env/reporter']`.
 */
export default class LooseEndsReporter {
  #directory: string | undefined;
  readonly #checkedConfigs = new WeakSet<object>();

  constructor() {
    this.#open();
  }

  /** Watch mode starts further runs with the same reporter. */
  onRunStart(): void {
    if (this.#directory === undefined) this.#open();
  }

  /**
   * Called in the main process before each file is handed to a worker. The environment validates
   * the options in every file it runs, so a bad one would fail each file on its own; checked here
   * first, it stops the run once, before any file runs, as Jest does for an invalid config.
   */
  onTestFileStart(test: TestFile): void {
    const config = test?.context?.config;
    if (config === undefined || this.#checkedConfigs.has(config)) return;
    this.#checkedConfigs.add(config);
    try {
      resolveOptions(config.testEnvironmentOptions?.[OPTIONS_KEY], optionsSource(config.rootDir));
    } catch (error) {
      if ((error as Error | undefined)?.name !== 'LooseEndsOptionsError') return;
      this.#stopRun((error as Error).message);
    }
  }

  #stopRun(message: string): never {
    if (this.#directory !== undefined) closeSummaryRelay(SUMMARY_DIR_VARIABLE, this.#directory);
    process.stderr.write(`\n${message}\nNo test file was run: fix the option and run Jest again.\n`);
    process.exit(1);
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
