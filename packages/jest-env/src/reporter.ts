import {
  closeSummaryRelay,
  collectRelayedSummaries,
  finishRun,
  openSummaryRelay,
  resolveOptions,
} from '@loose-ends/core';
import type { TestContextLike, TestFileLike } from './jest-internals.js';
import { jestVersion } from './jest-internals.js';
import { OPTIONS_KEY, optionsSource } from './options-source.js';
import { SUMMARY_DIR_VARIABLE } from './summary-store.js';

/**
 * Prints one line at the end of the run: how many tests left how much async work running, by kind;
 * and writes the report file when one is asked for (option `reportFile`, `LOOSE_ENDS_REPORT_FILE`).
 * `reporters: ['default', '@loose-ends/jest-env/reporter']`.
 */
export default class LooseEndsReporter {
  #directory: string | undefined;
  readonly #rootDir: string;
  readonly #checkedConfigs = new WeakSet<object>();

  constructor(globalConfig?: { readonly rootDir?: string }) {
    this.#rootDir = globalConfig?.rootDir ?? process.cwd();
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
  onTestFileStart(test: TestFileLike): void {
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

  onRunComplete(testContexts?: ReadonlySet<TestContextLike>): void {
    const directory = this.#directory;
    if (directory === undefined) return;
    const summary = collectRelayedSummaries(directory);
    closeSummaryRelay(SUMMARY_DIR_VARIABLE, directory);
    this.#directory = undefined;
    const line = finishRun(summary, {
      runner: 'jest',
      runnerVersion: jestVersion(this.#rootDir),
      root: this.#rootDir,
      reportFile: reportFileOf(testContexts),
      noTestCheckedHint:
        'Is testEnvironment set to @loose-ends/jest-env (or a class made with withLooseEnds)?',
    });
    if (line !== undefined) process.stderr.write(`${line}\n`);
  }

  getLastError(): Error | undefined {
    return undefined;
  }
}

/**
 * The report file asked for by `LOOSE_ENDS_REPORT_FILE` or by the first project whose
 * `testEnvironmentOptions.looseEnds` names one. Options a project got wrong are left to its
 * environment, which fails that project's files with the error.
 */
function reportFileOf(testContexts: ReadonlySet<TestContextLike> | undefined): string | undefined {
  const configs = [...(testContexts ?? [])].map(
    (context) => context.config?.testEnvironmentOptions?.[OPTIONS_KEY],
  );
  for (const given of configs.length === 0 ? [undefined] : configs) {
    try {
      const { reportFile } = resolveOptions(given);
      if (reportFile !== undefined) return reportFile;
    } catch {
      // Reported by the environment of each file of that project.
    }
  }
  return undefined;
}
