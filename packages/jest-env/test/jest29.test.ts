import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { JestRun } from './run-jest.js';
import { markerLine, runJest } from './run-jest.js';

const at = (marker: string) => markerLine('jest29/tests/smoke.test.js', marker);

describe('Jest 29 smoke', () => {
  let run: JestRun;
  before(() => {
    run = runJest('jest29');
  });

  test('leaking tests fail with kind and creation line; clean ones pass', () => {
    assert.equal(run.status, 1, run.output);
    const leaky: [string, string, string][] = [
      [
        'Jest 29: interval from beforeEach never cleared fails',
        at('29-beforeEach'),
        'Created in the beforeEach hook at',
      ],
      ['Jest 29: interval never cleared fails', at('29-body'), 'Created at'],
      // Jest 29 starts concurrent tests before their test_start event: wrapped at definition instead.
      ['Jest 29: concurrent test that leaks fails', at('29-concurrent'), 'Created at'],
    ];
    for (const [title, where, phase] of leaky) {
      const result = run.test(title);
      assert.equal(result.status, 'failed', title);
      const message = result.failureMessages.join('\n');
      assert.match(message, /1 interval/);
      assert.ok(message.includes(`${phase} ${where}:`), message);
    }
    assert.equal(run.test('Jest 29: clean test passes').status, 'passed');
    assert.equal(run.test('Jest 29: concurrent test alongside it passes').status, 'passed');
  });

  test('a beforeAll leak fails the file', () => {
    const file = run.file('smoke.test.js');
    assert.match(file.message, /Test suite failed to run/);
    assert.ok(file.message.includes(`Created in the beforeAll hook at ${at('29-beforeAll')}:`), file.message);
  });

  test("Jest 29's own jsdom environment, wrapped with withLooseEnds", () => {
    assert.equal(run.test('Jest 29 jsdom: runs in jest-environment-jsdom 29').status, 'passed', run.output);
    const result = run.test('Jest 29 jsdom: window interval never cleared fails');
    assert.equal(result.status, 'failed', run.output);
    const message = result.failureMessages.join('\n');
    // jsdom implements window timers with Node timeouts it reschedules.
    assert.match(message, /1 timeout/);
    const where = markerLine('jest29/tests/dom.test.js', '29-dom-interval');
    assert.ok(message.includes(`Created at ${where}:`), message);
    assert.equal(run.test('Jest 29 jsdom: cleared window interval passes').status, 'passed');
  });

  test('jest.retryTimes: a leaking attempt is retried; a clean retry passes', () => {
    const retried = run.test('Jest 29: leaking attempt is retried and the clean retry passes');
    assert.equal(retried.status, 'passed', run.output);
    assert.equal(run.test('Jest 29: leaking on every attempt fails').status, 'failed', run.output);
  });

  test('the reporter prints the summary line, counting tests as Jest does, not attempts', () => {
    assert.match(run.output, /^Tests: +5 failed, 5 passed, 10 total$/m);
    assert.match(
      run.output,
      /^loose-ends: 5 of 10 tests and 1 test file \(module scope or before-all hooks\) left 6 async tasks running \(4 intervals, 1 timeout, 1 server\)\. Each test is counted by its last attempt; 2 attempts that were retried also left work running\.$/m,
    );
  });
});

describe('Jest 29: an invalid option', () => {
  test('with the reporter, stops the run once before any file runs, suggesting the value meant', () => {
    const config = JSON.stringify({
      testEnvironment: '@loose-ends/jest-env',
      reporters: ['default', '@loose-ends/jest-env/reporter'],
      testEnvironmentOptions: { looseEnds: { mode: 'wran' } },
    });
    const run = runJest('jest29', ['--config', config, 'tests/smoke.test.js']);
    assert.equal(run.status, 1, run.output);
    assert.equal(
      run.output.split('option "mode" in testEnvironmentOptions.looseEnds (Jest config of ').length - 1,
      1,
      run.output,
    );
    assert.match(run.output, /must be one of "fail", "warn", "off"; got "wran"\. Did you mean "warn"\?/);
    assert.match(run.output, /No test file was run: fix the option and run Jest again\./);
    assert.doesNotMatch(run.output, /Test suite failed to run|tests checked/);
  });
});
