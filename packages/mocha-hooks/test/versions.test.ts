import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { describeRun, FIXTURES, failureDetail, runMocha } from './run-mocha.js';

const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
// Mocha 12 is an ES module package that this plugin loads with require(esm).
const requireEsm = major > 20 || (major === 20 && minor >= 19);

for (const { fixture, label, parallel, skip } of [
  { fixture: 'mocha10', label: 'Mocha 10', parallel: false, skip: false },
  { fixture: 'mocha12', label: 'Mocha 12', parallel: true, skip: !requireEsm },
]) {
  describe(label, { skip: skip && 'needs require(esm), Node 20.19+' }, () => {
    for (const args of parallel ? [[], ['--parallel', '--jobs', '2']] : [[]]) {
      it(`fails exactly the leaking tests ${args.length > 0 ? 'in parallel' : 'serially'}`, async () => {
        const run = await runMocha(path.join(FIXTURES, fixture), args);
        assert.deepEqual(
          run.failed,
          ['leaky: forgets clearInterval', 'leaky: done test leaves a timeout'],
          describeRun(run),
        );
        assert.deepEqual(
          [...run.passed].sort(),
          ['clean: awaits its timer', 'clean: clears its interval', 'clean: done callback from a timer'],
          describeRun(run),
        );
        assert.deepEqual(run.totals, { passing: 3, failing: 2, pending: 0 }, describeRun(run));
        assert.equal(run.code, 2, describeRun(run));
        assert.match(
          failureDetail(run, 'forgets clearInterval'),
          /1 interval\.[\s\S]*test\/smoke\.spec\.cjs:7:5/,
        );
        assert.match(
          failureDetail(run, 'done test leaves a timeout'),
          /1 timeout\.[\s\S]*test\/smoke\.spec\.cjs:11:5/,
        );
        assert.match(
          run.stderr,
          /loose-ends: 2 of 5 tests left 2 async tasks running \(1 timeout, 1 interval\)\./,
        );
      });
    }
  });
}
