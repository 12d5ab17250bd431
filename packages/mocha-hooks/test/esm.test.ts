import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { leakSite } from '@loose-ends-fixtures/leak-site';
import type { MochaRun } from './run-mocha.js';
import { describeRun, FIXTURES, failureDetail, runMocha } from './run-mocha.js';

const project = path.join(FIXTURES, 'esm');
const at = (file: string, site: string, call: string) => leakSite(file, site, { root: project, call });
const LEAKY = [
  'leaky: socket left open',
  'leaky: worker never terminated',
  'leaky: interval started after this.timeout()',
];
const CLEAN = [
  'clean: socket destroyed',
  'ignored by configure(): immediate',
  'clean: passes on the second attempt',
  'clean: awaits its timer',
];

for (const mode of ['serial', 'parallel'] as const) {
  describe(`Mocha 11, ESM specs and an ESM configure module, ${mode}`, () => {
    let run: MochaRun;
    before(async () => {
      run = await runMocha(project, mode === 'parallel' ? ['--parallel', '--jobs', '2'] : []);
    });

    it('fails exactly the leaking tests, each listed once', () => {
      assert.deepEqual([...run.failed].sort(), [...LEAKY].sort(), describeRun(run));
      for (const title of LEAKY) assert.ok(!run.passed.includes(title), `${title}\n${describeRun(run)}`);
      assert.deepEqual([...run.passed].sort(), [...CLEAN].sort(), describeRun(run));
      assert.deepEqual(run.pending, ['skipped: never runs'], describeRun(run));
    });

    it('counts failures once; the exit code is the number of leaking tests', () => {
      assert.deepEqual(run.totals, { passing: 4, failing: 3, pending: 1 }, describeRun(run));
      assert.equal(run.code, 3, describeRun(run));
    });

    it('reports kind and creation line from file:// ESM stacks', () => {
      for (const [title, kind, where] of [
        ['leaky: socket left open', 'socket', at('test/network.spec.mjs', 'socket', 'connect')],
        ['leaky: worker never terminated', 'worker', at('test/network.spec.mjs', 'worker', 'new Worker')],
        [
          'leaky: interval started after this.timeout()',
          'interval',
          at('test/timing.spec.js', 'interval', 'setInterval'),
        ],
      ] as const) {
        const detail = failureDetail(run, title);
        assert.ok(detail.includes(`left 1 async task running: 1 ${kind}.`), detail);
        assert.ok(detail.includes(`Created at ${where}`), detail);
      }
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
