#!/usr/bin/env node
// Runs this example's real Vitest suite, streaming its output, then checks that exactly the tests
// written to leak were failed by loose-ends. Exits 0 only then: the demo is meant to show failures.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const EXPECTED_LEAKY = [
  'RefreshingCache > shows the first loaded value',
  'HTTP service > accepts raw TCP connections',
  'HTTP service > a second instance, left listening',
  'keeps retrying while the service is down',
  'JobPool > starts a long-lived worker',
  'config watcher, opened in beforeEach and never closed > reloads when the file changes',
].sort();

const vitestBin = path.join(
  path.dirname(createRequire(path.join(root, 'package.json')).resolve('vitest/package.json')),
  'vitest.mjs',
);
const outDir = mkdtempSync(path.join(tmpdir(), 'loose-ends-demo-'));
const failedFile = path.join(outDir, 'failed.json');

const run = spawnSync(
  process.execPath,
  [vitestBin, 'run', '--reporter=default', '--reporter=./scripts/failed-tests-reporter.mjs'],
  { cwd: root, stdio: 'inherit', env: { ...process.env, LOOSE_ENDS_DEMO_FAILED: failedFile } },
);

let failed = [];
try {
  failed = JSON.parse(readFileSync(failedFile, 'utf8')).sort();
} catch (error) {
  console.error(`demo: could not read the failed tests' names (${error.message}).`);
} finally {
  rmSync(outDir, { recursive: true, force: true });
}

const missing = EXPECTED_LEAKY.filter((name) => !failed.includes(name));
const unexpected = failed.filter((name) => !EXPECTED_LEAKY.includes(name));
// Silent when it went as intended: the output above is Vitest's own, and the caller sums up.
if (run.status !== 0 && missing.length === 0 && unexpected.length === 0) process.exit(0);
console.log(
  `\ndemo (vitest): UNEXPECTED — exit ${run.status}` +
    (missing.length > 0 ? `; not failed: ${missing.join('; ')}` : '') +
    (unexpected.length > 0 ? `; failed but should pass: ${unexpected.join('; ')}` : ''),
);
process.exit(1);
