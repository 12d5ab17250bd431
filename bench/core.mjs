#!/usr/bin/env node
// Measures what @loose-ends/core costs the code under test, against no hook and against the floor
// (an empty async_hooks `init` hook: the least any async_hooks-based detector can cost).
//
//   node bench/core.mjs [--node <path>] [--runs 7] [--iterations 2000000] [--rounds 300] [--out <file>]
//
// Each measurement is a fresh child process (so hooks never mix), variants alternate within every
// run, and the table shows the median and min–max of each variant plus ratios of medians.
// Workloads:
//   promise  `await Promise.resolve(i)` in a loop: two promises per iteration, the worst case for
//            an init hook (reported in ns per iteration)
//   io       awaited 1 ms timers, fs.promises reads, setImmediate and a local HTTP request per round
//            (reported in ms per run)
// Variants `loose-ends` run the workload the way an adapter does: getEngine(), createContext,
// engine.run(ctx, fn), then engine.check(ctx) (its time is reported separately as "check").
// Variants `destroy` and `destroy, trackPromises:false` are for the notes: the price of a destroy hook.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { fail, machineLine, median, ratio, wholeNumber } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const coreDist = join(here, '..', 'packages', 'core', 'dist', 'index.js');

const VARIANTS = {
  none: 'no hook',
  floor: 'empty init hook (floor)',
  'loose-ends': 'loose-ends engine',
  als: 'AsyncLocalStorage.run only',
  'floor+als': 'empty init + AsyncLocalStorage.run',
  'init+promiseResolve': 'empty init + promiseResolve',
  destroy: 'empty init + destroy',
  'destroy-untracked': 'empty init + destroy, trackPromises:false',
};

