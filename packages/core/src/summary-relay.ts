import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LeakSummary } from './summary.js';
import { emptySummary, mergeSummaries } from './summary.js';

/**
 * Tests run in worker processes; the end-of-run line is printed by the runner's main process. The
 * main process creates a directory and names it in an environment variable before its workers
 * start (they inherit it); each worker leaves one small JSON tally there per test file. None of
 * this may fail a test: the line is a convenience, so every step swallows its own errors.
 */

/** In the main process: a fresh directory, named in `variable`; undefined if none could be made. */
export function openSummaryRelay(variable: string, prefix: string): string | undefined {
  try {
    const directory = mkdtempSync(path.join(tmpdir(), prefix));
    process.env[variable] = directory;
    return directory;
  } catch {
    // No temp dir: workers find no relay named and keep their tallies, so the run's line counts
    // only the main process's tests. Detection itself is unaffected.
    return undefined;
  }
}

/** In a worker: leaves this tally for the main process. False when no directory is named or writable. */
export function relaySummary(variable: string, summary: LeakSummary): boolean {
  const directory = process.env[variable];
  if (directory === undefined || directory === '') return false;
  try {
    mkdirSync(directory, { recursive: true });
    writeExclusively(directory, JSON.stringify(summary));
    return true;
  } catch {
    // The run's summary line then misses this worker's tests; the verdicts are already given.
    return false;
  }
}

let written = 0;

/**
 * A name no other worker holds: created with `wx`, so a worker whose pid was reused (or a worker
 * thread sharing its pid) takes the next number instead of overwriting an uncollected tally.
 * Not `randomUUID`: loading node:crypto cost every worker more start-up than the rest of loose-ends.
 */
function writeExclusively(directory: string, content: string): void {
  for (;;) {
    const file = path.join(directory, `${process.pid}-${written++}.json`);
    try {
      writeFileSync(file, content, { flag: 'wx' });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** In the main process: the tallies left so far, merged; each file is read once, then removed. */
export function collectRelayedSummaries(directory: string | undefined): LeakSummary {
  if (directory === undefined) return emptySummary();
  let names: string[];
  try {
    names = readdirSync(directory).filter((name) => name.endsWith('.json'));
  } catch {
    // Removed by someone else (a temp cleaner): nothing left to count.
    return emptySummary();
  }
  const parts: LeakSummary[] = [];
  for (const name of names) {
    const file = path.join(directory, name);
    try {
      parts.push(JSON.parse(readFileSync(file, 'utf8')) as LeakSummary);
      rmSync(file, { force: true });
    } catch {
      // A file cut short by a crashed worker: its tests are missing from the line, nothing more.
    }
  }
  return mergeSummaries(parts);
}

/** In the main process, at the end: removes the directory and forgets the variable. */
export function closeSummaryRelay(variable: string, directory: string | undefined): void {
  if (directory === undefined) return;
  try {
    rmSync(directory, { recursive: true, force: true });
  } catch {
    // The summary is already printed: a relay directory left in the temp dir harms nothing.
  }
  if (process.env[variable] === directory) delete process.env[variable];
}
