import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ResourceKind } from './kinds.js';
import { displayPath } from './paths.js';
import type { ReportedLeak } from './reported-leak.js';
import type { LeakSummary } from './summary.js';

/**
 * The report file: one JSON document per run, the same from every runner, described by
 * report-schema.json at the root of this package. Written once, by the process that prints the
 * end-of-run line, from the tallies it already gathers from the workers.
 */

/** Raised whenever a field changes meaning or goes away; new optional fields keep it. */
export const REPORT_SCHEMA_VERSION = 1;

export interface ReportDocument {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  readonly tool: 'loose-ends';
  readonly runner: string;
  readonly runnerVersion: string | null;
  /** `process.version` of the process that wrote it. */
  readonly node: string;
  readonly createdAt: string;
  /** Absolute: what `file` and `location.file` are relative to. */
  readonly root: string;
  readonly summary: {
    readonly testsChecked: number;
    readonly testsWithLeaks: number;
    readonly filesWithLeaks: number;
    /** Leaks reported, allowed ones not counted. */
    readonly leaks: number;
    readonly byKind: Partial<Record<ResourceKind, number>>;
  };
  /** Paths relative to `root` with `/` separators, absolute when outside it. */
  readonly leaks: readonly ReportedLeak[];
}

export interface RunInfo {
  readonly runner: string;
  readonly runnerVersion: string | undefined;
  /** Absolute: the runner's root directory (Jest `rootDir`, Vitest `root`, the working directory). */
  readonly root: string;
}

export function buildReport(summary: LeakSummary, run: RunInfo, now = new Date()): ReportDocument {
  const relative = (file: string): string => displayPath(file, run.root).split(path.sep).join('/');
  const leaks = (summary.details ?? []).map((leak) => ({
    ...leak,
    file: leak.file === null ? null : relative(leak.file),
    location: leak.location === null ? null : { ...leak.location, file: relative(leak.location.file) },
  }));
  // Workers hand in their parts in any order: file by file, each in the order it ran.
  leaks.sort((a, b) => ((a.file ?? '') < (b.file ?? '') ? -1 : (a.file ?? '') > (b.file ?? '') ? 1 : 0));
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: 'loose-ends',
    runner: run.runner,
    runnerVersion: run.runnerVersion ?? null,
    node: process.version,
    createdAt: now.toISOString(),
    root: run.root,
    summary: {
      testsChecked: summary.checked,
      testsWithLeaks: summary.leakyTests,
      filesWithLeaks: summary.leakyFiles,
      leaks: summary.leaks,
      byKind: { ...summary.byKind },
    },
    leaks,
  };
}

/**
 * Writes the run's report to `reportFile` (relative to the root). Never throws: a report that
 * cannot be written is said in one line, and the run's outcome stays the tests' own. Returns the
 * absolute path written, or undefined.
 */
export function writeReportFile(reportFile: string, summary: LeakSummary, run: RunInfo): string | undefined {
  const target = path.resolve(run.root, reportFile);
  // Written beside the target and renamed over it, so a reader never sees half a document.
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(temporary, `${JSON.stringify(buildReport(summary, run), null, 2)}\n`);
    renameSync(temporary, target);
    return target;
  } catch (error) {
    removeQuietly(temporary);
    const reason = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `loose-ends: Could not write the report file ${target}: ${reason}. ` +
        'Set option reportFile (or LOOSE_ENDS_REPORT_FILE) to a path in a writable directory.\n',
    );
    return undefined;
  }
}

function removeQuietly(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // The line above the caller prints says what went wrong; a leftover temporary file adds nothing.
  }
}
