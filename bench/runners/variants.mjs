// What run.mjs (wall and CPU time) and instructions.mjs (instruction counts) share: their
// command-line options, and the variants each runner is measured in, as command lines after `node`.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { listOf, wholeNumber } from '../lib.mjs';
import { WORKLOADS } from './generate.mjs';

export const RUNNERS = ['jest', 'vitest', 'mocha'];

/**
 * The options both scripts take (which runners and suites, how big, where the table goes), plus
 * `extra` ones; exits naming the option when a value is not accepted.
 */
export function suiteOptions({ files, extra = {} }) {
  const { values: args } = parseArgs({
    options: {
      runners: { type: 'string', default: RUNNERS.join(',') },
      workloads: { type: 'string', default: WORKLOADS.join(',') },
      files: { type: 'string', default: String(files) },
      tests: { type: 'string', default: '15' },
      'promise-iterations': { type: 'string', default: '20000' },
      out: { type: 'string' },
      ...extra,
    },
  });
  return {
    args,
    runners: listOf(args, 'runners', RUNNERS),
    workloads: listOf(args, 'workloads', WORKLOADS),
    files: wholeNumber(args, 'files'),
    testsPerFile: wholeNumber(args, 'tests'),
    promiseIterations: wholeNumber(args, 'promise-iterations'),
  };
}

const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const requireFromBench = createRequire(join(benchDir, 'package.json'));

const [major, minor] = process.versions.node.split('.').map(Number);
// Vitest 5 needs Node >= 22.12; older Nodes run Vitest 4.1 (installed as the `vitest4` alias).
const vitestPackage = major > 22 || (major === 22 && minor >= 12) ? 'vitest' : 'vitest4';

function binOf(pkg, name = pkg) {
  const manifestPath = requireFromBench.resolve(`${pkg}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[name];
  return { file: join(dirname(manifestPath), bin), version: manifest.version };
}

let vitestDetectsLeaks;
/** Whether this Vitest has a leak detector of its own: `vitest --help` once per run, not per suite. */
function hasLeakDetector(vitestBin) {
  vitestDetectsLeaks ??= (
    spawnSync(process.execPath, [vitestBin, '--help'], { encoding: 'utf8' }).stdout ?? ''
  ).includes('--detectAsyncLeaks');
  return vitestDetectsLeaks;
}

/** Baseline, loose-ends and the floor: every runner has these three, given their command lines. */
function standardVariants(baseline, looseEnds, floor, adapter) {
  return [
    { name: 'baseline', label: 'baseline (no detector)', argv: baseline },
    { name: 'loose-ends', label: 'loose-ends', argv: looseEnds, adapter },
    { name: 'floor', label: 'empty async_hooks (floor)', argv: floor },
  ];
}

/** The variants of one runner: name, label, and the command line (after `node`). */
export function variantsFor(runner, dir) {
  const variants = [];
  if (runner === 'jest') {
    const { file, version } = binOf('jest');
    const jest = (config, ...extra) => [file, '--config', join(dir, config), '--ci', '--silent', ...extra];
    variants.push(
      ...standardVariants(
        jest('jest.baseline.config.cjs'),
        jest('jest.loose-ends.config.cjs'),
        jest('jest.floor.config.cjs'),
        'jest-env',
      ),
      {
        name: 'runner-detector',
        label: 'jest --detectOpenHandles',
        argv: jest('jest.baseline.config.cjs', '--detectOpenHandles'),
      },
    );
    return { version: `jest ${version}`, variants };
  }
  if (runner === 'vitest') {
    const { file, version } = binOf(vitestPackage, 'vitest');
    const vitest = (config, ...extra) => [
      file,
      'run',
      '--config',
      join(dir, config),
      '--root',
      dir,
      ...extra,
    ];
    variants.push(
      ...standardVariants(
        vitest('vitest.baseline.config.mjs'),
        vitest('vitest.loose-ends.config.mjs'),
        vitest('vitest.floor.config.mjs'),
        'vitest-plugin',
      ),
    );
    if (hasLeakDetector(file)) {
      variants.push({
        name: 'runner-detector',
        label: 'vitest --detectAsyncLeaks',
        argv: vitest('vitest.baseline.config.mjs', '--detectAsyncLeaks'),
      });
    }
    return { version: `vitest ${version}`, variants };
  }
  const { file, version } = binOf('mocha');
  const mocha = (...extra) => [file, '--no-config', ...extra, join(dir, 'test', '*.spec.cjs')];
  variants.push(
    // loose-ends as the adapter README says: --require @loose-ends/mocha-hooks.
    ...standardVariants(
      mocha(),
      mocha('--require', '@loose-ends/mocha-hooks'),
      mocha('--require', join(dir, 'floor.cjs')),
      'mocha-hooks',
    ),
  );
  return { version: `mocha ${version} (no detector of its own)`, variants };
}

/** Whether the adapter a loose-ends variant uses has been built (`pnpm build`). */
export function adapterReady(adapter) {
  return existsSync(join(benchDir, '..', 'packages', adapter, 'dist', 'index.js'));
}