const { values: args } = parseArgs({
  options: {
    child: { type: 'string' },
    workload: { type: 'string' },
    node: { type: 'string', default: process.execPath },
    runs: { type: 'string', default: '7' },
    iterations: { type: 'string', default: '2000000' },
    rounds: { type: 'string', default: '300' },
    reps: { type: 'string', default: '3' },
    variants: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (args.child) {
  await child(args.child, args.workload, Number(args.iterations), Number(args.rounds), Number(args.reps));
} else if (args.help) {
  console.log(readHeader());
} else {
  main();
}

// ---------------------------------------------------------------------------------------------
// Parent: spawn, alternate, summarise.

function main() {
  const runs = wholeNumber(args, 'runs');
  wholeNumber(args, 'iterations');
  wholeNumber(args, 'rounds');
  wholeNumber(args, 'reps');
  if (!existsSync(coreDist)) {
    fail(`bench: ${coreDist} is missing. Build the packages first: npx -y pnpm@10 build`);
  }
  const probe = spawnSync(args.node, ['-p', 'process.versions.node'], { encoding: 'utf8' });
  if (probe.status !== 0) fail(`bench: --node ${args.node} did not run: ${probe.stderr || probe.error}`);
  const version = probe.stdout.trim();
  const [major, minor] = version.split('.').map(Number);
  const untrackedWorks = major > 24 || (major === 24 && minor >= 14);

  let variants = args.variants?.split(',') ?? Object.keys(VARIANTS);
  for (const variant of variants) {
    if (!(variant in VARIANTS))
      fail(`bench: unknown variant "${variant}"; accepted: ${Object.keys(VARIANTS).join(', ')}`);
  }
  if (!untrackedWorks) variants = variants.filter((variant) => variant !== 'destroy-untracked');

  const workloads = ['promise', 'io'];
  const samples = new Map(); // `${workload}/${variant}` -> { value: number[], check: number[] }
  console.error(
    `bench: Node ${version}, ${runs} runs × ${variants.length} variants × ${workloads.length} workloads`,
  );
  for (let run = 0; run < runs; run++) {
    // Rotate the starting variant so no variant always runs first (or right after the slowest).
    const order = variants.map((_, i) => variants[(i + run) % variants.length]);
    for (const workload of workloads) {
      for (const variant of order) {
        const result = spawnChild(variant, workload);
        const key = `${workload}/${variant}`;
        if (!samples.has(key)) samples.set(key, { value: [], wall: [], check: [] });
        samples.get(key).value.push(result.cpu);
        samples.get(key).wall.push(result.wall);
        if (result.check !== undefined) samples.get(key).check.push(result.check);
      }
    }
    process.stderr.write(`bench: run ${run + 1}/${runs} done\n`);
  }

  const machine = machineLine();
  const lines = [
    `## @loose-ends/core overhead — Node ${version}`,
    '',
    `${new Date().toISOString().slice(0, 10)}, ${machine}, ${runs} runs per variant, each in its own process (best of ${args.reps} repetitions after a warm-up).`,
    `promise: ${args.iterations} × \`await Promise.resolve(i)\`, CPU ns per iteration. io: ${args.rounds} rounds of timer + fs read + setImmediate + local HTTP request, CPU ms per run.`,
    'CPU time (process.cpuUsage) is the measure: on a shared machine it is far steadier than wall time, which is given for reference.',
    '',
    '| workload | variant | CPU median | min–max | × no hook | × floor | wall median | check (median) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  const verdicts = [];
  for (const workload of workloads) {
    const unit = workload === 'promise' ? 'ns' : 'ms';
    const base = median(samples.get(`${workload}/none`)?.value);
    const floor = median(samples.get(`${workload}/floor`)?.value);
    for (const variant of variants) {
      const { value, wall, check } = samples.get(`${workload}/${variant}`);
      const m = median(value);
      lines.push(
        `| ${workload} | ${VARIANTS[variant]} | ${fmt(m)} ${unit} | ${fmt(Math.min(...value))}–${fmt(Math.max(...value))} | ${ratio(m, base)} | ${ratio(m, floor)} | ${fmt(median(wall))} ${unit} | ${check.length ? `${fmt(median(check))} ms` : ''} |`,
      );
    }
    if (workload === 'promise' && floor !== undefined && samples.has('promise/loose-ends')) {
      const ours = samples.get('promise/loose-ends').value;
      const r = median(ours) / floor;
      // Noise from other processes only ever adds time, so the ratio of the fastest runs is a useful second view.
      const best = Math.min(...ours) / Math.min(...samples.get('promise/floor').value);
      verdicts.push(
        `Target (promise loop ≤ 1.15× floor): ${r <= 1.15 ? 'met' : 'MISSED'} at ${r.toFixed(2)}× (medians; fastest runs: ${best.toFixed(2)}×) on Node ${version}.`,
      );
    }
  }
  lines.push('', ...verdicts);
  const table = lines.join('\n');
  console.log(table);

  const out =
    args.out ?? join(here, 'results', `core-node${major}-${new Date().toISOString().slice(0, 10)}.md`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${table}\n`);
  console.error(`bench: table written to ${out}`);
}

function spawnChild(variant, workload) {
  const child = spawnSync(
    args.node,
    [
      fileURLToPath(import.meta.url),
      '--child',
      variant,
      '--workload',
      workload,
      '--iterations',
      args.iterations,
      '--rounds',
      args.rounds,
      '--reps',
      args.reps,
    ],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  const last = child.stdout.trim().split('\n').at(-1) ?? '';
  if (child.status !== 0 || !last.startsWith('{')) {
    fail(
      `bench: child ${variant}/${workload} failed (exit ${child.status}):\n${child.stderr}${child.stdout}`,
    );
  }
  if (child.stderr.trim()) process.stderr.write(child.stderr);
  return JSON.parse(last);
}

// ---------------------------------------------------------------------------------------------
// Child: install one variant, run one workload, print one JSON line.

async function child(variant, workload, iterations, rounds, reps) {
  const { AsyncLocalStorage, createHook } = await import('node:async_hooks');
  const noop = () => {};
  let engine;
  let options;
  let storage;
  if (variant === 'floor') createHook({ init: noop }).enable();
  else if (variant === 'als') storage = new AsyncLocalStorage();
  else if (variant === 'floor+als') {
    createHook({ init: noop }).enable();
    storage = new AsyncLocalStorage();
  } else if (variant === 'init+promiseResolve') createHook({ init: noop, promiseResolve: noop }).enable();
  else if (variant === 'destroy') createHook({ init: noop, destroy: noop }).enable();
  else if (variant === 'destroy-untracked')
    createHook({ init: noop, destroy: noop, trackPromises: false }).enable();
  else if (variant === 'loose-ends') {
    const core = await import(pathToFileURL(coreDist).href);
    engine = core.getEngine();
    options = core.resolveOptions({}, 'bench/core.mjs');
    engine.applySettings(options);
  } else if (variant !== 'none') {
    throw new Error(`unknown variant ${variant}`);
  }

  const io = workload === 'io' ? await ioFixture() : undefined;
  const work = workload === 'promise' ? () => promiseLoop(iterations) : () => io.rounds(rounds);
  const body = storage === undefined ? work : () => storage.run({ test: 'bench' }, work);
  const cpuMs = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  const measure = async (title) => {
    if (engine === undefined) {
      const started = performance.now();
      const startedCpu = cpuMs();
      await body();
      return { ms: performance.now() - started, cpu: cpuMs() - startedCpu };
    }
    const ctx = engine.createContext({ kind: 'test', title });
    const started = performance.now();
    const startedCpu = cpuMs();
    await engine.run(ctx, body);
    const ms = performance.now() - started;
    const cpu = cpuMs() - startedCpu;
    const checkStarted = performance.now();
    const result = await engine.check(ctx, options);
    const check = performance.now() - checkStarted;
    if (result.status !== 'clean') throw new Error(`the bench workload leaked: ${result.error?.message}`);
    return { ms, cpu, check };
  };

  // Warm up JIT and the lazily created Node internals under the same variant, then keep the best
  // of a few repetitions: interference from other processes only ever adds time.
  await measure('warm-up');
  const best = { ms: Number.POSITIVE_INFINITY, cpu: Number.POSITIVE_INFINITY, check: undefined };
  for (let rep = 0; rep < reps; rep++) {
    const { ms, cpu, check } = await measure(`measured ${rep}`);
    best.ms = Math.min(best.ms, ms);
    best.cpu = Math.min(best.cpu, cpu);
    if (check !== undefined) best.check = Math.min(best.check ?? Number.POSITIVE_INFINITY, check);
  }
  await io?.close();
  const scale = workload === 'promise' ? 1e6 / iterations : 1;
  console.log(
    JSON.stringify({ variant, workload, cpu: best.cpu * scale, wall: best.ms * scale, check: best.check }),
  );
}

async function promiseLoop(iterations) {
  let sum = 0;
  for (let i = 0; i < iterations; i++) sum += await Promise.resolve(i);
  return sum;
}

async function ioFixture() {
  const http = await import('node:http');
  const { readFile } = await import('node:fs/promises');
  const { setTimeout: sleep, setImmediate: nextTurn } = await import('node:timers/promises');
  const server = http.createServer((req, res) => res.end(`hello ${req.url}`));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const self = fileURLToPath(import.meta.url);
  const get = (path) =>
    new Promise((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => {
            body += chunk;
          });
          res.on('end', () => resolve(body));
        })
        .on('error', reject);
    });
  return {
    async rounds(count) {
      for (let i = 0; i < count; i++) {
        await sleep(1);
        await readFile(self, 'utf8');
        await nextTurn();
        await get(`/${i}`);
      }
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

// ---------------------------------------------------------------------------------------------

function fmt(value) {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

function readHeader() {
  return `${fileURLToPath(import.meta.url)}\nSee the comment at the top of this file, or bench/README.md.`;
}
