import { describe } from 'node:test';
import { groups } from '@loose-ends-fixtures/contain-scenarios';
import type { RunView } from '@loose-ends-fixtures/contain-scenarios/checks';
import * as checks from '@loose-ends-fixtures/contain-scenarios/checks';
import { runJest } from './run-jest.js';

// The tests and their checks are shared with Mocha and Vitest: see test/fixtures/contain-scenarios.
// No --forceExit: each run must end by itself.
function jest(args: string[]) {
  return (env: Record<string, string>): RunView => {
    const run = runJest('jest-contain', args, env, checks.HANG_MS);
    return {
      status: run.status,
      output: run.output,
      count: run.tests.size,
      result(title) {
        const result = run.tests.get(title);
        return { status: result?.status, message: result?.failureMessages.join('\n') || run.output };
      },
    };
  };
}

describe("contain 'close' (the default in mode fail): each leak fails its own test and is taken out of the run", () => {
  describe('in the main process', () => checks.contain(jest(['tests/contain.test.js'])));
  // Jest runs a single file in its own process unless given a memory limit for workers.
  describe('in a worker process', () =>
    checks.contain(jest(['--workerIdleMemoryLimit=1GB', 'tests/contain.test.js'])));
});

// Jest 30 fails A itself: it runs the callback that threw in A's test context.
describe('an error thrown by an interval test A was allowed to leave, while test B runs, names A', () =>
  checks.lateError(jest(['tests/late-error.test.js']), {
    blamed: groups.lateError.cases[0]!,
  }));

// Jest 30 fails A itself, as for an error.
describe('an unhandled rejection by an interval test A was allowed to leave, while test B runs, names A', () =>
  checks.lateRejection(jest(['tests/late-rejection.test.js']), {
    blamed: groups.lateRejection.cases[0]!,
  }));

// One file runs with Jest's --verbose console, two with its buffered one.
describe('a line logged by an interval test A was allowed to leave, while test B runs, names A', () => {
  describe('the --verbose console', () => checks.lateLog(jest(['tests/late-log.test.js'])));
  describe('the buffered console', () => checks.lateLog(jest(['--verbose=false', 'tests/late-log.test.js'])));
});

// The options are in each file's @jest-environment-options docblock.
describe("mode warn (contain 'none' by default): the leak is reported and left running", () =>
  checks.warn(jest(['tests/warn.test.js'])));

describe("contain 'unref': the leak fails its test and is unref'd, not closed, and Jest still ends by itself", () =>
  checks.unref(jest(['tests/unref.test.js'])));
