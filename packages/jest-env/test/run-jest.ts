import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface AssertionResult {
  title: string;
  fullName: string;
  status: 'passed' | 'failed' | 'pending' | 'todo';
  failureMessages: string[];
  invocations?: number;
}

export interface FileResult {
  name: string;
  status: 'passed' | 'failed';
  message: string;
  assertionResults: AssertionResult[];
}

export interface JestRun {
  status: number | null;
  output: string;
  files: FileResult[];
  /** Every test by title. */
  tests: Map<string, AssertionResult>;
  /** The file result whose path ends with `name`. */
  file(name: string): FileResult;
  test(title: string): AssertionResult;
}

export const fixturesDirectory = path.join(import.meta.dirname, 'fixtures');

/** The `jest` bin of the Jest a fixture (or a directory inside one) resolves. */
export function jestBinFor(cwd: string): string {
  const jestPackage = createRequire(path.join(cwd, 'package.json')).resolve('jest/package.json');
  return path.join(path.dirname(jestPackage), 'bin/jest.js');
}

/**
 * Runs the fixture's own Jest (the version its package.json pins) on the Node running this test,
 * with the JSON reporter written next to the normal output, and returns both.
 */
export function runJest(
  fixture: string,
  args: readonly string[] = [],
  env: Record<string, string> = {},
  /** A guard against a hang (the point of the tests that run without --forceExit), not a timing check. */
  timeoutMs = 120_000,
): JestRun {
  const cwd = path.isAbsolute(fixture) ? fixture : path.join(fixturesDirectory, fixture);
  const jestBin = jestBinFor(cwd);
  const outDir = mkdtempSync(path.join(tmpdir(), 'loose-ends-jest-e2e-'));
  const outputFile = path.join(outDir, 'results.json');
  try {
    const child = spawnSync(
      process.execPath,
      [jestBin, '--ci', '--json', `--outputFile=${outputFile}`, ...args],
      {
        cwd,
        encoding: 'utf8',
        timeout: timeoutMs,
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', LOOSE_ENDS_MODE: '', ...env },
      },
    );
    const output = `${child.stdout}\n${child.stderr}`;
    let files: FileResult[] = [];
    try {
      files = (JSON.parse(readFileSync(outputFile, 'utf8')) as { testResults: FileResult[] }).testResults;
    } catch {
      // No JSON (e.g. a config error before any file ran): callers assert on `output`.
    }
    return jestRunOf(
      child.status,
      child.error === undefined ? output : `${output}\n${child.error.message}`,
      files,
    );
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** A run's exit status, output and JSON results, with lookups that explain what is missing. */
export function jestRunOf(status: number | null, output: string, files: FileResult[]): JestRun {
  const tests = new Map(
    files.flatMap((file) => file.assertionResults.map((test) => [test.title, test] as const)),
  );
  return {
    status,
    output,
    files,
    tests,
    file(name) {
      const found = files.find((file) => file.name.endsWith(name));
      if (found === undefined)
        throw new Error(`no result for ${name}; files: ${files.map((f) => f.name).join(', ')}\n${output}`);
      return found;
    },
    test(title) {
      const found = tests.get(title);
      if (found === undefined) throw new Error(`no result for test "${title}"\n${output}`);
      return found;
    },
  };
}
