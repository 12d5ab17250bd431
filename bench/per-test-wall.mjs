#!/usr/bin/env node
// Per-test wall and CPU time across a long suite, from the first test to the last: does a test
// late in the run cost what an early one does, with and without loose-ends? (issue 24: a long
// Jest suite ran 4.6× longer in wall time at the same CPU time.)
//
//   node bench/per-test-wall.mjs [--runners jest,vitest,mocha] [--tests 2000] [--files 1]
//                                [--runs 1] [--buckets 10] [--out file.md]
//
// Generates one suite per runner under bench/results/suites/per-test-<runner>/ (gitignored): every
// test starts and closes an HTTP server (with one request to it), an fs.watch watcher, an interval,
// a 1 ms timer, an fs.promises write and read and a 10-step async chain. Each runner runs every
// file in one process or worker (Jest --runInBand, Vitest fileParallelism: false, Mocha serially),
// so the tests run in order in one event loop. The first line of each test records the time and
// process.cpuUsage(); the difference to the next test's record is that test's cost, its hooks and
// the runner's and loose-ends' work after it (the check) included. The last test of a file is
// measured to its file's afterAll. Tests are split into --buckets equal groups in run order; each
// group gets the mean wall and CPU ms per test and wall/CPU (below 1: CPU ran on other threads too;
// well above 1: the loop waited). Variants alternate inside every run; medians over --runs.
// A benchmark, not a test: nothing is asserted. See bench/README.md.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { listOf, machineLine, median, runTimed, wholeNumber } from './lib.mjs';
import { RUNNERS } from './runners/variants.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const resultsDir = join(benchDir, 'results');
const requireFromBench = createRequire(join(benchDir, 'package.json'));

const { values: args } = parseArgs({
  options: {
    runners: { type: 'string', default: RUNNERS.join(',') },
    tests: { type: 'string', default: '2000' },
    files: { type: 'string', default: '1' },
    runs: { type: 'string', default: '1' },
    buckets: { type: 'string', default: '10' },
    out: { type: 'string' },
  },
});
const runners = listOf(args, 'runners', RUNNERS);
const totalTests = wholeNumber(args, 'tests');
const files = wholeNumber(args, 'files');
const runs = wholeNumber(args, 'runs');
const bucketCount = wholeNumber(args, 'buckets');
const testsPerFile = Math.ceil(totalTests / files);
const [major, minor] = process.versions.node.split('.').map(Number);
// Vitest 5 needs Node >= 22.12; older Nodes run Vitest 4.1 (the `vitest4` alias), as run.mjs does.
const vitestPackage = major > 22 || (major === 22 && minor >= 12) ? 'vitest' : 'vitest4';

// ---------------------------------------------------------------------------------------------
// The generated suite

const SUPPORT = `'use strict';
// Shared by every generated test file: what one test does, and the per-test clock.
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');

const marks = [];
/** First line of every test: wall (ms since the epoch) and CPU (µs, this process) now. */
function mark() {
  const cpu = process.cpuUsage();
  marks.push([performance.timeOrigin + performance.now(), cpu.user + cpu.system]);
}
/** In afterAll: closes the last test's interval and leaves this file's marks for the harness. */
function flushMarks(file) {
  mark();
  const engine = require('node:async_hooks')[Symbol.for('loose-ends.engine.v1')];
  const out = process.env.PER_TEST_OUT;
  if (out) fs.writeFileSync(path.join(out, file + '-' + process.pid + '.json'), JSON.stringify({ file, detecting: engine?.detecting === true, marks }));
}

function get(port, urlPath) {
  return new Promise((resolve, reject) => {
    // agent: false sends "Connection: close", so no keep-alive socket outlives the request.
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => resolve(body));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

async function step(value) {
  await null;
  return value + 1;
}

/** One test's work: everything it starts, it stops before returning. */
async function work(dir, index) {
  const server = http.createServer((req, res) => res.end('ok ' + req.url));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const watcher = fs.watch(dir);
  const interval = setInterval(() => {}, 1000);
  try {
    const body = await get(server.address().port, '/t' + index);
    const file = path.join(dir, 'f' + (index % 8) + '.json');
    await fs.promises.writeFile(file, JSON.stringify({ index, body }));
    const read = JSON.parse(await fs.promises.readFile(file, 'utf8'));
    await sleep(1);
    let value = index;
    for (let i = 0; i < 10; i++) value = await step(value);
    await new Promise((resolve) => setImmediate(resolve));
    return read.body === 'ok /t' + index && value === index + 10;
  } finally {
    clearInterval(interval);
    watcher.close();
    await new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  }
}

module.exports = { mark, flushMarks, work };
`;

