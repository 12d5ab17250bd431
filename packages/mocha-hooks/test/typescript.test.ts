import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { MochaRun } from './run-mocha.js';
import { describeRun, EXAMPLE, failureDetail, runMocha } from './run-mocha.js';

// examples/mocha: TypeScript specs loaded through tsx (`node-option: import=tsx`), plugin by name.
describe('TypeScript specs via tsx (examples/mocha)', () => {
  let run: MochaRun;
  before(async () => {
    run = await runMocha(EXAMPLE);
  });

  it('fails the six leaking tests once each and passes the rest', () => {
    assert.equal(run.failed.length, 6, describeRun(run));
    assert.equal(new Set(run.failed).size, 6, describeRun(run));
    for (const title of run.failed) assert.ok(!run.passed.includes(title), title);
    assert.ok(run.passed.includes('watches the shared config @allow-leaks'), describeRun(run));
    assert.deepEqual(run.totals, { passing: 8, failing: 6, pending: 0 }, describeRun(run));
    assert.equal(run.code, 6, describeRun(run));
  });

  it('points at the TypeScript source line through source maps', () => {
    const cache = failureDetail(run, 'forgets cache.stop()');
    assert.match(cache, /1 interval\.[\s\S]*Created at src\/cache\.ts:13:18/);
    assert.match(cache, /> 13 \|\s+this\.timer = setInterval/);
    assert.match(
      failureDetail(run, 'leaves the socket open'),
      /1 socket\.[\s\S]*test\/server\.spec\.ts:41:24/,
    );
    assert.match(failureDetail(run, 'floating promise'), /1 timeout\.[\s\S]*setTimeout for 30000 ms/);
    assert.match(
      failureDetail(run, 'has a watcher ready'),
      /Created in the beforeEach hook at src\/watcher\.ts:5:10/,
    );
  });
});
