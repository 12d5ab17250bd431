import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { leakSite } from '@loose-ends-fixtures/leak-site';
import { describeRun, FIXTURES, failureDetail, runMocha } from './run-mocha.js';

const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
// Mocha 12 is an ES module package that this plugin loads with require(esm).
const requireEsm = major > 20 || (major === 20 && minor >= 19);
// Mocha 8 and 9 pin yargs 16.2.0, whose extensionless `yargs/yargs` file Node 26 loads as an ES
// module (the package is `"type": "module"`): their CLI fails before loading any plugin. Later
// yargs 16 releases, which Mocha 10 gets, name that file yargs.cjs.
const oldMochaStarts = major < 26;
// The smoke specs every fixture runs (the others name them ../mocha10/test/…): the leaking tests,
// the kind each report names and where it began, and the clean ones.
const smokeAt = (site: string, call: string) =>
  leakSite('test/smoke.spec.cjs', site, { root: path.join(FIXTURES, 'mocha10'), call });
const LEAKY = [
  { title: 'leaky: forgets clearInterval', kind: 'interval', where: smokeAt('interval', 'setInterval') },
  { title: 'leaky: done test leaves a timeout', kind: 'timeout', where: smokeAt('timeout', 'setTimeout') },
];
const CLEAN = ['clean: awaits its timer', 'clean: clears its interval', 'clean: done callback from a timer'];

for (const { fixture, label, parallel, skip, script } of [
  // Mocha 8 and 9 name their CLI bin/mocha, without the extension.
  {
    fixture: 'mocha8',
    label: 'Mocha 8',
    parallel: false,
    skip: !oldMochaStarts && 'Mocha 8 cannot start on Node 26+',
    script: 'node_modules/mocha/bin/mocha',
  },
  {
    fixture: 'mocha9',
    label: 'Mocha 9',
    parallel: false,
    skip: !oldMochaStarts && 'Mocha 9 cannot start on Node 26+',
    script: 'node_modules/mocha/bin/mocha',
  },
  { fixture: 'mocha10', label: 'Mocha 10', parallel: false, skip: false as const },
  {
    fixture: 'mocha12',
    label: 'Mocha 12',
    parallel: true,
    skip: !requireEsm && 'needs require(esm), Node 20.19+',
  },
]) {
  describe(label, { skip }, () => {
    for (const args of parallel ? [[], ['--parallel', '--jobs', '2']] : [[]]) {
      it(`fails exactly the leaking tests ${args.length > 0 ? 'in parallel' : 'serially'}`, async () => {
        const run = await runMocha(
          path.join(FIXTURES, fixture),
          args,
          script === undefined ? {} : { script },
        );
        assert.deepEqual(
          run.failed,
          LEAKY.map(({ title }) => title),
          describeRun(run),
        );
        assert.deepEqual([...run.passed].sort(), [...CLEAN].sort(), describeRun(run));
        const totals = { passing: CLEAN.length, failing: LEAKY.length, pending: 0 };
        assert.deepEqual(run.totals, totals, describeRun(run));
        assert.equal(run.code, LEAKY.length, describeRun(run));
        for (const { title, kind, where } of LEAKY) {
          const detail = failureDetail(run, title);
          assert.ok(detail.includes(`left 1 async task running: 1 ${kind}.`), detail);
          assert.ok(detail.includes(where), `expected ${where} in:\n${detail}`);
        }
        assert.match(
          run.stderr,
          /loose-ends: 2 of 5 tests left 2 async tasks running \(1 timeout, 1 interval\)\./,
        );
      });
    }
  });
}
