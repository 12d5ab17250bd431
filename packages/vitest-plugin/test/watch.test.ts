import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { FIXTURES, VITEST_PACKAGE } from './helpers.js';

const SUMMARY =
  'loose-ends: 3 of 5 tests and 1 test file (module scope or before-all hooks) left 4 async tasks running (3 intervals, 1 server).';

/** What every run must report: the same verdicts the first time and on each re-run. */
const EXPECTED = {
  unhandled: 0,
  files: [
    {
      file: 'test/alpha.test.js',
      errors: [],
      tests: [
        'alpha clean: passed',
        'alpha failing assertion keeps its own failure: failed',
        'alpha leaky interval: failed',
      ],
    },
    {
      file: 'test/beta.test.js',
      errors: [
        'The module scope and before-all hooks of test/beta.test.js left 1 async task running: 1 interval.',
      ],
      tests: ['beta clean: passed', 'beta leaky server: failed'],
    },
  ],
};

test(`watch mode (${VITEST_PACKAGE}, Node ${process.versions.node}): re-runs give the same verdicts and one summary line each`, () => {
  // fixtures/variants/watch.js: createVitest({ watch: true, isolate: false, maxWorkers: 1 }), start(),
  // then rerunTestSpecifications() twice; it prints one `RUN {json}` line per run.
  const cwd = path.join(FIXTURES, 'variants');
  const child = spawnSync(process.execPath, ['watch.js', VITEST_PACKAGE], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, CI: '1', LOOSE_ENDS_MODE: undefined },
    timeout: 120_000,
  });
  const output = `exit ${child.status}\n--- stdout ---\n${child.stdout}\n--- stderr ---\n${child.stderr}`;
  assert.equal(child.status, 1, output); // Vitest sets exitCode 1: the leaky tests failed.
  const runs = child.stdout
    .split('\n')
    .filter((line) => line.startsWith('RUN '))
    .map((line) => JSON.parse(line.slice(4)));
  assert.equal(runs.length, 3, output);
  for (const run of runs) assert.deepEqual(run, EXPECTED, output);
  // The plugin's hooks and reporter are not added again on re-run: exactly one summary line per run.
  assert.equal(child.stdout.split(SUMMARY).length - 1, 3, output);
});
