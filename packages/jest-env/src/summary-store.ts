import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LeakSummary } from '@loose-ends/core';

/**
 * Test files run in worker processes; the reporter runs in Jest's main process. The reporter
 * creates a directory for the run and names it in this variable before Jest starts its workers
 * (which inherit the environment); each test file writes its tally there when it ends.
 */
export const SUMMARY_DIR_VARIABLE = 'LOOSE_ENDS_JEST_SUMMARY_DIR';

/** Saves one test file's tally, if a reporter is collecting them; never throws. */
export function saveFileSummary(summary: LeakSummary): void {
  const directory = process.env[SUMMARY_DIR_VARIABLE];
  if (directory === undefined || directory === '') return;
  try {
    mkdirSync(directory, { recursive: true });
    writeFileSync(path.join(directory, `${process.pid}-${randomUUID()}.json`), JSON.stringify(summary));
  } catch {
    // The end-of-run line is a convenience; a read-only or vanished directory must not fail a test file.
  }
}

export function loadFileSummaries(directory: string): LeakSummary[] {
  let names: string[];
  try {
    names = readdirSync(directory).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
  const summaries: LeakSummary[] = [];
  for (const name of names) {
    try {
      summaries.push(JSON.parse(readFileSync(path.join(directory, name), 'utf8')) as LeakSummary);
    } catch {
      // A file cut short by a crashed worker: that file's tests are missing from the line, nothing more.
    }
  }
  return summaries;
}
