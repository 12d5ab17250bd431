import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { cases, promiseCases } from '@loose-ends-fixtures/precision-scenarios';
import type { TestResult } from '@loose-ends-fixtures/precision-scenarios/checks';
import { assertVerdict, verdictName } from '@loose-ends-fixtures/precision-scenarios/checks';
import * as fakeClock from '@loose-ends-fixtures/precision-scenarios/fake-timers';
import type { VitestRun } from './helpers.js';
import { describeRun, runVitest, VITEST_PACKAGE } from './helpers.js';

// The cases are shared with the Jest and Mocha fixtures: see jest-env/test/fixtures/precision-scenarios.
const FIXTURE = 'precision';

function resultOf(run: VitestRun, title: string): TestResult {
  const result = run.tests.get(title);
  return { status: result?.status, message: result?.failureMessages.join('\n') || describeRun(run) };
}

describe(`issue 19: look-alikes in one run (${VITEST_PACKAGE}, Node ${process.versions.node}): clean code passes, each real leak fails its own test`, () => {
  let run: VitestRun;
  before(() => {
    run = runVitest(FIXTURE, ['test/precision.test.js']);
  });

  test('the run fails, and the servers of beforeAll, closed in afterAll, are not reported', () => {
    assert.equal(run.status, 1, describeRun(run));
    assert.doesNotMatch(run.files[0]?.message ?? '', /module scope and before-all hooks/, describeRun(run));
  });

  for (const c of cases) test(verdictName(c), () => assertVerdict(resultOf(run, c.title), c));
});

describe('promises: true reports no promise that nothing keeps', () => {
  let run: VitestRun;
  before(() => {
    run = runVitest(FIXTURE, ['--config', 'vitest.promises.config.js']);
  });

  test('the run passes, with nothing reported for the file', () => {
    assert.equal(run.status, 0, describeRun(run));
    assert.match(run.stdout, /loose-ends: no async work left running/, describeRun(run));
  });

  for (const c of promiseCases) test(verdictName(c), () => assertVerdict(resultOf(run, c.title), c));
});

describe('issue 24: a fake clock left installed across tests', () => {
  for (const [clock, file] of [
    ['@sinonjs/fake-timers installed in beforeAll', 'test/sinon-fake-timers.test.js'],
    ['vi.useFakeTimers() in beforeAll', 'test/vi-fake-timers.test.js'],
  ] as const) {
    test(`${clock}: the run finishes, the leaky test fails and the clean one passes`, () => {
      const run = runVitest(FIXTURE, [file], {}, VITEST_PACKAGE, 60_000);
      assert.notEqual(run.status, null, `Vitest did not finish within 60 s\n${describeRun(run)}`);
      for (const c of fakeClock.cases) assertVerdict(resultOf(run, c.title), c);
      assert.equal(run.status, 1, describeRun(run));
    });
  }
});

describe('vm pools with a DOM environment: a clean test file passes', () => {
  for (const environment of ['jsdom', 'happy-dom']) {
    for (const pool of ['vmThreads', 'vmForks']) {
      test(`--pool=${pool} --environment=${environment}`, () => {
        const run = runVitest(FIXTURE, [
          `--pool=${pool}`,
          `--environment=${environment}`,
          'test/dom.test.js',
        ]);
        assert.equal(run.status, 0, describeRun(run));
        assert.equal(run.tests.size, 4, describeRun(run));
        assert.match(
          run.stdout,
          /loose-ends: no async work left running \(4 tests checked\)\./,
          describeRun(run),
        );
      });
    }
  }
});
