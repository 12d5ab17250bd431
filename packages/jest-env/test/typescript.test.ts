import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { JestRun } from './run-jest.js';
import { markerLine, runJest } from './run-jest.js';

describe('TypeScript tests through ts-jest and babel-jest (one run, two projects)', () => {
  let run: JestRun;
  const where = markerLine('jest-ts/tests/poller.test.ts', 'ts-interval');
  before(() => {
    run = runJest('jest-ts');
  });

  test('the leaking test fails under both transforms, the clean one passes', () => {
    assert.equal(run.status, 1, run.output);
    assert.equal(run.files.length, 2);
    for (const file of run.files) {
      const [leaky, clean] = file.assertionResults;
      assert.equal(leaky?.status, 'failed');
      assert.match(leaky!.failureMessages.join('\n'), /1 interval/);
      assert.equal(clean?.status, 'passed');
    }
  });

  test('the report and the code frame point at the TypeScript line, for both transforms', () => {
    const created = run.output.split('\n').filter((line) => line.includes(`Created at ${where}:`));
    assert.equal(created.length, 2, run.output);
    const frames = run.output.split('\n').filter((line) => /^\s+> +\d+ \| .*marker:ts-interval/.test(line));
    assert.equal(frames.length, 2, run.output);
    for (const frame of frames) assert.ok(frame.includes(`> ${where.split(':')[1]!.padStart(2)} |`), frame);
  });
});