function testFile(runner, file, tests) {
  const [before, after, it] =
    runner === 'mocha' ? ['before', 'after', 'it'] : ['beforeAll', 'afterAll', 'test'];
  const lines =
    runner === 'vitest'
      ? [
          "import { createRequire } from 'node:module';",
          'const require = createRequire(import.meta.url);',
          'const ok = (condition) => expect(condition).toBe(true);',
        ]
      : runner === 'jest'
        ? ['const ok = (condition) => expect(condition).toBe(true);']
        : ["const ok = (condition) => require('node:assert').ok(condition);"];
  lines.push(
    "const fs = require('node:fs');",
    "const path = require('node:path');",
    "const { mark, flushMarks, work } = require('../support.cjs');",
    runner === 'vitest'
      ? `const dir = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'watched', 'f${file}');`
      : `const dir = path.join(__dirname, '..', 'watched', 'f${file}');`,
    `describe('file ${file}', () => {`,
    `  ${before}(() => fs.mkdirSync(dir, { recursive: true }));`,
    `  ${after}(() => flushMarks('f${file}'));`,
    `  for (let i = 0; i < ${tests}; i++) {`,
    `    ${it}('test ' + i, async () => {`,
    '      mark();',
    '      ok(await work(dir, i));',
    '    });',
    '  }',
    '});',
    '',
  );
  return lines.join('\n');
}

