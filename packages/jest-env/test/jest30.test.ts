import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { leakLine, leakSite } from '@loose-ends-fixtures/leak-site';
import type { JestRun } from './run-jest.js';
import { fixturesDirectory, runJest } from './run-jest.js';

const at = (file: string, site: string) =>
  leakSite(`tests/${file}`, site, { root: path.join(fixturesDirectory, 'jest30') });

function assertLeak(run: JestRun, title: string, kind: RegExp, where: string, phase = 'Created at'): void {
  const result = run.test(title);
  assert.equal(result.status, 'failed', `"${title}" should fail\n${run.output}`);
  const message = result.failureMessages.join('\n');
  assert.match(message, /AsyncLeakError/);
  assert.match(message, kind);
  assert.ok(
    message.includes(`${phase} ${where}:`),
    `"${title}" should say "${phase} ${where}:…"\n${message}`,
  );
}

function assertPasses(run: JestRun, title: string): void {
  assert.equal(
    run.test(title).status,
    'passed',
    `"${title}" should pass\n${run.test(title).failureMessages.join('\n')}`,
  );
}

describe('Jest 30, two workers: every behaviour in one run', () => {
  let run: JestRun;
  before(() => {
    run = runJest('jest30', ['-w', '2']);
  });

  test('the run fails, and only because of leaks', () => {
    assert.equal(run.status, 1, run.output);
    assert.doesNotMatch(run.output, /Internal error/);
  });

  test('a leak from beforeEach fails the test and names the hook', () => {
    assertLeak(
      run,
      'interval started in beforeEach and never cleared fails',
      /1 interval/,
      at('timers.test.js', 'beforeEach-interval'),
      'Created in the beforeEach hook at',
    );
    assertPasses(run, 'interval started in beforeEach and cleared in afterEach passes');
  });

  test('timers left by the test body fail that test with kind and creation line', () => {
    assertLeak(
      run,
      'interval never cleared fails',
      /setInterval every 1000 ms/,
      at('timers.test.js', 'body-interval'),
    );
    assertLeak(
      run,
      'floating promise waiting on a timer fails',
      /setTimeout for 60000 ms/,
      at('timers.test.js', 'floating-timeout'),
    );
    assertLeak(run, 'done-style test that leaks fails', /1 interval/, at('timers.test.js', 'done-interval'));
    assertPasses(run, 'awaited timeout passes');
    assertPasses(run, 'done-style test that finishes passes');
  });

  test("Jest's own formatter draws the code frame at the creation line", () => {
    const line = leakLine('tests/timers.test.js', 'body-interval', {
      root: path.join(fixturesDirectory, 'jest30'),
    });
    const frame = `> ${line} |   leak(setInterval(() => {}, 1000)); // LEAK: body-interval`;
    assert.ok(run.output.includes(frame), `expected "${frame}" in:\n${run.output}`);
  });

  test('a test that times out reports its leftovers next to the timeout', () => {
    const result = run.test('test timing out while waiting on a timer reports the timer too');
    assert.equal(result.status, 'failed');
    const message = result.failureMessages.join('\n');
    assert.match(message, /Exceeded timeout of 300 ms/);
    assert.ok(message.includes(`Created at ${at('timers.test.js', 'timeout-timer')}:`), message);
  });

  test('opting out from test code works (allowLeaks, leakAllowed) and a docblock turns a file off', () => {
    assertPasses(run, 'allowLeaks() opts this test out');
    assertPasses(run, 'leakAllowed() opts this test out');
    assert.equal(run.file('opted-out-file.test.js').status, 'passed');
    assertPasses(run, 'leaks in a file with detection off pass');
    assertPasses(run, 'allowLeaks() in a file with detection off does nothing');
  });

  test('fake timers (modern and legacy) create nothing real and nothing is invented', () => {
    assertPasses(run, 'modern fake timers create nothing real');
    assertPasses(run, 'legacy fake timers create nothing real');
  });

  test('wrapped tests keep this, arity and generator functions', () => {
    assertPasses(run, 'function tests see what beforeEach set on this');
    assertPasses(run, 'generator tests are left alone and still run');
  });

  test('servers, client sockets and child processes are reported; their clean twins pass', () => {
    // The server's handle is created inside the fixture's listen() helper: the report starts there.
    assertLeak(
      run,
      'server never closed fails',
      /http\.Server listening on 127\.0\.0\.1:\d+/,
      'tests/network.test.js',
    );
    assertLeak(run, 'socket left open fails', /1 socket/, at('network.test.js', 'socket'));
    assertLeak(run, 'child process not killed fails', /1 child process/, at('network.test.js', 'child'));
    assertPasses(run, 'server closed passes');
    assertPasses(run, 'socket destroyed passes');
    assertPasses(run, 'child process awaited passes');
  });

  test('test.concurrent: each test is judged on its own resources', () => {
    assertLeak(
      run,
      'concurrent test that leaks fails',
      /1 interval/,
      at('concurrent.test.js', 'concurrent-interval'),
    );
    assertLeak(
      run,
      'another concurrent test that leaks a timeout fails',
      /1 timeout/,
      at('concurrent.test.js', 'concurrent-timeout'),
    );
    assertPasses(run, 'concurrent test running alongside it passes');
  });

  test('module scope and beforeAll leaks fail the file, naming where they began', () => {
    const file = run.file('file-scope.test.js');
    assert.equal(file.status, 'failed');
    assert.match(file.message, /Test suite failed to run/);
    assert.match(
      file.message,
      /The module scope and before-all hooks of tests\/file-scope\.test\.js left 2 async tasks/,
    );
    assert.ok(
      file.message.includes(`Created in the module scope at ${at('file-scope.test.js', 'module-interval')}:`),
    );
    assert.ok(
      file.message.includes(
        `Created in the beforeAll hook at ${at('file-scope.test.js', 'beforeAll-server')}:`,
      ),
    );
    assertPasses(run, 'a clean test in a file whose module scope leaks passes');
  });

  test('jest.retryTimes: a leaking attempt counts as failed and is retried', () => {
    const retried = run.test('leaking attempt is retried and the clean retry passes');
    assert.equal(retried.status, 'passed');
    assert.equal(retried.invocations, 2);
    const always = run.test('leaking on every attempt fails');
    assert.equal(always.status, 'failed');
    assert.equal(always.invocations, 2);
  });

  test('the jsdom flavour and a custom environment wrapped with withLooseEnds', () => {
    assertLeak(
      run,
      'jsdom: window interval never cleared fails',
      /1 timeout/,
      at('dom.test.js', 'dom-interval'),
    );
    assertPasses(run, 'jsdom: cleared interval passes');
    assertPasses(run, 'custom environment: its own setup still runs');
    assertLeak(
      run,
      'custom environment: interval never cleared fails',
      /1 interval/,
      at('custom.test.js', 'custom-interval'),
    );
  });

  test('the reporter prints one summary line for the whole run, across workers', () => {
    const lines = run.output.split('\n').filter((line) => line.startsWith('loose-ends:'));
    assert.equal(lines.length, 1, run.output);
    // Jest's 32 tests less the 2 of the file switched off; each retried test counted once, by its
    // last attempt, as Jest counts it; both first attempts in retry.test.js leaked.
    assert.match(run.output, /^Tests: +13 failed, 19 passed, 32 total$/m);
    assert.equal(
      lines[0],
      'loose-ends: 13 of 30 tests and 1 test file (module scope or before-all hooks) left 15 async tasks running (7 intervals, 4 timeouts, 2 servers, 1 socket, 1 child process). Each test is counted by its last attempt; 2 attempts that were retried also left work running.',
    );
  });
});

