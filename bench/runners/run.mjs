#!/usr/bin/env node
// Cross-runner benchmark: the same generated suite under each runner with no detector (baseline),
// loose-ends, the empty-async_hooks floor and the runner's own detector, in one session.
//
//   node bench/runners/run.mjs [--runners jest,vitest,mocha] [--workloads realistic,promise]
//                              [--runs 5] [--files 20] [--tests 15] [--promise-iterations 20000]
//
// Each measurement is the wall time of one real runner process (run on this Node). Variants
// alternate inside every run (the starting variant rotates); one unmeasured warm-up per variant
// fills the runners' caches first. Prints a markdown table and writes it to bench/results/.
// See bench/README.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineLine, median, ratio, runTimed, wholeNumber } from '../lib.mjs';
import { CANARY, generate } from './generate.mjs';
import { adapterReady, suiteOptions, variantsFor } from './variants.mjs';

const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = join(benchDir, 'results');
const suitesDir = join(resultsDir, 'suites');

const { args, runners, workloads, files, testsPerFile, promiseIterations } = suiteOptions({
  files: 20,
  extra: { runs: { type: 'string', default: '5' } },
});
const runs = wholeNumber(args, 'runs');

const [major] = process.versions.node.split('.').map(Number);

/** Runs one runner process: wall time and the CPU time of its whole process tree. */
function runOnce(variant, dir) {
  return runTimed(variant.argv, dir);
}

/**
 * Runs the loose-ends variant once on a suite with one leaking test: it must fail, naming a timer.
 * Otherwise the adapter is not active as configured and its timings would measure nothing.
 */
function canary(runner) {
  const dir = generate({
    root: suitesDir,
    runner,
    workload: CANARY,
    files: 1,
    testsPerFile: 2,
    promiseIterations: 1,
  });
  const variant = variantsFor(runner, dir).variants.find((v) => v.name === 'loose-ends');
  if (!adapterReady(variant.adapter)) return undefined;
  const result = runOnce(variant, dir);
  if (result.status !== 0 && /timer|timeout/i.test(result.output)) return undefined;
  return `its canary test leaked a timer but the run ${result.status === 0 ? 'passed' : `failed without naming it (exit ${result.status})`}`;
}

// ---------------------------------------------------------------------------------------------

const tables = [];
const startedAt = new Date();
for (const runner of runners) {
  const canaryProblem = canary(runner);
  if (canaryProblem) console.error(`-- ${runner}: loose-ends is not detecting: ${canaryProblem}`);
  for (const workload of workloads) {
    const dir = generate({ root: suitesDir, runner, workload, files, testsPerFile, promiseIterations });
    const { version, variants: all } = variantsFor(runner, dir);
    const variants = [];
    const notes = [];
    for (const variant of all) {
      // Only the realistic suite is compared with the runners' own detectors.
      if (workload === 'promise' && variant.name === 'runner-detector') continue;
      if (variant.adapter && !adapterReady(variant.adapter)) {
        notes.push(
          `${variant.label}: skipped, packages/${variant.adapter}/dist is not built yet (run pnpm build).`,
        );
        continue;
      }
      if (variant.name === 'loose-ends' && canaryProblem) {
        variants.push({ ...variant, seconds: [], cpu: [], failure: `not detecting leaks: ${canaryProblem}` });
        continue;
      }
      variants.push({ ...variant, seconds: [], cpu: [], failure: undefined });
    }
    console.error(`\n== ${version}, ${workload} suite: ${files} files × ${testsPerFile} tests, ${runs} runs`);

    // Warm-up: one unmeasured run per variant (runner caches, OS file cache). A variant whose
    // warm-up fails is reported as failed and not measured: its time would mean nothing.
    for (const variant of variants) {
      const result = runOnce(variant, dir);
      if (result.status !== 0) {
        variant.failure = `exit code ${result.status}`;
        console.error(
          `-- ${variant.label} failed (${variant.failure}); last output:\n${tail(result.output)}`,
        );
      }
    }
    const measured = variants.filter((variant) => variant.failure === undefined);
    for (let run = 0; run < runs; run++) {
      const order = measured.map((_, i) => measured[(i + run) % measured.length]);
      for (const variant of order) {
        if (variant.failure) continue;
        const result = runOnce(variant, dir);
        if (result.status !== 0) {
          variant.failure = `exit code ${result.status} in run ${run + 1}`;
          console.error(
            `-- ${variant.label} failed (${variant.failure}); last output:\n${tail(result.output)}`,
          );
        } else {
          variant.seconds.push(result.seconds);
          variant.cpu.push(result.cpu);
        }
      }
      console.error(
        `   run ${run + 1}/${runs}: ${measured.map((v) => `${v.name} ${v.seconds.at(-1)?.toFixed(2) ?? '-'}s (CPU ${v.cpu.at(-1)?.toFixed(2) ?? '-'}s)`).join(', ')}`,
      );
    }
    tables.push({ runner, version, workload, variants, notes });
  }
}

