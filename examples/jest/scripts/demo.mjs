// Runs this example's Jest suite for real, streaming its output, then checks that loose-ends
// failed exactly the leaky tests. Exits 0 only when it did: the demo expects Jest itself to fail.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
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
// With --json, Jest writes its results to stdout and everything a person reads to stderr (our
// reporter's summary line too): read the one, stream the other. An --outputFile would add a line
// naming a file this script deletes.
const child = spawn(process.execPath, [jestBin, '--json'], { stdio: ['inherit', 'pipe', 'inherit'] });
let json = '';
child.stdout.setEncoding('utf8').on('data', (chunk) => {
  json += chunk;
});
const code = await new Promise((resolve) => child.on('close', (exitCode) => resolve(exitCode)));

let failed = [];
try {
  failed = JSON.parse(json)
    .testResults.flatMap((file) => file.assertionResults)
    .filter(
      (test) => test.status === 'failed' && test.failureMessages.some((m) => m.includes('AsyncLeakError')),
    )
    .map((test) => test.fullName);
} catch (error) {
  console.error(`demo: could not read Jest's results (${error.message})`);
}
const missing = expectedLeaky.filter((name) => !failed.includes(name));
const unexpected = failed.filter((name) => !expectedLeaky.includes(name));
// Silent when it went as intended: the output above is Jest's own, and the caller sums up.
if (code === 0 || missing.length > 0 || unexpected.length > 0) {
  console.log(
    `\njest demo: UNEXPECTED — Jest exited ${code}; missing leak failures: ${JSON.stringify(missing)}; unexpected: ${JSON.stringify(unexpected)}.`,
  );
  process.exitCode = 1;
}
