import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { leakSite } from '@loose-ends-fixtures/leak-site';
import type { VitestRun } from './helpers.js';
import { describeRun, FIXTURES, failedTests, runVitest, VITEST_PACKAGE } from './helpers.js';

const FIXTURE = 'basic';
const at = (file: string, site: string, call?: string) =>
  leakSite(file, site, { root: path.join(FIXTURES, FIXTURE), call });

/** Every test the fixture expects to fail, with the kind its message must name and its `// LEAK: <site>`. */
const LEAKY: Record<string, { file: string; label: string; site: string; phase?: string }> = {
  'leaky interval': { file: 'test/leaks.test.js', label: '1 interval', site: 'interval' },
  'leaky server': { file: 'test/leaks.test.js', label: '1 server', site: 'server' },
  'leaky socket': { file: 'test/leaks.test.js', label: 'socket', site: 'socket' },
  'leaky child process': { file: 'test/leaks.test.js', label: '1 child process', site: 'child-process' },
  'leaky floating promise on a timer': { file: 'test/leaks.test.js', label: '1 timeout', site: 'timeout' },
  'a leak set up in beforeEach leaks through its beforeEach': {
    file: 'test/leaks.test.js',
    label: '1 interval',
    site: 'beforeEach',
    phase: 'beforeEach hook',
  },
  'leaky despite allowing another kind': {
    file: 'test/leaks.test.js',
    label: '1 timeout',
    site: 'allow-other',
  },
  'leaky ts poller': { file: 'test/modes.test.ts', label: '1 interval', site: 'ts' },
  'concurrent tests leaky concurrent': {
    file: 'test/modes.test.ts',
    label: '1 interval',
    site: 'concurrent',
  },
  'leaky test in a file with module-scope work': {
    file: 'test/module-scope.test.js',
    label: '1 interval',
    site: 'module-file-test',
  },
};

