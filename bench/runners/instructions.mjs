#!/usr/bin/env node
// Instruction counts: the same generated suites as run.mjs, each variant run once under valgrind's
// cachegrind, which counts the instructions the runner process and all its workers execute.
// Counts do not move with the machine's load the way wall and CPU time do (±8% between batches on
// a shared machine), but they are not exact either: V8 sizes its heap from measured GC and mutator
// speeds, so whether a run does one more full GC varies, and a run can differ from the next by up
// to 8%. Hence several runs per variant (alternating), medians and min–max. Slow: about 50× a
// normal run per run, hence a smaller default suite.
//
//   node bench/runners/instructions.mjs [--runners jest,vitest,mocha] [--workloads realistic,promise]
//                                       [--runs 3] [--files 6] [--tests 15] [--promise-iterations 20000]
//
// Needs valgrind (Debian: apt-get install valgrind). See bench/README.md.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fail, machineLine, median, ratio, wholeNumber } from '../lib.mjs';
import { generate } from './generate.mjs';
import { adapterReady, suiteOptions, variantsFor } from './variants.mjs';

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');
const suitesDir = join(resultsDir, 'suites-instructions');

const { args, runners, workloads, files, testsPerFile, promiseIterations } = suiteOptions({
  files: 6,
  extra: { runs: { type: 'string', default: '3' } },
});
const runs = wholeNumber(args, 'runs');

const valgrind = spawnSync('valgrind', ['--version'], { encoding: 'utf8' });
if (valgrind.status !== 0) {
  fail('bench: instructions.mjs needs valgrind on the PATH (Debian/Ubuntu: apt-get install valgrind).');
}

/** Runs one variant under cachegrind; returns the instructions of all its processes, summed. */
function count(variant, dir) {
  const logs = mkdtempSync(join(tmpdir(), 'loose-ends-instructions-'));
  try {
    const child = spawnSync(
      'valgrind',
      [
        '--tool=cachegrind',
        '--cache-sim=no',
        '--cachegrind-out-file=/dev/null',
        '--trace-children=yes',
        `--log-file=${join(logs, '%p.log')}`,
        process.execPath,
        ...variant.argv,
      ],
      {
        cwd: dir,
        encoding: 'utf8',
        maxBuffer: 1 << 26,
        env: quietEnv(),
      },
    );
    let instructions = 0;
    for (const name of readdirSync(logs)) {
      const match = /I\s+refs:\s+([\d,]+)/.exec(readFileSync(join(logs, name), 'utf8'));
      if (match) instructions += Number(match[1].replaceAll(',', ''));
    }
    return { instructions, status: child.status, output: `${child.stdout}\n${child.stderr}` };
  } finally {
    rmSync(logs, { recursive: true, force: true });
  }
}

function quietEnv() {
  return { ...process.env, CI: 'true', FORCE_COLOR: '0', NO_COLOR: '1' };
}

const lines = [
  `## Instruction counts — ${new Date().toISOString().slice(0, 10)}, Node ${process.versions.node}, ${machineLine()}`,
  '',
  `${files} files × ${testsPerFile} tests per suite, one warm-up run per variant, then ${runs} runs per variant under valgrind (cachegrind), variants alternating: instructions executed by the runner process and all its workers and threads, start-up included. Median (min–max); ratios are of medians.`,
  '',
  '| runner | suite | variant | instructions, median (min–max) | × baseline | × floor |',
  '|---|---|---|---|---|---|',
];
const giga = (instructions) => (instructions / 1e9).toFixed(3);
for (const runner of runners) {
  for (const workload of workloads) {
    const dir = generate({ root: suitesDir, runner, workload, files, testsPerFile, promiseIterations });
    const { version, variants } = variantsFor(runner, dir);
    const measured = [];
    for (const variant of variants) {
      if (variant.name === 'runner-detector') continue;
      if (variant.adapter && !adapterReady(variant.adapter)) {
        console.error(
          `-- ${variant.label}: skipped, packages/${variant.adapter}/dist is not built (pnpm build)`,
        );
        continue;
      }
      // Warm-up at full speed first: Jest's and Vite's transform caches are filled by the first run
      // on a fresh suite, which would otherwise be counted against whichever variant runs first.
      spawnSync(process.execPath, variant.argv, { cwd: dir, stdio: 'ignore', env: quietEnv() });
      measured.push({ ...variant, counts: [] });
    }
    for (let run = 0; run < runs; run++) {
      for (const variant of measured.filter((candidate) => !candidate.failed)) {
        const result = count(variant, dir);
        if (result.status !== 0 || result.instructions === 0) {
          console.error(
            `-- ${version} ${workload} ${variant.label} failed (exit ${result.status}):\n${result.output.trim().split('\n').slice(-20).join('\n')}`,
          );
          variant.failed = true;
          continue;
        }
        variant.counts.push(result.instructions);
      }
      console.error(
        `   ${version} ${workload} run ${run + 1}/${runs}: ${measured.map((variant) => `${variant.name} ${variant.failed ? 'failed' : `${giga(variant.counts.at(-1))} G`}`).join(', ')}`,
      );
    }
    const timed = measured.filter((variant) => !variant.failed);
    const of = (name) => median(timed.find((variant) => variant.name === name)?.counts);
    for (const variant of timed) {
      const middle = median(variant.counts);
      lines.push(
        `| ${version} | ${workload} | ${variant.label} | ${giga(middle)} G (${giga(Math.min(...variant.counts))}–${giga(Math.max(...variant.counts))}) | ${ratio(middle, of('baseline'))} | ${ratio(middle, of('floor'))} |`,
      );
    }
  }
}
const table = lines.join('\n');
console.log(`\n${table}`);
const out = args.out ?? join(resultsDir, `instructions-node${process.versions.node.split('.')[0]}.md`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${table}\n`);
console.error(`\nbench: table written to ${out}`);
