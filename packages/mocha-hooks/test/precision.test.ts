import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { cases, promiseCases } from '@loose-ends-fixtures/precision-scenarios';
import type { TestResult } from '@loose-ends-fixtures/precision-scenarios/checks';
import { assertVerdict, verdictName } from '@loose-ends-fixtures/precision-scenarios/checks';
import * as fakeClock from '@loose-ends-fixtures/precision-scenarios/fake-timers';
import type { MochaRun } from './run-mocha.js';
import { describeRun, FIXTURES, failureDetail, runMocha } from './run-mocha.js';

// The cases are shared with the Jest and Vitest fixtures: see jest-env/test/fixtures/precision-scenarios.
const project = path.join(FIXTURES, 'precision');

function resultOf(run: MochaRun, title: string): TestResult {
  if (run.failed.includes(title)) return { status: 'failed', message: failureDetail(run, title) };
  return { status: run.passed.includes(title) ? 'passed' : undefined, message: describeRun(run) };
}

describe('issue 19: look-alikes in one Mocha 11 run: clean code passes, each real leak fails its own test', () => {
  let run: MochaRun;
  before(async () => {
    run = await runMocha(project, ['test/precision.spec.cjs']);
  });

  it('the run ends on its own, its exit code counting the leaking tests and nothing else', () => {
    assert.equal(run.code, cases.filter((c) => c.leak !== undefined).length, describeRun(run));
    assert.doesNotMatch(run.details, /loose-ends: module scope and before\/after hooks/, describeRun(run));
  });

  for (const c of cases) it(verdictName(c), () => assertVerdict(resultOf(run, c.title), c));
});

describe('promises: true reports no promise that nothing keeps', () => {
  let run: MochaRun;
  before(async () => {
    run = await runMocha(project, ['--no-config', '--require', './promises.cjs', 'test/promises.spec.cjs']);
  });

  it('the run passes, with nothing reported', () => {
    assert.equal(run.code, 0, describeRun(run));
    assert.match(run.stderr, /loose-ends: no async work left running/, describeRun(run));
  });

  for (const c of promiseCases) it(verdictName(c), () => assertVerdict(resultOf(run, c.title), c));
});

describe('issue 24: a fake clock left installed across tests', () => {
  for (const [clock, file] of [
    ['@sinonjs/fake-timers installed in before()', 'test/sinon-fake-timers.spec.cjs'],
    ['sinon.useFakeTimers() in before()', 'test/sinon-use-fake-timers.spec.cjs'],
  ] as const) {
    it(`${clock}: the run finishes, the leaky test fails and the clean one passes`, async () => {
      const run = await runMocha(project, [file], { timeoutMs: 60_000 });
      assert.notEqual(run.code, null, `Mocha did not finish within 60 s\n${describeRun(run)}`);
      for (const c of fakeClock.cases) assertVerdict(resultOf(run, c.title), c);
      assert.equal(run.code, 1, describeRun(run));
    });
  }
});
