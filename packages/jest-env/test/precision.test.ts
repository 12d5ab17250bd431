import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { cases, promiseCases } from '@loose-ends-fixtures/precision-scenarios';
import type { TestResult } from '@loose-ends-fixtures/precision-scenarios/checks';
import { assertVerdict, verdictName } from '@loose-ends-fixtures/precision-scenarios/checks';
import * as fakeClock from '@loose-ends-fixtures/precision-scenarios/fake-timers';
import type { JestRun } from './run-jest.js';
import { runJest } from './run-jest.js';

// The cases are shared with the Vitest and Mocha fixtures: see test/fixtures/precision-scenarios.
const FIXTURE = 'jest-precision';

function resultOf(run: JestRun, title: string): TestResult {
  const result = run.tests.get(title);
  return { status: result?.status, message: result?.failureMessages.join('\n') || run.output };
}

describe('issue 19: look-alikes in one Jest 30 run: clean code passes, each real leak fails its own test', () => {
  let run: JestRun;
  before(() => {
    run = runJest(FIXTURE, ['tests/precision.test.js']);
  });

  test('the run fails, and the servers of beforeAll, closed in afterAll, are not reported', () => {
    assert.equal(run.status, 1, run.output);
    assert.doesNotMatch(run.file('precision.test.js').message, /module scope and before-all hooks/);
  });

  for (const c of cases) test(verdictName(c), () => assertVerdict(resultOf(run, c.title), c));
});

describe('promises: true reports no promise that nothing keeps', () => {
  let run: JestRun;
  before(() => {
    run = runJest(FIXTURE, ['--config', 'jest.promises.config.cjs', 'tests/promises.test.js']);
  });

  test('the run passes, with nothing reported for the file', () => {
    assert.equal(run.status, 0, run.output);
  });

  for (const c of promiseCases) test(verdictName(c), () => assertVerdict(resultOf(run, c.title), c));
});

describe('issue 24: a fake clock left installed across tests', () => {
  for (const [clock, file] of [
    ['@sinonjs/fake-timers installed in beforeAll', 'tests/sinon-fake-timers.test.js'],
    ['jest.useFakeTimers() in beforeAll', 'tests/jest-fake-timers.test.js'],
  ] as const) {
    test(`${clock}: the run finishes, the leaky test fails and the clean one passes`, () => {
      const run = runJest(FIXTURE, [file], {}, 60_000);
      assert.notEqual(run.status, null, `Jest did not finish within 60 s\n${run.output}`);
      for (const c of fakeClock.cases) assertVerdict(resultOf(run, c.title), c);
      assert.equal(run.status, 1, run.output);
    });
  }
});
