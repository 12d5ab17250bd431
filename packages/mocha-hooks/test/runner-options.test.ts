import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { leakSite } from '@loose-ends-fixtures/leak-site';
import { describeRun, FIXTURES, failureDetail, runMocha } from './run-mocha.js';

const project = path.join(FIXTURES, 'cjs');
/** Mocha's arguments with no config file, loading `plugin` (the package, or a module calling configure()). */
const requiring = (plugin: string, ...args: string[]) => ['--no-config', '--require', plugin, ...args];
const plain = (...specs: string[]) => requiring('@loose-ends/mocha-hooks', ...specs);

describe('Mocha options and run modes', () => {
  it('a clean suite exits on its own without --exit, and says it checked', async () => {
    const run = await runMocha(project, plain('extra/clean.spec.cjs'), { timeoutMs: 30_000 });
    assert.equal(run.code, 0, describeRun(run));
    assert.equal(run.totals.passing, 3, describeRun(run));
    assert.match(run.stderr, /loose-ends: no async work left running \(3 tests checked\)\./);
  });

  it('--bail stops after the first leaking test', async () => {
    const run = await runMocha(project, [...plain('test/tests.spec.cjs'), '--bail', '--exit']);
    assert.deepEqual(run.failed, ['leaky: forgets clearInterval'], describeRun(run));
    assert.equal(run.totals.failing, 1, describeRun(run));
    assert.equal(run.code, 1, describeRun(run));
    assert.ok(!run.passed.includes('clean: closes its server'), 'tests after the bail still ran');
  });

  it('.only runs and checks only the selected test', async () => {
    const run = await runMocha(project, [...plain('extra/only.spec.cjs'), '--exit']);
    assert.deepEqual(run.failed, ['leaky: the only test that runs'], describeRun(run));
    assert.deepEqual(run.passed, [], describeRun(run));
    assert.equal(run.code, 1, describeRun(run));
  });

  it('--retries: each attempt is checked on its own; only the leaking retry fails', async () => {
    const run = await runMocha(project, [...plain('extra/retries.spec.cjs'), '--exit']);
    assert.deepEqual(run.failed, ['leaky: fails once, then passes leaving an interval'], describeRun(run));
    assert.deepEqual(
      run.passed,
      ['clean: passes at once', 'clean: fails once, then passes and clears its interval'],
      describeRun(run),
    );
    assert.match(failureDetail(run, 'leaky: fails once'), /left 1 async task running: 1 interval\./);
    assert.equal(run.code, 1, describeRun(run));
  });

  for (const [how, args, env] of [
    ['this.retries(2)', [], { RETRIES_IN_SUITE: '2' }],
    ['--retries 2', ['--retries', '2'], {}],
  ] as const) {
    for (const mode of ['serially', 'with --parallel'] as const) {
      it(`${how}, ${mode}: a leaking attempt is retried, and a clean retry passes`, async () => {
        const parallel = mode === 'serially' ? [] : ['--parallel', '--jobs', '2'];
        const run = await runMocha(
          project,
          [...plain('extra/retry-leak.spec.cjs'), ...args, ...parallel, '--exit'],
          { env },
        );
        assert.deepEqual(
          run.passed,
          ['leaks an interval in attempt 1 only', 'runs after the retried test'],
          describeRun(run),
        );
        assert.deepEqual(run.failed, ['leaks in every attempt'], describeRun(run));
        assert.match(failureDetail(run, 'leaks in every attempt'), /left 1 async task running: 1 interval\./);
        assert.equal(run.code, 1, describeRun(run));
        // Mocha's reporters show nothing of a retried attempt; what it left is said on stderr.
        const retried = run.stderr.match(/loose-ends: A leaking attempt that Mocha retries: Test "([^"]+)"/g);
        assert.deepEqual(
          retried?.map((line) => line.replace(/.*> /, '')),
          ['leaks an interval in attempt 1 only"', 'leaks in every attempt"', 'leaks in every attempt"'],
          describeRun(run),
        );
        assert.match(
          run.stderr,
          /loose-ends: 1 of 3 tests left 1 async task running \(1 interval\)\. Each test is counted by its last attempt; 3 attempts that were retried also left work running\./,
          describeRun(run),
        );
      });
    }
  }

  it('a failing afterEach is reported as itself; the check waits for the outer afterEach hooks', async () => {
    const run = await runMocha(project, [...plain('extra/failing-after-each.spec.cjs'), '--exit']);
    assert.deepEqual(run.passed, ['starts an interval the outer afterEach clears'], describeRun(run));
    assert.deepEqual(
      [...run.failed].sort(),
      [
        '"after each" hook for "starts an interval the outer afterEach clears"',
        'leaky: runs after the failed hook and leaves an interval',
      ],
      describeRun(run),
    );
    assert.match(failureDetail(run, 'leaky: runs after'), /left 1 async task running: 1 interval\./);
    assert.equal(run.code, 2, describeRun(run));
  });

  it('--watch reports on every run, and Ctrl-C leaves no temporary directory behind', async () => {
    const spec = path.join(project, 'extra/leaky.spec.cjs');
    // The summary relay's directory goes under TMPDIR: a fresh one shows whether it was removed.
    const temporary = mkdtempSync(path.join(tmpdir(), 'mocha-watch-tmp-'));
    let touched = false;
    const run = await runMocha(
      project,
      [...plain('extra/leaky.spec.cjs'), '--watch', '--watch-files', 'extra/leaky.spec.cjs'],
      {
        env: { TMPDIR: temporary },
        timeoutMs: 30_000,
        onOutput: (output) => {
          if (!touched && /waiting for changes/.test(output)) {
            touched = true;
            const now = new Date();
            utimesSync(spec, now, now);
          }
        },
        until: /(loose-ends: 1 of 2 tests[\s\S]*){2}waiting for changes/,
      },
    );
    const summaries = run.stderr.match(
      /loose-ends: 1 of 2 tests left 1 async task running \(1 interval\)\./g,
    );
    assert.equal(summaries?.length, 2, describeRun(run));
    assert.equal(run.stdout.match(/1\) leaky: forgets clearInterval/g)?.length, 2, describeRun(run));
    assert.doesNotMatch(run.stdout, /✔ leaky/, describeRun(run));
    const left = readdirSync(temporary);
    rmSync(temporary, { recursive: true, force: true });
    assert.deepEqual(left, [], 'the summary relay directory was left behind');
  });

  it('LOOSE_ENDS_MODE=warn prints the report and fails nothing', async () => {
    const run = await runMocha(project, [...plain('extra/leaky.spec.cjs'), '--exit'], {
      env: { LOOSE_ENDS_MODE: 'warn' },
    });
    assert.equal(run.code, 0, describeRun(run));
    assert.equal(run.totals.passing, 2, describeRun(run));
    assert.match(
      run.stderr,
      /loose-ends: warning: Test "one leak > leaky: forgets clearInterval" left 1 async task/,
    );
    const where = leakSite('extra/leaky.spec.cjs', 'interval', { root: project, call: 'setInterval' });
    assert.ok(run.stderr.includes(`Created at ${where}`), describeRun(run));
  });

  it('LOOSE_ENDS_MODE=off checks nothing, and allowLeaks() in a test does nothing', async () => {
    const run = await runMocha(
      project,
      [
        ...plain('extra/leaky.spec.cjs', 'test/tests.spec.cjs'),
        '--grep',
        'leaky: forgets|allowLeaks\\(\\)',
        '--exit',
      ],
      { env: { LOOSE_ENDS_MODE: 'off' } },
    );
    assert.equal(run.code, 0, describeRun(run));
    assert.ok(run.passed.includes('opted out with allowLeaks()'), describeRun(run));
    assert.equal(run.totals.failing, 0, describeRun(run));
    assert.doesNotMatch(run.stderr, /loose-ends/);
  });

  it("configure({ mode: 'off' }) after loading the plugin leaves allowLeaks() doing nothing too", async () => {
    const run = await runMocha(
      project,
      requiring('./extra/off.cjs', 'test/tests.spec.cjs', '--grep', 'allowLeaks\\(\\)', '--exit'),
    );
    assert.equal(run.code, 0, describeRun(run));
    assert.deepEqual(run.passed, ['opted out with allowLeaks()'], describeRun(run));
    assert.doesNotMatch(run.stderr, /loose-ends/);
  });

  it('a bad LOOSE_ENDS_MODE stops the run with a clear error', async () => {
    const run = await runMocha(project, plain('extra/leaky.spec.cjs'), { env: { LOOSE_ENDS_MODE: 'loud' } });
    assert.notEqual(run.code, 0, describeRun(run));
    assert.match(run.stdout + run.stderr, /LOOSE_ENDS_MODE must be one of "fail", "warn", "off"; got "loud"/);
    assert.equal(run.totals.passing, 0);
  });

  it('a bad option given to configure() names the option and the accepted values', async () => {
    const run = await runMocha(project, requiring('./extra/bad-options.cjs', 'extra/leaky.spec.cjs'));
    assert.notEqual(run.code, 0, describeRun(run));
    assert.match(
      run.stdout + run.stderr,
      /option "mode" in the configure\(\) options of @loose-ends\/mocha-hooks must be one of "fail", "warn", "off"; got "loud"/,
    );
  });

  // The root beforeAll says it, before the first test; the summary claims nothing of tests never checked.
  const NOT_CHECKED = /loose-ends: Tests are NOT checked for leaks in this run: /g;
  for (const [how, args, options, why] of [
    [
      'the Runner cannot be patched (a module required before ours froze it)',
      requiring(
        './extra/hardened.cjs',
        '--require',
        '@loose-ends/mocha-hooks',
        'extra/leaky.spec.cjs',
        '--exit',
      ),
      {},
      /the copy of Mocha at .+ could not be patched \(Cannot add property emit, object is not extensible\)\. Require @loose-ends\/mocha-hooks before any module that freezes Mocha\./,
    ],
    [
      'the tests are run by another copy of Mocha than the patched one',
      [],
      { script: 'extra/other-copy.cjs' },
      /they are run by a copy of Mocha other than the one loose-ends patched \(.+, which require\('mocha'\) finds from the running script\)\. Run them with the mocha CLI, or from a script whose require\('mocha'\) finds the copy that runs them\./,
    ],
  ] as const) {
    it(`when ${how}: runs the tests unchecked and says once why, and what to do`, async () => {
      const run = await runMocha(project, [...args], options);
      assert.equal(run.code, 0, describeRun(run));
      assert.deepEqual(
        run.passed,
        ['leaky: forgets clearInterval', 'clean: clears its interval'],
        describeRun(run),
      );
      assert.equal(run.stderr.match(NOT_CHECKED)?.length, 1, describeRun(run));
      assert.match(run.stderr, why, describeRun(run));
      assert.doesNotMatch(run.stderr, /no async work left running|tests? left/, describeRun(run));
    });
  }
});
