import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keptPerTest } from '@loose-ends-fixtures/precision-scenarios/memory';
import { runJest } from './run-jest.js';

// A bound on memory, not on time: the fixture measures the heap itself (precision-scenarios/memory.cjs).
const MAX_BYTES_PER_TEST = 200;

test('issue 21: a long Jest file keeps no more per test with loose-ends on than off, within 200 bytes', async (t) => {
  const { off, on, kept } = await keptPerTest((env) => {
    const run = runJest('jest-precision', ['tests/memory.test.js'], env);
    assert.equal(run.status, 0, run.output);
  });
  const measured = `${kept.toFixed(0)} bytes per test (off ${off.toFixed(0)}, on ${on.toFixed(0)})`;
  t.diagnostic(measured);
  assert.ok(kept <= MAX_BYTES_PER_TEST, measured);
});
