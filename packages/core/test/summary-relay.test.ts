import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import {
  closeSummaryRelay,
  collectRelayedSummaries,
  emptySummary,
  openSummaryRelay,
  relaySummary,
} from '../src/index.js';

test('worker tallies reach the main process through the relay; a broken one costs only itself', () => {
  const variable = 'LOOSE_ENDS_TEST_SUMMARY_DIR';
  const directory = openSummaryRelay(variable, 'loose-ends-test-');
  assert.ok(directory !== undefined && process.env[variable] === directory);
  const tally = { ...emptySummary(), checked: 3, leakyTests: 1, leaks: 2, byKind: { interval: 2 } };
  assert.equal(relaySummary(variable, tally), true);
  // A worker that died mid-write: wherever it comes in the listing, it must not hide the others.
  writeFileSync(path.join(directory, '0-cut-short.json'), '{"checked": 4');
  assert.equal(relaySummary(variable, { ...emptySummary(), checked: 2 }), true);
  // A file that ran with detection off says so, so the run's line can tell "off" from "not installed".
  assert.equal(relaySummary(variable, { ...emptySummary(), filesOff: 1 }), true);
  const merged = collectRelayedSummaries(directory);
  assert.deepEqual(merged, {
    checked: 5,
    leakyTests: 1,
    leakyFiles: 0,
    leaks: 2,
    byKind: { interval: 2 },
    filesOff: 1,
  });
  assert.equal(collectRelayedSummaries(directory).checked, 0, 'each tally is read once');
  closeSummaryRelay(variable, directory);
  assert.equal(existsSync(directory), false);
  assert.equal(process.env[variable], undefined);
  assert.equal(relaySummary(variable, tally), false, 'with no relay open, a worker keeps its tally');
});
