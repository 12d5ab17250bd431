import { describe } from 'node:test';
import type { RunView } from '@loose-ends-fixtures/contain-scenarios/checks';
import * as checks from '@loose-ends-fixtures/contain-scenarios/checks';
import { describeRun, runVitest, VITEST_PACKAGE } from './helpers.js';

// The tests and their checks are shared with Jest and Mocha: see jest-env/test/fixtures/contain-scenarios.
function vitest(file: string) {
  return (env: Record<string, string>): RunView => {
    const run = runVitest('contain', [file], env, VITEST_PACKAGE, checks.HANG_MS);
    return {
      status: run.status,
      output: describeRun(run),
      count: run.tests.size,
      result(title) {
        const result = run.tests.get(title);
        return { status: result?.status, message: result?.failureMessages.join('\n') || describeRun(run) };
      },
    };
  };
}

describe(`contain 'close' in ${VITEST_PACKAGE} (Node ${process.versions.node}): each leak fails its own test and is taken out of the run`, () =>
  checks.contain(vitest('test/contain.test.js')));

// Vitest reports an unhandled rejection apart from every test, naming the last test that ran (B).
describe('an unhandled rejection by an interval test A was allowed to leave, while test B runs, names A', () =>
  checks.lateRejection(vitest('test/late-rejection.test.js'), { blamed: undefined }));

// Vitest shows the line under the test running then (B): the note names A.
describe('a line logged by an interval test A was allowed to leave, while test B runs, names A', () =>
  checks.lateLog(vitest('test/late-log.test.js')));
