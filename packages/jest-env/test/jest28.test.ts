import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { JestRun } from './run-jest.js';
import { markerLine, runJest } from './run-jest.js';

const at = (marker: string) => markerLine('jest28/tests/smoke.test.js', marker);

describe('Jest 28 smoke', () => {
  let run: JestRun;
  before(() => {
    run = runJest('jest28');
  });

  test('leaking tests fail with kind and creation line; clean ones pass', () => {
    assert.equal(run.status, 1, run.output);
    const leaky: [string, string, string][] = [
      [
        'Jest 28: interval from beforeEach never cleared fails',
        at('28-beforeEach'),
        'Created in the beforeEach hook at',
      ],
      ['Jest 28: interval never cleared fails', at('28-body'), 'Created at'],
      // Jest 28 starts concurrent tests before their test_start event: wrapped at definition instead.
      ['Jest 28: concurrent test that leaks fails', at('28-concurrent'), 'Created at'],
    ];
    for (const [title, where, phase] of leaky) {
      const result = run.test(title);
      assert.equal(result.status, 'failed', title);
      const message = result.failureMessages.join('\n');
      assert.match(message, /1 interval/);
      assert.ok(message.includes(`${phase} ${where}:`), message);
    }
    assert.equal(run.test('Jest 28: clean test passes').status, 'passed');
    assert.equal(run.test('Jest 28: concurrent test alongside it passes').status, 'passed');
  });

  test('a beforeAll leak fails the file', () => {
    const file = run.file('smoke.test.js');
    assert.match(file.message, /Test suite failed to run/);
    assert.ok(file.message.includes(`Created in the beforeAll hook at ${at('28-beforeAll')}:`), file.message);
  });

  test("Jest 28's own jsdom environment, wrapped with withLooseEnds", () => {
    assert.equal(run.test('Jest 28 jsdom: runs in jest-environment-jsdom 28').status, 'passed', run.output);
    const result = run.test('Jest 28 jsdom: window interval never cleared fails');
    assert.equal(result.status, 'failed', run.output);
    const message = result.failureMessages.join('\n');
    // jsdom implements window timers with Node timeouts it reschedules.
    assert.match(message, /1 timeout/);
    const where = markerLine('jest28/tests/dom.test.js', '28-dom-interval');
    assert.ok(message.includes(`Created at ${where}:`), message);
    assert.equal(run.test('Jest 28 jsdom: cleared window interval passes').status, 'passed');
  });

  test('the reporter prints the summary line', () => {
    assert.match(
      run.output,
      /^loose-ends: 4 of 8 tests and 1 test file \(module scope or before-all hooks\) left 5 async tasks running \(3 intervals, 1 timeout, 1 server\)\.$/m,
    );
  });
});
