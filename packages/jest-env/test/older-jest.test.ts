import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { leakSite } from '@loose-ends-fixtures/leak-site';
import type { JestRun } from './run-jest.js';
import { fixturesDirectory, runJest } from './run-jest.js';

// Jest 28 and 29 run the same test files (fixtures/jest-smoke), each from its own fixture project.
const SMOKE = path.join(fixturesDirectory, 'jest-smoke');

/** `/…/jest-smoke/smoke.test.js:9`: outside the fixture that runs it, so reports name it absolutely. */
const at = (file: string, site: string) => leakSite(path.join(SMOKE, file), site);

for (const major of [28, 29]) {
  describe(`Jest ${major} smoke`, () => {
    let run: JestRun;
    before(() => {
      run = runJest(`jest${major}`);
    });

    test('leaking tests fail with kind and creation line; clean ones pass', () => {
      assert.equal(run.status, 1, run.output);
      const leaky: [string, string, string][] = [
        [
          `Jest ${major}: interval from beforeEach never cleared fails`,
          at('smoke.test.js', 'beforeEach'),
          'Created in the beforeEach hook at',
        ],
        [`Jest ${major}: interval never cleared fails`, at('smoke.test.js', 'body'), 'Created at'],
        // These Jests start concurrent tests before their test_start event: wrapped at definition instead.
        [`Jest ${major}: concurrent test that leaks fails`, at('smoke.test.js', 'concurrent'), 'Created at'],
      ];
      for (const [title, where, phase] of leaky) {
        const result = run.test(title);
        assert.equal(result.status, 'failed', title);
        const message = result.failureMessages.join('\n');
        assert.match(message, /1 interval/);
        assert.ok(message.includes(`${phase} ${where}:`), message);
      }
      assert.equal(run.test(`Jest ${major}: clean test passes`).status, 'passed');
      assert.equal(run.test(`Jest ${major}: concurrent test alongside it passes`).status, 'passed');
    });

    test('a beforeAll leak fails the file', () => {
      const file = run.file('smoke.test.js');
      assert.match(file.message, /Test suite failed to run/);
      const where = at('smoke.test.js', 'beforeAll');
      assert.ok(file.message.includes(`Created in the beforeAll hook at ${where}:`), file.message);
    });

    test(`Jest ${major}'s own jsdom environment, wrapped with withLooseEnds`, () => {
      const own = `Jest ${major} jsdom: runs in its own jest-environment-jsdom`;
      assert.equal(run.test(own).status, 'passed', run.output);
      const result = run.test(`Jest ${major} jsdom: window interval never cleared fails`);
      assert.equal(result.status, 'failed', run.output);
      const message = result.failureMessages.join('\n');
      // jsdom implements window timers with Node timeouts it reschedules.
      assert.match(message, /1 timeout/);
      assert.ok(message.includes(`Created at ${at('dom.test.js', 'dom-interval')}:`), message);
      assert.equal(run.test(`Jest ${major} jsdom: cleared window interval passes`).status, 'passed');
    });

    test('jest.retryTimes: a leaking attempt is retried; a clean retry passes', () => {
      const retried = run.test(`Jest ${major}: leaking attempt is retried and the clean retry passes`);
      assert.equal(retried.status, 'passed', run.output);
      assert.equal(run.test(`Jest ${major}: leaking on every attempt fails`).status, 'failed', run.output);
    });

    test('the reporter prints the summary line, counting tests as Jest does, not attempts', () => {
      assert.match(run.output, /^Tests: +5 failed, 5 passed, 10 total$/m);
      assert.match(
        run.output,
        /^loose-ends: 5 of 10 tests and 1 test file \(module scope or before-all hooks\) left 6 async tasks running \(4 intervals, 1 timeout, 1 server\)\. Each test is counted by its last attempt; 2 attempts that were retried also left work running\.$/m,
      );
    });

    test('an invalid option with the reporter stops the run once before any file runs, suggesting the value meant', () => {
      const config = JSON.stringify({
        roots: ['<rootDir>/../jest-smoke'],
        globals: { JEST_MAJOR: major },
        testEnvironment: '@loose-ends/jest-env',
        reporters: ['default', '@loose-ends/jest-env/reporter'],
        testEnvironmentOptions: { looseEnds: { mode: 'wran' } },
      });
      const invalid = runJest(`jest${major}`, ['--config', config, '--rootDir', '.', 'smoke.test.js']);
      assert.equal(invalid.status, 1, invalid.output);
      assert.equal(
        invalid.output.split('option "mode" in testEnvironmentOptions.looseEnds (Jest config of ').length - 1,
        1,
        invalid.output,
      );
      assert.match(
        invalid.output,
        /must be one of "fail", "warn", "off"; got "wran"\. Did you mean "warn"\?/,
      );
      assert.match(invalid.output, /No test file was run: fix the option and run Jest again\./);
      assert.doesNotMatch(invalid.output, /Test suite failed to run|tests checked/);
    });
  });
}
