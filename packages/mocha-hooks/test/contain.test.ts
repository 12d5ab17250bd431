import path from 'node:path';
import { describe } from 'node:test';
import { groups } from '@loose-ends-fixtures/contain-scenarios';
import type { RunView } from '@loose-ends-fixtures/contain-scenarios/checks';
import * as checks from '@loose-ends-fixtures/contain-scenarios/checks';
import { describeRun, FIXTURES, failureDetail, runMocha } from './run-mocha.js';

// The tests and their checks are shared with Jest and Vitest: see jest-env/test/fixtures/contain-scenarios.
// No --exit: each run must end by itself.
function mocha(args: string[]) {
  return async (env: Record<string, string>): Promise<RunView> => {
    const run = await runMocha(path.join(FIXTURES, 'contain'), args, { env, timeoutMs: checks.HANG_MS });
    return {
      status: run.code,
      output: describeRun(run),
      count: run.passed.length + run.failed.length,
      result(title) {
        if (run.failed.includes(title)) return { status: 'failed', message: failureDetail(run, title) };
        return { status: run.passed.includes(title) ? 'passed' : undefined, message: describeRun(run) };
      },
    };
  };
}

/** Options through configure(), in a module required in place of the plugin. */
const configured = (module: string, spec: string) => mocha(['--no-config', '--require', module, spec]);

describe("contain 'close' (the default in mode fail): each leak fails its own test and is taken out of the run", () => {
  describe('in one process', () => checks.contain(mocha(['test/contain.spec.cjs'])));
  // Even a single file runs in a worker process.
  describe('--parallel', () => checks.contain(mocha(['--parallel', 'test/contain.spec.cjs'])));
});

// Mocha fails B, the test running when the error is thrown.
describe('an error thrown by an interval test A was allowed to leave, while test B runs, names A', () =>
  checks.lateError(mocha(['test/late-error.spec.cjs']), {
    blamed: groups.lateError.cases[1]!,
  }));

describe('a line logged by an interval test A was allowed to leave, while test B runs, names A', () => {
  describe('in one process', () => checks.lateLog(mocha(['test/late-log.spec.cjs'])));
  describe('--parallel', () => checks.lateLog(mocha(['--parallel', 'test/late-log.spec.cjs'])));
});

// An unhandled rejection of a test's own code is not shown by Mocha at all (it re-emits it on
// process, where nothing else listens), so there is no message to name A in.

describe("mode warn (contain 'none' by default): the leak is reported and left running", () =>
  checks.warn(configured('./warn.cjs', 'test/warn.spec.cjs')));

describe("contain 'unref': the leak fails its test and is unref'd, not closed, and Mocha still ends by itself", () =>
  checks.unref(configured('./unref.cjs', 'test/unref.spec.cjs')));
