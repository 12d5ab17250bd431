import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { leakLine, leakSite } from '@loose-ends-fixtures/leak-site';
import type { MochaRun } from './run-mocha.js';
import { describeRun, FIXTURES, failureDetail, runMocha } from './run-mocha.js';

const project = path.join(FIXTURES, 'cjs');
const at = (file: string, site: string, call?: string) => leakSite(file, site, { root: project, call });
const MODULE_SCOPE_INTERVAL = at('test/file-scope.spec.cjs', 'module-scope', 'setInterval');

const LEAKY = [
  'leaky: forgets clearInterval',
  'leaky: server never closed',
  'leaky: done test leaves a timeout',
  'leaky: child process not killed',
  'leaky: interval set up in beforeEach',
];
const CLEAN = [
  'clean: clears its timer',
  'clean: closes its server',
  'clean: done callback from a timer',
  'clean: kills its child process',
  'clean: interval from beforeEach cleared in afterEach',
  'clean: uses the server from before()',
  'opted out by title @allow-leaks',
  'opted out with allowLeaks()',
];

describe('Mocha 11, CommonJS specs, serial run', () => {
  let run: MochaRun;
  before(async () => {
    run = await runMocha(project);
  });

  it('lists each leaking test once, as failed, and never as passing', () => {
    for (const title of LEAKY) {
      assert.equal(run.failed.filter((t) => t === title).length, 1, `${title}\n${describeRun(run)}`);
      assert.ok(!run.passed.includes(title), `${title} also listed as passing\n${describeRun(run)}`);
    }
  });

  it('passes clean tests, including the opted-out ones', () => {
    for (const title of CLEAN) assert.ok(run.passed.includes(title), `${title}\n${describeRun(run)}`);
  });

  it('counts each failure once in the totals and in the exit code', () => {
    // 5 leaky tests, 1 test failing on its own, 1 file-scope check.
    assert.deepEqual(run.totals, { passing: CLEAN.length, failing: 7, pending: 0 }, describeRun(run));
    assert.equal(run.code, 7, describeRun(run));
  });

  it('names the resource kind, the creation file:line and draws a code frame', () => {
    const interval = failureDetail(run, 'leaky: forgets clearInterval');
    assert.match(interval, /left 1 async task running: 1 interval\./);
    assert.ok(
      interval.includes(`Created at ${at('test/tests.spec.cjs', 'interval', 'setInterval')}`),
      interval,
    );
    const frameLine = leakLine('test/tests.spec.cjs', 'interval', { root: project });
    assert.match(interval, new RegExp(`> ${frameLine} \\|\\s+setInterval\\(\\(\\) => \\{\\}, 1000\\);`));
    const server = failureDetail(run, 'leaky: server never closed');
    assert.match(server, /left 1 async task running: 1 server\./);
    assert.ok(server.includes(`Created at ${at('test/tests.spec.cjs', 'server')}:`), server);
    const child = failureDetail(run, 'leaky: child process not killed');
    assert.match(child, /left 1 async task running: 1 child process\./);
    assert.ok(child.includes(`Created at ${at('test/tests.spec.cjs', 'child-process', 'spawn')}`), child);
  });

  it('does not blame the runner continuation after done() on the test', () => {
    const detail = failureDetail(run, 'leaky: done test leaves a timeout');
    assert.match(detail, /left 1 async task running: 1 timeout\./);
    assert.match(detail, /setTimeout for 20000 ms/);
  });

  it('blames a leak set up in a suite beforeEach on the test, saying where it began', () => {
    const detail = failureDetail(run, 'leaky: interval set up in beforeEach');
    const where = at('test/tests.spec.cjs', 'beforeEach', 'setInterval');
    assert.ok(detail.includes(`Created in the beforeEach hook at ${where}`), detail);
  });

  it('keeps a test failing for its own reason once, and reports its leak as a note', () => {
    assert.equal(run.failed.filter((t) => t === 'fails on its own and leaks').length, 1, describeRun(run));
    assert.match(failureDetail(run, 'fails on its own and leaks'), /Error: own failure/);
    assert.match(
      run.stderr,
      /This test also failed on its own; in addition: Test "per test > fails on its own and leaks"/,
    );
  });

  it('reports module-scope and before() leaks after the after() hooks, once, naming the file', () => {
    const detail = failureDetail(run, 'loose-ends: module scope and before/after hooks');
    assert.match(
      detail,
      /module scope and before-all hooks of test\/file-scope\.spec\.cjs left 2 async tasks/,
    );
    assert.ok(detail.includes(`Created in the module scope at ${MODULE_SCOPE_INTERVAL}`), detail);
    const before = at('test/file-scope.spec.cjs', 'before', 'setInterval');
    assert.ok(detail.includes(`Created in the beforeAll hook at ${before}`), detail);
    // The server closed by after() is not reported.
    assert.doesNotMatch(detail, /Server listening|server is still/);
  });

  it('prints one summary line at the end, by kind', () => {
    // Notes start with `loose-ends:` too; the summary is the line that counts tests.
    const lines = run.stderr
      .split('\n')
      .filter((line) => /^loose-ends: (\d+ of \d+ tests|no async work)/.test(line));
    assert.deepEqual(
      lines,
      [
        'loose-ends: 6 of 14 tests and 1 test file (module scope or before-all hooks) left 8 async tasks running (5 intervals, 1 timeout, 1 server, 1 child process).',
      ],
      describeRun(run),
    );
  });
});

describe('Mocha 11, programmatic run (spec files loaded by the synchronous loadFiles)', () => {
  it('attributes module-scope work to its file, one file at a time', async () => {
    const run = await runMocha(project, [], { script: 'extra/programmatic.cjs' });
    const detail = failureDetail(run, 'loose-ends: module scope and before/after hooks');
    assert.match(
      detail,
      /module scope and before-all hooks of test\/file-scope\.spec\.cjs left 2 async tasks/,
      describeRun(run),
    );
    assert.ok(detail.includes(`Created in the module scope at ${MODULE_SCOPE_INTERVAL}`), detail);
    assert.doesNotMatch(detail, /clean\.spec\.cjs/);
    assert.equal(run.totals.passing, 4, describeRun(run));
    assert.equal(run.code, 1, describeRun(run));
  });
});
