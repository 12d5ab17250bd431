import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keptPerTest } from '@loose-ends-fixtures/precision-scenarios/memory';
import { describeRun, runVitest, VITEST_PACKAGE } from './helpers.js';

// A bound on memory, not on time: the fixture measures the heap itself (precision-scenarios/memory.cjs).
// Higher than Jest's and Mocha's: Vitest keeps the promise of every test's run (an abort listener it
// never removes), and through the scope it carries, the test's context; before Node 24 that promise
// also holds the two async ids Node gives every promise while an async_hooks hook is on.
const MAX_BYTES_PER_TEST = 300;

test(`issue 21: a long Vitest file (${VITEST_PACKAGE}) keeps no more per test with loose-ends on than off, within 300 bytes`, async (t) => {
  const { off, on, kept } = await keptPerTest((env) => {
    const run = runVitest('precision', ['test/memory.test.js'], env);
    assert.equal(run.status, 0, describeRun(run));
  });
  const measured = `${kept.toFixed(0)} bytes per test (off ${off.toFixed(0)}, on ${on.toFixed(0)})`;
  t.diagnostic(measured);
  assert.ok(kept <= MAX_BYTES_PER_TEST, measured);
});
