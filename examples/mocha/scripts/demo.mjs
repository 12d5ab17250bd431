// Runs this example's Mocha suite as `npm test` would, shows its real output, then checks that
// loose-ends failed exactly the tests that leak on purpose. Exits 0 only when it did.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const EXPECTED_LEAKS = [
  'serves prices right after start (forgets cache.stop())',
  'starts a background refresh it never awaits (floating promise)',
  'doubles a number (never closes the pool)',
  'answers /prices from its own server (never closes it)',
  'accepts raw TCP connections (leaves the socket open)',
  'has a watcher ready',
];

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const mocha = path.join(root, 'node_modules/mocha/bin/mocha.js');
const child = spawn(process.execPath, [mocha], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
let output = '';
for (const [stream, target] of [
  [child.stdout, process.stdout],
  [child.stderr, process.stderr],
]) {
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    output += chunk;
    target.write(chunk);
  });
}

const code = await new Promise((resolve) => child.on('close', resolve));
// Strip colours so the check reads what a person sees.
// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences
const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
const listedAsFailing = new Set(plain.split('\n').flatMap((line) => /^\s+\d+\) (.+)$/.exec(line)?.[1] ?? []));
const listedAsPassing = plain.split('\n').filter((line) => /^\s+[✔✓] /.test(line));
const missing = EXPECTED_LEAKS.filter((title) => !listedAsFailing.has(title));
const doubled = EXPECTED_LEAKS.filter((title) => listedAsPassing.some((line) => line.includes(title)));
const problems = [
  code !== EXPECTED_LEAKS.length &&
    `mocha exited with ${code}, expected ${EXPECTED_LEAKS.length} (one per leaking test)`,
  missing.length > 0 && `not reported as failing: ${missing.join('; ')}`,
  doubled.length > 0 && `also listed as passing: ${doubled.join('; ')}`,
  !/loose-ends: 6 of \d+ tests left/.test(plain) && 'no loose-ends summary line',
].filter(Boolean);

// Silent when it went as intended: the output above is Mocha's own, and the caller sums up.
if (problems.length > 0) console.log(`\ndemo (mocha): UNEXPECTED — ${problems.join(' | ')}`);
process.exit(problems.length === 0 ? 0 : 1);
