// Runs this example's Jest suite for real, streaming its output, then checks that loose-ends
// failed exactly the leaky tests. Exits 0 only when it did: the demo expects Jest itself to fail.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

const expectedLeaky = [
  'RefreshingCache serves the loaded value (and forgets to stop the refresh)',
  'a cache started in beforeEach reads the value',
  'answers over HTTP (and never closes the server)',
  'opens a raw socket and leaves it open',
  'retries against a server that is not there (floating retry timer)',
  'starts helper processes and never stops them',
];

const require = createRequire(import.meta.url);
const jestBin = path.join(path.dirname(require.resolve('jest/package.json')), 'bin/jest.js');
const results = path.join(tmpdir(), `loose-ends-jest-demo-${process.pid}.json`);
const child = spawn(process.execPath, [jestBin, '--json', `--outputFile=${results}`], { stdio: 'inherit' });
const code = await new Promise((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));

let failed = [];
try {
  const report = JSON.parse(readFileSync(results, 'utf8'));
  failed = report.testResults
    .flatMap((file) => file.assertionResults)
    .filter(
      (test) => test.status === 'failed' && test.failureMessages.some((m) => m.includes('AsyncLeakError')),
    )
    .map((test) => test.fullName);
  rmSync(results, { force: true });
} catch (error) {
  console.error(`demo: could not read Jest's results (${error.message})`);
}
const missing = expectedLeaky.filter((name) => !failed.includes(name));
const unexpected = failed.filter((name) => !expectedLeaky.includes(name));
if (code !== 0 && missing.length === 0 && unexpected.length === 0) {
  console.log(
    `\njest demo: OK — Jest exited ${code} and loose-ends failed exactly the ${failed.length} leaky tests.`,
  );
} else {
  console.log(
    `\njest demo: UNEXPECTED — Jest exited ${code}; missing leak failures: ${JSON.stringify(missing)}; unexpected: ${JSON.stringify(unexpected)}.`,
  );
  process.exitCode = 1;
}