function generate(runner) {
  const dir = join(resultsDir, 'suites', `per-test-${runner}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'test'), { recursive: true });
  mkdirSync(join(dir, 'marks'), { recursive: true });
  writeFileSync(join(dir, 'support.cjs'), SUPPORT);
  const extension = { jest: '.test.cjs', vitest: '.test.mjs', mocha: '.spec.cjs' }[runner];
  for (let file = 1; file <= files; file++) {
    const name = `f${String(file).padStart(2, '0')}${extension}`;
    writeFileSync(join(dir, 'test', name), testFile(runner, file, testsPerFile));
  }
  if (runner === 'jest') {
    const config = (environment) =>
      `module.exports = ${JSON.stringify({ testEnvironment: environment, transform: {}, testMatch: ['<rootDir>/test/*.test.cjs'], cacheDirectory: '<rootDir>/.jest-cache' })};\n`;
    writeFileSync(join(dir, 'jest.baseline.config.cjs'), config('node'));
    writeFileSync(join(dir, 'jest.loose-ends.config.cjs'), config('@loose-ends/jest-env'));
  } else if (runner === 'vitest') {
    const test =
      "{ include: ['test/*.test.mjs'], globals: true, fileParallelism: false, testTimeout: 20000 }";
    writeFileSync(join(dir, 'vitest.baseline.config.mjs'), `export default { test: ${test} };\n`);
    writeFileSync(
      join(dir, 'vitest.loose-ends.config.mjs'),
      `import { looseEnds } from '@loose-ends/vitest-plugin';\n\nexport default { plugins: [looseEnds()], test: ${test} };\n`,
    );
  }
  return dir;
}

function binOf(pkg, name = pkg) {
  const manifestPath = requireFromBench.resolve(`${pkg}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[name];
  return { file: join(dirname(manifestPath), bin), version: manifest.version };
}

/** Baseline and loose-ends command lines (after `node`) for one runner. */
function variantsFor(runner, dir) {
  if (runner === 'jest') {
    const { file, version } = binOf('jest');
    const jest = (config) => [file, '--config', join(dir, config), '--ci', '--silent', '--runInBand'];
    return {
      version: `jest ${version}`,
      variants: [
        { name: 'baseline', argv: jest('jest.baseline.config.cjs') },
        { name: 'loose-ends', argv: jest('jest.loose-ends.config.cjs') },
      ],
    };
  }
  if (runner === 'vitest') {
    const { file, version } = binOf(vitestPackage, 'vitest');
    const vitest = (config) => [file, 'run', '--config', join(dir, config), '--root', dir];
    return {
      version: `vitest ${version}`,
      variants: [
        { name: 'baseline', argv: vitest('vitest.baseline.config.mjs') },
        { name: 'loose-ends', argv: vitest('vitest.loose-ends.config.mjs') },
      ],
    };
  }
  const { file, version } = binOf('mocha');
  const mocha = (...extra) => [
    file,
    '--no-config',
    '--timeout',
    '20000',
    ...extra,
    join(dir, 'test', '*.spec.cjs'),
  ];
  return {
    version: `mocha ${version}`,
    variants: [
      { name: 'baseline', argv: mocha() },
      { name: 'loose-ends', argv: mocha('--require', '@loose-ends/mocha-hooks') },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Running and measuring

function runOnce(variant, dir) {
  const marksDir = join(dir, 'marks');
  rmSync(marksDir, { recursive: true, force: true });
  mkdirSync(marksDir);
  const { seconds, cpu, status, output } = runTimed(variant.argv, dir, { PER_TEST_OUT: marksDir });
  const parts = readdirSync(marksDir).map((name) => JSON.parse(readFileSync(join(marksDir, name), 'utf8')));
  // Files in the order they ran; within a file, one interval per test (to the next mark).
  parts.sort((a, b) => (a.marks[0]?.[0] ?? 0) - (b.marks[0]?.[0] ?? 0));
  const tests = [];
  for (const part of parts) {
    for (let i = 0; i + 1 < part.marks.length; i++) {
      const [wall0, cpu0] = part.marks[i];
      const [wall1, cpu1] = part.marks[i + 1];
      tests.push({ wall: wall1 - wall0, cpu: (cpu1 - cpu0) / 1000 });
    }
  }
  return {
    seconds,
    cpu,
    status,
    tests,
    detecting: parts.length > 0 && parts.every((part) => part.detecting),
    output,
  };
}

/** Mean wall and CPU ms per test in each of `bucketCount` equal groups, in run order. */
function bucketsOf(tests) {
  return Array.from({ length: bucketCount }, (_, b) => {
    const slice = tests.slice(
      Math.floor((b * tests.length) / bucketCount),
      Math.floor(((b + 1) * tests.length) / bucketCount),
    );
    const mean = (key) => slice.reduce((sum, test) => sum + test[key], 0) / Math.max(slice.length, 1);
    return { wall: mean('wall'), cpu: mean('cpu') };
  });
}

function tail(text, count = 30) {
  return text.trim().split('\n').slice(-count).join('\n');
}

// ---------------------------------------------------------------------------------------------

const startedAt = new Date();
const sections = [];
for (const runner of runners) {
  const dir = generate(runner);
  const { version, variants } = variantsFor(runner, dir);
  for (const variant of variants) Object.assign(variant, { results: [], failure: undefined });
  console.error(`\n== ${version}: ${files} file(s) × ${testsPerFile} tests, ${runs} run(s)`);
  // One unmeasured warm-up per variant (caches); a variant failing it is reported, not timed.
  for (const variant of variants) {
    const result = runOnce(variant, dir);
    if (result.status !== 0) variant.failure = `exit code ${result.status}`;
    else if (variant.name === 'loose-ends' && !result.detecting)
      variant.failure = 'loose-ends was not detecting (is it built?)';
    if (variant.failure)
      console.error(`-- ${variant.name} failed (${variant.failure}); last output:\n${tail(result.output)}`);
  }
  for (let run = 0; run < runs; run++) {
    const order = variants.map((_, i) => variants[(i + run) % variants.length]);
    for (const variant of order) {
      if (variant.failure) continue;
      const result = runOnce(variant, dir);
      if (result.status !== 0) {
        variant.failure = `exit code ${result.status} in run ${run + 1}`;
        console.error(`-- ${variant.name} failed (${variant.failure}); last output:\n${tail(result.output)}`);
        continue;
      }
      variant.results.push(result);
      console.error(
        `   run ${run + 1}/${runs} ${variant.name}: ${result.seconds.toFixed(2)} s wall, ${result.cpu.toFixed(2)} s CPU, ${result.tests.length} tests measured`,
      );
    }
  }
  sections.push({ version, variants });
}

const lines = [
  `## Per-test wall and CPU across the run — ${startedAt.toISOString().slice(0, 10)}, Node ${process.versions.node}, ${machineLine()}`,
  '',
  `${files} file(s) × ${testsPerFile} tests, each in one process or worker, in order; ${runs} measured run(s) per variant after one warm-up, variants alternating.`,
  'Each test starts and closes an HTTP server (one request), an fs.watch watcher and an interval, and awaits a 1 ms timer, an fs write and read, a 10-step async chain and setImmediate.',
  'Per test: from its first line to the next test’s first line (its hooks and the check after it included). ms per test, means per group of tests in run order; medians over runs.',
  '',
];
for (const { version, variants } of sections) {
  lines.push(`### ${version}`, '');
  const measured = variants.filter((variant) => !variant.failure && variant.results.length > 0);
  for (const variant of variants)
    if (variant.failure) lines.push(`- ${variant.name}: failed: ${variant.failure}`);
  if (measured.length === 0) continue;
  const perVariant = measured.map((variant) => {
    const perRun = variant.results.map((result) => bucketsOf(result.tests));
    const buckets = Array.from({ length: bucketCount }, (_, b) => ({
      wall: median(perRun.map((run) => run[b].wall)),
      cpu: median(perRun.map((run) => run[b].cpu)),
    }));
    return {
      name: variant.name,
      buckets,
      seconds: median(variant.results.map((result) => result.seconds)),
      cpu: median(variant.results.map((result) => result.cpu)),
      tests: variant.results[0].tests.length,
    };
  });
  const header = ['tests'];
  for (const v of perVariant) header.push(`${v.name} wall`, `${v.name} CPU`, `${v.name} wall/CPU`);
  const base = perVariant.find((v) => v.name === 'baseline');
  const ours = perVariant.find((v) => v.name === 'loose-ends');
  if (base && ours) header.push('wall × baseline', 'CPU × baseline');
  lines.push(`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`);
  const n = perVariant[0].tests;
  for (let b = 0; b < bucketCount; b++) {
    const row = [
      `${Math.floor((b * 100) / bucketCount)}–${Math.floor(((b + 1) * 100) / bucketCount)}% (#${Math.floor((b * n) / bucketCount) + 1}–${Math.floor(((b + 1) * n) / bucketCount)})`,
    ];
    for (const v of perVariant) {
      const { wall, cpu } = v.buckets[b];
      row.push(wall.toFixed(2), cpu.toFixed(2), (wall / cpu).toFixed(2));
    }
    if (base && ours) {
      row.push(
        `${(ours.buckets[b].wall / base.buckets[b].wall).toFixed(2)}×`,
        `${(ours.buckets[b].cpu / base.buckets[b].cpu).toFixed(2)}×`,
      );
    }
    lines.push(`| ${row.join(' | ')} |`);
  }
  lines.push(
    '',
    ...perVariant.map(
      (v) =>
        `- ${v.name}: whole runner process ${v.seconds.toFixed(2)} s wall, ${v.cpu.toFixed(2)} s CPU (all its processes); last group ÷ first group, wall per test: ${(v.buckets.at(-1).wall / v.buckets[0].wall).toFixed(2)}×.`,
    ),
    '',
  );
}
const table = lines.join('\n');
console.log(`\n${table}`);
const out =
  args.out ??
  join(resultsDir, `per-test-wall-node${major}-${startedAt.toISOString().slice(0, 16).replace(':', '')}.md`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${table}\n`);
console.error(`\nbench: table written to ${out}`);
