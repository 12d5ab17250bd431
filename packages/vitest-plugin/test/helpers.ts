import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
/** Vitest 5 needs Node ≥ 22.12; older Nodes run Vitest 4.1 (installed as the `vitest4` alias). */
export const VITEST_PACKAGE = major > 22 || (major === 22 && minor >= 12) ? 'vitest' : 'vitest4';

export interface AssertionResult {
  readonly title: string;
  readonly fullName: string;
  readonly status: 'passed' | 'failed' | 'skipped' | 'pending' | 'todo';
  readonly failureMessages: readonly string[];
}

export interface FileResult {
  readonly name: string;
  readonly status: string;
  readonly message: string;
  readonly assertionResults: readonly AssertionResult[];
}

export interface VitestRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly output: string;
  /** Vitest's JSON report, when the run got far enough to write one. */
  readonly files: readonly FileResult[];
  readonly tests: ReadonlyMap<string, AssertionResult>;
}

/**
 * Runs the real `vitest run` of a fixture project on this Node (`process.execPath`), with the
 * default reporter for what a user sees and the JSON reporter for exact per-test results.
 */
export function runVitest(
  fixture: string,
  args: readonly string[] = [],
  env: Record<string, string | undefined> = {},
  vitestPackage = VITEST_PACKAGE,
  /** A guard against a hang, not a timing check: a run killed by it has `status` null. */
  timeoutMs = 120_000,
): VitestRun {
  const cwd = path.join(FIXTURES, fixture);
  const outDir = mkdtempSync(path.join(tmpdir(), 'loose-ends-vitest-'));
  const jsonFile = path.join(outDir, 'report.json');
  try {
    const child = spawnSync(
      process.execPath,
      [
        path.join(cwd, 'node_modules', vitestPackage, 'vitest.mjs'),
        'run',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${jsonFile}`,
        ...args,
      ],
      {
        cwd,
        encoding: 'utf8',
        env: {
          ...process.env,
          NO_COLOR: '1',
          FORCE_COLOR: undefined,
          CI: '1',
          LOOSE_ENDS_MODE: undefined,
          ...env,
        },
        timeout: timeoutMs,
      },
    );
    let files: FileResult[] = [];
    try {
      files = JSON.parse(readFileSync(jsonFile, 'utf8')).testResults;
    } catch {
      files = [];
    }
    const tests = new Map<string, AssertionResult>();
    for (const file of files) {
      for (const test of file.assertionResults) tests.set(test.fullName, test);
    }
    return {
      status: child.status,
      stdout: child.stdout,
      stderr: child.stderr,
      output: `${child.stdout}\n${child.stderr}`,
      files,
      tests,
    };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

export function failedTests(run: VitestRun): string[] {
  return [...run.tests.values()]
    .filter((test) => test.status === 'failed')
    .map((test) => test.fullName)
    .sort();
}

/** A compact view for assertion messages. */
export function describeRun(run: VitestRun): string {
  return `exit ${run.status}\n--- stdout ---\n${run.stdout.slice(-6000)}\n--- stderr ---\n${run.stderr.slice(-3000)}`;
}
