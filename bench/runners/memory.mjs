#!/usr/bin/env node
// Memory benchmark: what loose-ends keeps per test and how much it adds to a runner's peak RSS, for
// each runner, against the same suite with no detector. Not a timing benchmark.
//
//   node bench/runners/memory.mjs [--runners jest,vitest,mocha] [--sizes 100,1000]
//                                 [--files 40] [--tests 25] [--runs 3]
//
// Suites: one file of N async tests for each N in --sizes (does a long file grow per test?), and
// --files files of --tests tests (does a long run grow per file?). Each test file measures its own
// heap: a full GC before its first test and after its last, the difference divided by its tests.
// Peak RSS is the largest single process of the run (the runner, or its busiest worker), from
// `/usr/bin/time`. Prints a markdown table and writes it to bench/results/. See bench/README.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fail, listOf, machineLine, median, ratio, wholeNumber } from '../lib.mjs';
import { writeRunnerConfigs } from './generate.mjs';
import { adapterReady, RUNNERS, variantsFor } from './variants.mjs';

const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = join(benchDir, 'results');
const suitesDir = join(resultsDir, 'memory-suites');

const { values: args } = parseArgs({
  options: {
    runners: { type: 'string', default: RUNNERS.join(',') },
    sizes: { type: 'string', default: '100,1000' },
    files: { type: 'string', default: '40' },
    tests: { type: 'string', default: '25' },
    runs: { type: 'string', default: '3' },
    out: { type: 'string' },
  },
});
const runners = listOf(args, 'runners', RUNNERS);
const sizes = args.sizes.split(',').map((size) => wholeNumber({ sizes: size }, 'sizes'));
const files = wholeNumber(args, 'files');
const testsPerFile = wholeNumber(args, 'tests');
const runs = wholeNumber(args, 'runs');
const TIME = '/usr/bin/time';
if (!existsSync(TIME)) fail(`bench: ${TIME} (GNU time) is needed for peak RSS; install the "time" package`);

// Loaded by every test file: a full GC (exposed at run time, so no runner needs --expose-gc) and
// the heap used, before the first test and after the last; one JSON line per file.
const PROBE = `'use strict';
const { appendFileSync } = require('node:fs');
const v8 = require('node:v8');
const vm = require('node:vm');

v8.setFlagsFromString('--expose-gc');
const gc = globalThis.gc ?? vm.runInNewContext('gc');
let before = 0;

exports.start = () => {
  gc();
  before = process.memoryUsage().heapUsed;
};

exports.stop = (tests) => {
  gc();
  const growth = process.memoryUsage().heapUsed - before;
  appendFileSync(process.env.BENCH_MEMORY_OUT, JSON.stringify({ growth, tests }) + '\\n');
};
`;

/** A test that does what a typical async test does: a timer, a short promise chain, a microtask burst. */
const TEST_BODY = [
  '    await new Promise((resolve) => setTimeout(resolve, 0));',
  '    let value = 0;',
  '    for (let step = 0; step < 20; step++) value = await Promise.resolve(value + 1);',
  "    if (value !== 20) throw new Error('expected 20, got ' + value);",
].join('\n');

function testFile(runner, tests) {
  const [before, after, it] =
    runner === 'mocha' ? ['before', 'after', 'it'] : ['beforeAll', 'afterAll', 'test'];
  const lines =
    runner === 'vitest'
      ? [
          "import { createRequire } from 'node:module';",
          "const probe = createRequire(import.meta.url)('../probe.cjs');",
        ]
      : ["const probe = require('../probe.cjs');"];
  lines.push(`describe('memory', () => {`, `  ${before}(() => probe.start());`);
  lines.push(`  ${after}(() => probe.stop(${tests}));`);
  for (let index = 0; index < tests; index++) {
    lines.push(`  ${it}('test ${index}', async () => {`, TEST_BODY, '  });');
  }
  lines.push('});', '');
  return lines.join('\n');
}

