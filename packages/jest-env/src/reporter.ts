import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  closeSummaryRelay,
  collectRelayedSummaries,
  formatSummary,
  openSummaryRelay,
  resolveOptions,
  writeReportFile,
} from '@loose-ends/core';
import { SUMMARY_DIR_VARIABLE } from './summary-store.js';

/** The parts of Jest's global and project configs the reporter reads (Jest 29 and 30 alike). */
interface GlobalConfigLike {
  readonly rootDir?: string;
}

interface TestContextLike {
  readonly config?: {
    readonly rootDir?: string;
    readonly testEnvironmentOptions?: Record<string, unknown>;
  };
}

/**
 * Prints one line at the end of the run: how many tests left how much async work running, by kind;
 * and writes the report file when one is asked for (option `reportFile`, `LOOSE_ENDS_REPORT_FILE`).
 * `reporters: ['default', '@loose-ends/jest-env/reporter']`.
 */
export default class LooseEndsReporter {
  #directory: string | undefined;
  readonly #rootDir: string;

  constructor(globalConfig?: GlobalConfigLike) {
    this.#rootDir = globalConfig?.rootDir ?? process.cwd();
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

  onRunComplete(testContexts?: ReadonlySet<TestContextLike>): void {
    const directory = this.#directory;
    if (directory === undefined) return;
    const summary = collectRelayedSummaries(directory);
    closeSummaryRelay(SUMMARY_DIR_VARIABLE, directory);
    this.#directory = undefined;
    const reportFile = reportFileOf(testContexts);
    if (reportFile !== undefined) {
      writeReportFile(reportFile, summary, {
        runner: 'jest',
        runnerVersion: jestVersion(this.#rootDir),
        root: this.#rootDir,
      });
    }
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

/**
 * The report file asked for by `LOOSE_ENDS_REPORT_FILE` or by the first project whose
 * `testEnvironmentOptions.looseEnds` names one. Options a project got wrong are left to its
 * environment, which fails that project's files with the error.
 */
function reportFileOf(testContexts: ReadonlySet<TestContextLike> | undefined): string | undefined {
  const configs = [...(testContexts ?? [])].map(
    (context) => context.config?.testEnvironmentOptions?.looseEnds,
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

function jestVersion(rootDir: string): string | undefined {
  for (const from of [path.join(rootDir, 'package.json'), import.meta.url]) {
    try {
      const manifest = createRequire(from).resolve('jest/package.json');
      return (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version;
    } catch {
      // Jest run through jest-cli or another wrapper: try the next place, else leave it unnamed.
    }
  }
  return undefined;
}