describe('Jest 30 in band with --detectOpenHandles', () => {
  test('same verdicts, no crash, and Jest exits on its own', () => {
    const run = runJest('jest30', [
      '--runInBand',
      '--detectOpenHandles',
      'tests/timers.test.js',
      'tests/concurrent.test.js',
    ]);
    assert.equal(run.status, 1, run.output);
    assert.equal(run.files.length, 2);
    assertLeak(run, 'interval never cleared fails', /1 interval/, at('timers.test.js', 'body-interval'));
    assertLeak(
      run,
      'concurrent test that leaks fails',
      /1 interval/,
      at('concurrent.test.js', 'concurrent-interval'),
    );
    assertPasses(run, 'concurrent test running alongside it passes');
    assertPasses(run, 'interval started in beforeEach and cleared in afterEach passes');
    assert.doesNotMatch(run.output, /Internal error/);
  });
});

describe('options', () => {
  test('an invalid option fails each file with an error naming the option and the accepted values', () => {
    const config = JSON.stringify({
      testEnvironment: '@loose-ends/jest-env',
      testEnvironmentOptions: { looseEnds: { mode: 'loud' } },
    });
    const run = runJest('jest30', ['--config', config, 'tests/timers.test.js']);
    assert.equal(run.status, 1);
    assert.match(
      run.output,
      /option "mode" in testEnvironmentOptions\.looseEnds .* must be one of "fail", "warn", "off"; got "loud"/,
    );
  });

  test('LOOSE_ENDS_MODE=off checks nothing, and allowLeaks() in a test does nothing', () => {
    const run = runJest(
      'jest30',
      ['tests/timers.test.js', '-t', 'opts this test out|interval never cleared fails'],
      {
        LOOSE_ENDS_MODE: 'off',
      },
    );
    assert.equal(run.status, 0, run.output);
    for (const title of [
      'allowLeaks() opts this test out',
      'leakAllowed() opts this test out',
      'interval never cleared fails',
    ]) {
      assertPasses(run, title);
    }
    assert.doesNotMatch(run.output, /AsyncLeakError|loose-ends:/);
  });

  test('LOOSE_ENDS_MODE overrides the mode: warn prints the report and lets the test pass', () => {
    const run = runJest('jest30', ['tests/timers.test.js', '-t', 'interval never cleared fails'], {
      LOOSE_ENDS_MODE: 'warn',
    });
    assert.equal(run.status, 0, run.output);
    assertPasses(run, 'interval never cleared fails');
    assert.match(run.output, /Test "interval never cleared fails" left 1 async task running: 1 interval/);
  });
});