/** One project in the layout `variantsFor` expects (config names, test globs); returns its directory. */
function generate(runner, layout) {
  const dir = join(suitesDir, `${runner}-${layout.name}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'test'), { recursive: true });
  writeFileSync(join(dir, 'probe.cjs'), PROBE);
  const extension = { jest: '.test.cjs', vitest: '.test.mjs', mocha: '.spec.cjs' }[runner];
  for (let file = 1; file <= layout.files; file++) {
    const name = `f${String(file).padStart(3, '0')}${extension}`;
    writeFileSync(join(dir, 'test', name), testFile(runner, layout.tests));
  }
  writeRunnerConfigs(dir, runner);
  return dir;
}

/** One run: the per-test heap growth of each file (bytes) and the peak RSS of the largest process (KiB). */
function measure(variant, dir) {
  const out = join(dir, 'memory.jsonl');
  rmSync(out, { force: true });
  const child = spawnSync(TIME, ['-f', '__peak_rss_kib__ %M', process.execPath, ...variant.argv], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    env: { ...process.env, CI: 'true', FORCE_COLOR: '0', NO_COLOR: '1', BENCH_MEMORY_OUT: out },
  });
  const peak = Number(/__peak_rss_kib__ (\d+)/.exec(child.stderr)?.[1]);
  if (child.status !== 0 || !existsSync(out)) {
    return {
      failed: `exit ${child.status}: ${(child.stdout + child.stderr).trim().split('\n').slice(-3).join(' / ')}`,
    };
  }
  const perTest = readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
    .map(({ growth, tests }) => growth / tests);
  return { perTest: median(perTest), peak };
}

const kib = (bytes) => `${(bytes / 1024).toFixed(2)} KiB`;
const mib = (kibibytes) => `${(kibibytes / 1024).toFixed(0)} MiB`;

const layouts = [
  ...sizes.map((tests) => ({ name: `1x${tests}`, label: `1 file × ${tests} tests`, files: 1, tests })),
  {
    name: `${files}x${testsPerFile}`,
    label: `${files} files × ${testsPerFile} tests`,
    files,
    tests: testsPerFile,
  },
];

const rows = [];
/** Heap kept per test by runner, then single-file size, then variant name: for the margins below. */
const singleFile = new Map();
for (const runner of runners) {
  for (const layout of layouts) {
    const dir = generate(runner, layout);
    const { version, variants: all } = variantsFor(runner, dir);
    const variants = all.filter(
      (v) => v.name === 'baseline' || (v.name === 'loose-ends' && adapterReady(v.adapter)),
    );
    const samples = new Map(variants.map((v) => [v.name, []]));
    const failures = new Map();
    for (let run = 0; run < runs; run++) {
      // The starting variant rotates, so neither always runs on a warmer machine.
      for (let i = 0; i < variants.length; i++) {
        const variant = variants[(run + i) % variants.length];
        const result = measure(variant, dir);
        if (result.failed) failures.set(variant.name, result.failed);
        else samples.get(variant.name).push(result);
      }
    }
    const base = samples.get('baseline');
    const baseGrowth = median(base.map((s) => s.perTest));
    const basePeak = median(base.map((s) => s.peak));
    for (const variant of variants) {
      const list = samples.get(variant.name);
      if (failures.has(variant.name) || list.length === 0) {
        rows.push(
          `| ${version} | ${layout.label} | ${variant.label} | failed: ${failures.get(variant.name)} | | |`,
        );
        continue;
      }
      const growth = median(list.map((s) => s.perTest));
      const peak = median(list.map((s) => s.peak));
      if (layout.files === 1) {
        if (!singleFile.has(runner)) singleFile.set(runner, { version, sizes: new Map() });
        const bySize = singleFile.get(runner).sizes;
        if (!bySize.has(layout.tests)) bySize.set(layout.tests, new Map());
        bySize.get(layout.tests).set(variant.name, growth);
      }
      const extra =
        variant.name === 'baseline'
          ? ''
          : ` (${growth - baseGrowth >= 0 ? '+' : ''}${kib(growth - baseGrowth)})`;
      rows.push(
        `| ${version} | ${layout.label} | ${variant.label} | ${kib(growth)}${extra} | ${mib(peak)} | ${variant.name === 'baseline' ? '' : ratio(peak, basePeak)} |`,
      );
    }
    console.error(`done: ${runner} ${layout.label}`);
  }
}

/**
 * What one more test keeps, between two file sizes: a file keeps some things once (modules, code),
 * which the per-test figure of a short file spreads over few tests.
 */
const margins = [];
for (const { version, sizes: bySize } of singleFile.values()) {
  const sorted = [...bySize.keys()].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) {
    const [small, large] = [sorted[i - 1], sorted[i]];
    const margin = (name) => {
      const [a, b] = [bySize.get(small).get(name), bySize.get(large).get(name)];
      return a === undefined || b === undefined ? undefined : (b * large - a * small) / (large - small);
    };
    const [base, loose] = [margin('baseline'), margin('loose-ends')];
    const bytes = (value) => (value === undefined ? 'failed' : `${value.toFixed(0)} B`);
    const added =
      base === undefined || loose === undefined
        ? ''
        : `${loose - base >= 0 ? '+' : ''}${bytes(loose - base)}`;
    margins.push(`| ${version} | ${small} → ${large} tests | ${bytes(base)} | ${bytes(loose)} | ${added} |`);
  }
}

const table = [
  `Memory, Node ${process.versions.node}, ${machineLine()}, median of ${runs} runs`,
  '',
  '| runner | suite | variant | heap kept per test | peak RSS (largest process) | vs baseline |',
  '|---|---|---|---|---|---|',
  ...rows,
  '',
  ...(margins.length === 0
    ? []
    : [
        'Heap kept by one more test, between two single-file sizes:',
        '',
        '| runner | between | baseline | loose-ends | added by loose-ends |',
        '|---|---|---|---|---|',
        ...margins,
        '',
      ]),
].join('\n');
console.log(table);
mkdirSync(resultsDir, { recursive: true });
const outFile = args.out ?? join(resultsDir, `memory-node${process.versions.node.split('.')[0]}.md`);
writeFileSync(outFile, table);
console.error(`written to ${outFile}`);