const machine = machineLine();
const lines = [
  `## Cross-runner benchmark — ${startedAt.toISOString().slice(0, 10)}, Node ${process.versions.node}, ${machine}`,
  '',
  `${files} files × ${testsPerFile} tests per suite; ${runs} measured runs per variant (after one warm-up), variants alternating.`,
  'Wall = elapsed time of the whole runner process; CPU = user + system time of the runner and all its workers (steadier on a shared machine). Ratios are of medians.',
  `realistic: each test awaits a 1 ms timer, a 10-step async chain, an fs.promises read and a local HTTP request (server per file). promise: each test awaits Promise.resolve ${promiseIterations} times.`,
  '',
  '| runner | suite | variant | wall median (min–max) | wall × baseline | CPU median (min–max) | CPU × baseline | CPU × floor |',
  '|---|---|---|---|---|---|---|---|',
];
const verdicts = [];
for (const { version, workload, variants, notes } of tables) {
  const med = (name, clock) => {
    const variant = variants.find((v) => v.name === name && !v.failure);
    return variant ? median(variant[clock]) : undefined;
  };
  const base = { seconds: med('baseline', 'seconds'), cpu: med('baseline', 'cpu') };
  const floor = { seconds: med('floor', 'seconds'), cpu: med('floor', 'cpu') };
  for (const variant of variants) {
    if (variant.failure) {
      lines.push(`| ${version} | ${workload} | ${variant.label} | failed: ${variant.failure} | | | | |`);
      continue;
    }
    const cell = (clock) =>
      `${median(variant[clock]).toFixed(2)} s (${Math.min(...variant[clock]).toFixed(2)}–${Math.max(...variant[clock]).toFixed(2)})`;
    const wall = median(variant.seconds);
    const cpu = median(variant.cpu);
    lines.push(
      `| ${version} | ${workload} | ${variant.label} | ${cell('seconds')} | ${ratio(wall, base.seconds)} | ${cell('cpu')} | ${ratio(cpu, base.cpu)} | ${ratio(cpu, floor.cpu)} |`,
    );
  }
  for (const note of notes) lines.push(`| ${version} | ${workload} | ${note} | | | | | |`);
  const ours = { seconds: med('loose-ends', 'seconds'), cpu: med('loose-ends', 'cpu') };
  if (ours.cpu === undefined) continue;
  if (workload === 'realistic' && base.cpu !== undefined) {
    const met = ours.seconds / base.seconds <= 1.05 && ours.cpu / base.cpu <= 1.05;
    verdicts.push(
      `${version}, realistic: loose-ends ${ratio(ours.seconds, base.seconds)} baseline wall, ${ratio(ours.cpu, base.cpu)} CPU (target ≤ 1.05×: ${met ? 'met' : 'MISSED'}).`,
    );
  }
  if (workload === 'promise' && floor.cpu !== undefined) {
    const met = ours.seconds / floor.seconds <= 1.15 && ours.cpu / floor.cpu <= 1.15;
    verdicts.push(
      `${version}, promise-heavy: loose-ends ${ratio(ours.seconds, floor.seconds)} the floor wall, ${ratio(ours.cpu, floor.cpu)} CPU (target ≤ 1.15×: ${met ? 'met' : 'MISSED'}).`,
    );
  }
}
lines.push('', ...verdicts.map((verdict) => `- ${verdict}`));
const table = lines.join('\n');
console.log(`\n${table}`);
const out =
  args.out ??
  join(resultsDir, `runners-node${major}-${startedAt.toISOString().slice(0, 16).replace(':', '')}.md`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${table}\n`);
console.error(`\nbench: table written to ${out}`);

// ---------------------------------------------------------------------------------------------

function tail(text, count = 30) {
  return text.trim().split('\n').slice(-count).join('\n');
}
