import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { keptPerTest } from '@loose-ends-fixtures/precision-scenarios/memory';
import { describeRun, FIXTURES, runMocha } from './run-mocha.js';

// A bound on memory, not on time: the fixture measures the heap itself (precision-scenarios/memory.cjs).
const MAX_BYTES_PER_TEST = 200;

test('issue 21: a long Mocha file keeps no more per test with loose-ends on than off, within 200 bytes', async (t) => {
  const { off, on, kept } = await keptPerTest(async (env) => {
    const run = await runMocha(path.join(FIXTURES, 'precision'), ['test/memory.spec.cjs'], { env });
    assert.equal(run.code, 0, describeRun(run));
  });
  const measured = `${kept.toFixed(0)} bytes per test (off ${off.toFixed(0)}, on ${on.toFixed(0)})`;
  t.diagnostic(measured);
  assert.ok(kept <= MAX_BYTES_PER_TEST, measured);
});
