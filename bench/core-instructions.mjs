#!/usr/bin/env node
// Instruction count of core's promise path: `await Promise.resolve(i)` in a loop, with an empty
// init hook (the floor) and with the loose-ends engine as an adapter uses it. Each variant runs at
// `--iterations` and at 3 iterations under valgrind's cachegrind; the difference is the loop alone,
// start-up excluded. `--single-threaded` keeps V8 from optimizing on background threads, whose
// timing otherwise decides how long the loop runs unoptimized: without it, repeat counts of the
// same variant differed by up to 3×; with it, by under 1%.
//
//   node bench/core-instructions.mjs [--node <path>] [--iterations 300000]
//
// Needs valgrind (Debian: apt-get install valgrind). See bench/README.md.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { fail, ratio, wholeNumber } from './lib.mjs';

const coreDist = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'core', 'dist', 'index.js');
const { values: args } = parseArgs({
  options: {
    node: { type: 'string', default: process.execPath },
    iterations: { type: 'string', default: '300000' },
  },
});
const iterations = wholeNumber(args, 'iterations');

const loop = (n) => `for (let i = 0; i < ${n}; i++) await Promise.resolve(i);`;
const programs = {
  floor: (n) => `(await import('node:async_hooks')).createHook({ init() {} }).enable(); ${loop(n)}`,
  'loose-ends': (n) => `
    const { getEngine, resolveOptions } = await import(${JSON.stringify(pathToFileURL(coreDist).href)});
    const engine = getEngine(); const options = resolveOptions({}, 'bench'); engine.applySettings(options);
    const ctx = engine.createContext({ kind: 'test', title: 'loop' });
    await engine.run(ctx, async () => { ${loop(n)} });
    await engine.check(ctx, options);`,
};

function count(source) {
  const child = spawnSync(
    'valgrind',
    [
      '--tool=cachegrind',
      '--cache-sim=no',
      '--cachegrind-out-file=/dev/null',
      args.node,
      '--single-threaded',
      '--input-type=module',
      '-e',
      source,
    ],
    { encoding: 'utf8' },
  );
  const match = /I\s+refs:\s+([\d,]+)/.exec(child.stderr ?? '');
  if (child.status !== 0 || !match)
    fail(`bench: valgrind run failed (is valgrind installed?):\n${child.stderr}`);
  return Number(match[1].replaceAll(',', ''));
}

const version = spawnSync(args.node, ['--version'], { encoding: 'utf8' }).stdout.trim();
const perIteration = {};
for (const [name, program] of Object.entries(programs)) {
  perIteration[name] = (count(program(iterations)) - count(program(3))) / (iterations - 3);
}
console.log(`Node ${version}, ${iterations} iterations, instructions per iteration (start-up excluded):`);
for (const [name, value] of Object.entries(perIteration)) {
  console.log(
    `  ${name.padEnd(10)} ${value.toFixed(0).padStart(6)}  ${ratio(value, perIteration.floor)} floor`,
  );
}
