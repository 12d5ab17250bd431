import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { leakSite } from '@loose-ends-fixtures/leak-site';
import type { VitestRun } from './helpers.js';
import { describeRun, FIXTURES, failedTests, runVitest, VITEST_PACKAGE } from './helpers.js';

const FIXTURE = 'variants';
const at = (file: string, site: string, call?: string) =>
  leakSite(file, site, { root: path.join(FIXTURES, FIXTURE), call });
const LEAKY = ['beta leaky server', 'alpha leaky interval'];
const ASSERTION_FAILURE = 'alpha failing assertion keeps its own failure';

/** The same verdicts whatever the pool, isolation or project layout. */
function assertVerdicts(run: VitestRun): void {
  assert.equal(run.status, 1, describeRun(run));
  assert.deepEqual(failedTests(run), [...LEAKY, ASSERTION_FAILURE].sort(), describeRun(run));
  const interval = run.tests.get('alpha leaky interval')?.failureMessages.join('\n') ?? '';
  assert.match(interval, /left 1 async task running: 1 interval/);
  assert.ok(interval.includes(`Created at ${at('test/alpha.test.js', 'alpha')}:`), interval);
  const server = run.tests.get('beta leaky server')?.failureMessages.join('\n') ?? '';
  assert.match(server, /left 1 async task running: 1 server/);
  assert.ok(server.includes(`Created at ${at('test/beta.test.js', 'beta')}:`), server);
  const own = run.tests.get(ASSERTION_FAILURE)?.failureMessages.join('\n') ?? '';
  assert.match(own, /expected 1 to be 2/, 'the test keeps its own failure');
  assert.match(own, /left 1 async task running: 1 interval/, 'and what it left is reported next to it');
  assert.equal(run.tests.get('alpha clean')?.status, 'passed');
  assert.equal(run.tests.get('beta clean')?.status, 'passed');
  assertModuleScopeLeak(run);
}

/** beta's module body starts an interval it never stops: reported for beta, never for alpha. */
function assertModuleScopeLeak(run: VitestRun): void {
  const beta = run.files.find((f) => f.name.endsWith('beta.test.js'));
  assert.match(
    beta?.message ?? '',
    /The module scope and before-all hooks of test\/beta\.test\.js left 1 async task running: 1 interval/,
    describeRun(run),
  );
  const where = at('test/beta.test.js', 'module-beta', 'setInterval');
  assert.ok(beta?.message.includes(`Created in the module scope at ${where}`), beta?.message);
  const alpha = run.files.find((f) => f.name.endsWith('alpha.test.js'));
  assert.doesNotMatch(alpha?.message ?? '', /module scope/, describeRun(run));
}

const SUMMARY =
  'loose-ends: 3 of 5 tests and 1 test file (module scope or before-all hooks) left 4 async tasks running (3 intervals, 1 server).';

describe(`pools, isolation and Vitest's own leak detection (${VITEST_PACKAGE}, Node ${process.versions.node})`, () => {
  for (const args of [
    ['--pool=threads'],
    ['--pool=vmThreads'],
    ['--pool=vmForks'],
    // One worker for both files: the setup module is evaluated per file, the hook must stay single.
    ['--no-isolate', '--maxWorkers=1'],
    ['--detectAsyncLeaks'],
  ]) {
    test(`${args.join(' ')}: the leaky tests fail, the rest pass, one summary line`, () => {
      const run = runVitest(FIXTURE, args);
      assertVerdicts(run);
      assert.equal(run.stdout.split(SUMMARY).length - 1, 1, describeRun(run));
    });
  }

  test('projects: each with the plugin, one summary line for the run', () => {
    const run = runVitest(FIXTURE, ['--config', 'vitest.projects.config.js']);
    assertVerdicts(run);
    assert.equal(run.stdout.split(SUMMARY).length - 1, 1, describeRun(run));
  });
});

describe('options', () => {
  test('LOOSE_ENDS_MODE=warn prints the report and fails nothing', () => {
    const run = runVitest(FIXTURE, [], { LOOSE_ENDS_MODE: 'warn' });
    assert.equal(run.status, 1, 'only the assertion failure fails the run');
    assert.deepEqual(failedTests(run), [ASSERTION_FAILURE], describeRun(run));
    assert.match(
      run.output,
      /loose-ends: warning: Test "alpha leaky interval" left 1 async task running: 1 interval/,
    );
    assert.match(
      run.output,
      /loose-ends: warning: Test "beta leaky server" left 1 async task running: 1 server/,
    );
    assert.match(
      run.output,
      /loose-ends: warning: The module scope and before-all hooks of test\/beta\.test\.js left 1 async task running: 1 interval/,
    );
  });

  test('LOOSE_ENDS_MODE=off skips detection', () => {
    const run = runVitest(FIXTURE, [], { LOOSE_ENDS_MODE: 'off' });
    assert.deepEqual(failedTests(run), [ASSERTION_FAILURE], describeRun(run));
    assert.doesNotMatch(run.output, /AsyncLeakError|loose-ends:/);
  });

  test('the raw setup module works without the plugin, with options from test.provide', () => {
    const run = runVitest(FIXTURE, ['--config', 'vitest.raw.config.js']);
    assert.equal(run.status, 1, describeRun(run));
    // ignoreTypes: ['server'] in provide: the server leak is not reported.
    assert.deepEqual(failedTests(run), ['alpha leaky interval', ASSERTION_FAILURE].sort(), describeRun(run));
    // Module scope needs the plugin's transform: without it, beta's module-scope interval goes unseen.
    assert.doesNotMatch(run.output, /module scope/, describeRun(run));
  });

  test('a bad option stops the run with the option, where it lives and the accepted values', () => {
    const run = runVitest(FIXTURE, ['--config', 'vitest.bad.config.js']);
    assert.notEqual(run.status, 0, describeRun(run));
    assert.match(
      run.output,
      /LooseEndsOptionsError: loose-ends: option "mode" in looseEnds\(\) options in your Vitest config must be one of "fail", "warn", "off"; got "loud"\./,
      describeRun(run),
    );
  });
});

describe('Vitest older than 4.1', () => {
  test('says once that detection is off and why, and the run goes on', () => {
    const run = runVitest('old-vitest', [], {}, 'vitest');
    assert.equal(run.status, 0, describeRun(run));
    assert.equal(
      run.output.split('Leak detection is OFF: Vitest 4.0.18 has no aroundEach').length - 1,
      1,
      run.output,
    );
    assert.match(run.output, /npm install -D vitest@\^4\.1/);
    assert.equal(run.tests.get('runs even though detection is off')?.status, 'passed');
  });
});
