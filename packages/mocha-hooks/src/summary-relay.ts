import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LeakSummary } from '@loose-ends/core';
import { emptySummary, mergeSummaries } from '@loose-ends/core';

/**
 * With `--parallel`, tests run in worker processes while the end-of-run summary is printed by the
 * main process (Mocha's global teardown runs there only). Workers inherit the main process's
 * environment when the pool starts, after global setup, so the main process names a directory in
 * this variable and each worker leaves one small JSON file per spec file in it.
 */
export const RELAY_ENV_VARIABLE = 'LOOSE_ENDS_MOCHA_SUMMARY_DIR';

let written = 0;

export function openRelay(): string | undefined {
  try {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'loose-ends-mocha-'));
    process.env[RELAY_ENV_VARIABLE] = directory;
    return directory;
  } catch {
    return undefined;
  }
}

/** In a worker: hands this file's part of the summary to the main process. */
export function relaySummary(summary: LeakSummary): boolean {
  const directory = process.env[RELAY_ENV_VARIABLE];
  if (directory === undefined || directory === '') return false;
  try {
    writeFileSync(path.join(directory, `${process.pid}-${written++}.json`), JSON.stringify(summary));
    return true;
  } catch {
    return false;
  }
}

/** In the main process: the workers' parts so far, each read once. */
export function collectRelayed(directory: string | undefined): LeakSummary {
  if (directory === undefined) return emptySummary();
  const parts: LeakSummary[] = [];
  try {
    for (const name of readdirSync(directory)) {
      if (!name.endsWith('.json')) continue;
      const file = path.join(directory, name);
      parts.push(JSON.parse(readFileSync(file, 'utf8')) as LeakSummary);
      rmSync(file, { force: true });
    }
  } catch {
    // A missing part only makes the summary line incomplete; the failures themselves are reported.
  }
  return mergeSummaries(parts);
}

export function closeRelay(directory: string | undefined): void {
  if (directory === undefined) return;
  rmSync(directory, { recursive: true, force: true });
  if (process.env[RELAY_ENV_VARIABLE] === directory) delete process.env[RELAY_ENV_VARIABLE];
}
