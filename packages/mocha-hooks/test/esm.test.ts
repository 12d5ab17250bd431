import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { leakSite } from '@loose-ends-fixtures/leak-site';
import type { MochaRun } from './run-mocha.js';
import { describeRun, FIXTURES, failureDetail, runMocha } from './run-mocha.js';

const project = path.join(FIXTURES, 'esm');
const at = (file: string, site: string, call: string) => leakSite(file, site, { root: project, call });
/** The leaking tests, the kind each report names and where it began, from file:// ESM stacks. */
const LEAKY = [
  {
    title: 'leaky: socket left open',
    kind: 'socket',
    where: at('test/network.spec.mjs', 'socket', 'connect'),
  },
  {
    title: 'leaky: worker never terminated',
    kind: 'worker',
    where: at('test/network.spec.mjs', 'worker', 'new Worker'),
  },
  {
    title: 'leaky: interval started after this.timeout()',
    kind: 'interval',
    where: at('test/timing.spec.js', 'interval', 'setInterval'),
  },
];
const CLEAN = [
  'clean: socket destroyed',
  'ignored by configure(): immediate',
  'clean: passes on the second attempt',
  'clean: awaits its timer',
];
const SKIPPED = ['skipped: never runs'];

for (const mode of ['serial', 'parallel'] as const) {
  describe(`Mocha 11, ESM specs and an ESM configure module, ${mode}`, () => {
    let run: MochaRun;
    before(async () => {
      run = await runMocha(project, mode === 'parallel' ? ['--parallel', '--jobs', '2'] : []);
    });

    for (const { title, kind, where } of LEAKY) {
      it(`fails once, naming the ${kind} and where it began: ${title}`, () => {
        assert.equal(run.failed.filter((t) => t === title).length, 1, `${title}\n${describeRun(run)}`);
        assert.ok(!run.passed.includes(title), `${title}\n${describeRun(run)}`);
        const detail = failureDetail(run, title);
        assert.ok(detail.includes(`left 1 async task running: 1 ${kind}.`), detail);
        assert.ok(detail.includes(`Created at ${where}`), `expected "Created at ${where}" in:\n${detail}`);
      });
    }

    it('fails nothing else; passes the clean tests and skips the skipped one', () => {
      assert.deepEqual([...run.failed].sort(), LEAKY.map(({ title }) => title).sort(), describeRun(run));
      assert.deepEqual([...run.passed].sort(), [...CLEAN].sort(), describeRun(run));
      assert.deepEqual(run.pending, SKIPPED, describeRun(run));
    });

    it('counts failures once; the exit code is the number of leaking tests', () => {
      const totals = { passing: CLEAN.length, failing: LEAKY.length, pending: SKIPPED.length };
      assert.deepEqual(run.totals, totals, describeRun(run));
      assert.equal(run.code, LEAKY.length, describeRun(run));
    });

    it('keeps the server-side socket of a leaky connection on the file, closed by after()', () => {
      assert.doesNotMatch(run.stdout, /module scope and before\/after hooks/, describeRun(run));
    });

    it('prints one summary line, adding up every worker', () => {
      // Notes start with `loose-ends:` too; the summary is the line that counts tests.
      const lines = run.stderr
        .split('\n')
        .filter((line) => /^loose-ends: (\d+ of \d+ tests|no async work)/.test(line));
      assert.deepEqual(
        lines,
        // 7 tests ran (one of them twice: each test counts once, by its last attempt); the skipped one is not checked.
        ['loose-ends: 3 of 7 tests left 3 async tasks running (1 interval, 1 socket, 1 worker).'],
        describeRun(run),
      );
    });
  });
}