describe(`vitest run on a JS + TS fixture (${VITEST_PACKAGE}, Node ${process.versions.node})`, () => {
  let run: VitestRun;
  before(() => {
    run = runVitest(FIXTURE);
  });

  test('the run fails, and exactly the leaky tests fail', () => {
    assert.equal(run.status, 1, describeRun(run));
    assert.deepEqual(failedTests(run), Object.keys(LEAKY).sort(), describeRun(run));
  });

  test('clean tests, opted-out tests, retried and concurrent tests pass', () => {
    const passed = [...run.tests.values()].filter((t) => t.status === 'passed').map((t) => t.title);
    for (const title of [
      'clean: interval cleared',
      'clean: server closed',
      'clean: child process awaited',
      'clean: hooks clean up',
      'clean: sees its own context in beforeEach',
      'clean: the cleanup returned by beforeEach ran before this one',
      'clean: inherits the opt-out',
      'clean: opted out by test meta',
      'clean: opted out by the allow-leaks tag',
      'clean: opted out with allowLeaks()',
      'clean: ts poller stopped',
      'clean: concurrent waits',
      'clean: concurrent clears',
      'clean: fake timers never create real ones',
      'clean: fake timers left installed do not hang the check',
      'clean: a retried test is judged on its last attempt',
      'clean: repeats are each checked',
      'clean: uses the module-scope server',
      'clean: module-scope poller stopped in afterAll',
      'clean: a test in a file whose first line is code',
    ]) {
      assert.ok(passed.includes(title), `"${title}" should pass\n${describeRun(run)}`);
    }
  });

  test('each failure names the resource kind, the hook it began in and the creation file:line (source-mapped for TS)', () => {
    for (const [fullName, expected] of Object.entries(LEAKY)) {
      const result = run.tests.get(fullName);
      assert.ok(result, `no result for "${fullName}"\n${describeRun(run)}`);
      const message = result.failureMessages.join('\n');
      assert.match(message, /AsyncLeakError: Test ".*" left \d+ async tasks? running/, message);
      assert.ok(
        message.includes(expected.label),
        `"${fullName}" should name "${expected.label}":\n${message}`,
      );
      const where = at(expected.file, expected.site);
      const created = expected.phase === undefined ? 'Created at' : `Created in the ${expected.phase} at`;
      assert.ok(
        message.includes(`${created} ${where}:`),
        `"${fullName}" should point at ${where}:\n${message}`,
      );
    }
  });

  test('Vitest draws its code frame at the creation line', () => {
    const where = at('test/modes.test.ts', 'ts');
    assert.match(
      run.output,
      new RegExp(`❯ startPolling ${where.replace(/[.]/g, '\\.')}:\\d+`),
      describeRun(run),
    );
    assert.match(
      run.output,
      /\|\s+const handle: ReturnType<typeof setInterval> = setInterval/,
      describeRun(run),
    );
  });

  test('a beforeAll leak still alive after afterAll is reported for the file', () => {
    const file = run.files.find((f) => f.name.endsWith('modes.test.ts'));
    assert.ok(file, describeRun(run));
    assert.equal(file.status, 'failed');
    assert.match(
      file.message,
      /The module scope and before-all hooks of test\/modes\.test\.ts left 1 async task/,
    );
    const where = at('test/modes.test.ts', 'beforeAll');
    assert.ok(file.message.includes(where), `${where} expected in:\n${file.message}`);
    const other = run.files.find((f) => f.name.endsWith('leaks.test.js'));
    assert.doesNotMatch(other?.message ?? '', /module scope/, 'leaks.test.js leaks nothing at file scope');
  });

  test("work started by a test file's module body and still alive after afterAll is reported for the file", () => {
    const file = run.files.find((f) => f.name.endsWith('module-scope.test.js'));
    assert.ok(file, describeRun(run));
    assert.equal(file.status, 'failed', describeRun(run));
    assert.match(
      file.message,
      /The module scope and before-all hooks of test\/module-scope\.test\.js left 1 async task running: 1 interval/,
    );
    const where = at('test/module-scope.test.js', 'module-body', 'setInterval');
    assert.ok(
      file.message.includes(`Created in the module scope at ${where}`),
      `${where} expected in:\n${file.message}`,
    );
    // The server it started at module scope (after a top-level await) and closed in afterAll is not reported.
    assert.doesNotMatch(file.message, /server/);
    // Vitest's code frame is drawn at that line of the test file.
    assert.match(run.output, new RegExp(`❯ ${where.replace(/[.]/g, '\\.')}\\n`), describeRun(run));
  });

  test('a creation on the first line, where the plugin adds its call, keeps its exact column', () => {
    const file = run.files.find((f) => f.name.endsWith('first-line.test.js'));
    assert.ok(file, describeRun(run));
    const where = at('test/first-line.test.js', 'first-line', 'setInterval');
    assert.match(
      file.message,
      new RegExp(`Created in the module scope at ${where.replace(/[.]/g, '\\.')}(?!\\d)`),
      `${where} expected in:\n${file.message}`,
    );
  });

  test('module-scope work stopped in afterAll is clean, also in a file without imports', () => {
    const file = run.files.find((f) => f.name.endsWith('module-clean.test.js'));
    assert.ok(file, describeRun(run));
    assert.equal(file.status, 'passed', `${file.message}\n${describeRun(run)}`);
    assert.doesNotMatch(run.output, /module-clean\.test\.js left/, describeRun(run));
  });

  test('one summary line ends the run, with counts by kind', () => {
    assert.match(
      run.stdout,
      // The retried test leaked in its first attempt only: it counts by its last, and the leak apart.
      /loose-ends: 10 of 30 tests and 3 test files \(module scope or before-all hooks\) left 14 async tasks running \(8 intervals, 2 timeouts, 2 sockets, 1 server, 1 child process\)\. Each test is counted by its last attempt; 1 attempt that was retried also left work running\./,
      describeRun(run),
    );
  });
});

describe('with globals: true, options reach the setup file without it importing vitest', () => {
  test("looseEnds({ mode: 'warn' }) reports the leaks and fails nothing", () => {
    const run = runVitest(FIXTURE, ['--config', 'vitest.warn.config.js']);
    assert.equal(run.status, 0, describeRun(run));
    assert.deepEqual(failedTests(run), [], describeRun(run));
    assert.match(run.output, /loose-ends: .*leaky interval/, describeRun(run));
    assert.match(run.stdout, /loose-ends: 7 of 17 tests left 8 async tasks running/, describeRun(run));
  });
});
