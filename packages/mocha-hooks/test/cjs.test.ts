import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { leakLine, leakSite } from '@loose-ends-fixtures/leak-site';
import type { MochaRun } from './run-mocha.js';
import { describeRun, FIXTURES, failureDetail, runMocha } from './run-mocha.js';

const project = path.join(FIXTURES, 'cjs');
const at = (file: string, site: string, call?: string) => leakSite(file, site, { root: project, call });
const MODULE_SCOPE_INTERVAL = at('test/file-scope.spec.cjs', 'module-scope', 'setInterval');

/**
 * The tests that fail for what they left running: the kind their report names, and where it began
 * (the `// LEAK: <site>` line of test/tests.spec.cjs, at the column of `call`). A new leaky test in
 * the fixture is one entry here.
 */
const LEAKY = [
  { title: 'leaky: forgets clearInterval', kind: 'interval', site: 'interval', call: 'setInterval' },
  { title: 'leaky: server never closed', kind: 'server', site: 'server', call: 'listen' },
  // Also: the runner continuation after done() is not blamed on the test (1 timeout, not 2).
  { title: 'leaky: done test leaves a timeout', kind: 'timeout', site: 'done-timeout', call: 'setTimeout' },
  { title: 'leaky: child process not killed', kind: 'child process', site: 'child-process', call: 'spawn' },
  {
    title: 'leaky: interval set up in beforeEach',
    kind: 'interval',
    site: 'beforeEach',
    call: 'setInterval',
    created: 'Created in the beforeEach hook at',
  },
];
/** Failures that are not one leaky test's: the test failing on its own, and the file-scope check. */
const OTHER_FAILURES = 2;
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

  for (const { title, kind, site, call, created = 'Created at' } of LEAKY) {
    it(`fails once, never listed as passing, naming the ${kind} and where it began: ${title}`, () => {
      assert.equal(run.failed.filter((t) => t === title).length, 1, `${title}\n${describeRun(run)}`);
      assert.ok(!run.passed.includes(title), `${title} also listed as passing\n${describeRun(run)}`);
      const detail = failureDetail(run, title);
      assert.ok(detail.includes(`left 1 async task running: 1 ${kind}.`), detail);
      const where = `${created} ${at('test/tests.spec.cjs', site, call)}`;
      assert.ok(detail.includes(where), `expected "${where}" in:\n${detail}`);
    });
  }

  it('passes clean tests, including the opted-out ones', () => {
    for (const title of CLEAN) assert.ok(run.passed.includes(title), `${title}\n${describeRun(run)}`);
  });

  it('counts each failure once in the totals and in the exit code', () => {
    const failing = LEAKY.length + OTHER_FAILURES;
    assert.deepEqual(run.totals, { passing: CLEAN.length, failing, pending: 0 }, describeRun(run));
    assert.equal(run.code, failing, describeRun(run));
  });

  it("draws a code frame at the creation line, and names a timer's delay", () => {
    const interval = failureDetail(run, 'leaky: forgets clearInterval');
    const frameLine = leakLine('test/tests.spec.cjs', 'interval', { root: project });
    assert.match(interval, new RegExp(`> ${frameLine} \\|\\s+setInterval\\(\\(\\) => \\{\\}, 1000\\);`));
    assert.match(failureDetail(run, 'leaky: done test leaves a timeout'), /setTimeout for 20000 ms/);
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
