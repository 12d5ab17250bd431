/**
 * Each runner's quick start, pasted into a new project: the packed tarballs and the runner
 * installed with npm, the README's config written as it stands, one leaky and one clean test.
 * The leaky one must fail naming its leak, the clean one pass, and the run exit non-zero.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { leakSite } from '@loose-ends-fixtures/leak-site';
import { type PackageDirectory, packAll, ROOT } from './pack.js';
import { readQuickStart } from './readme-quick-start.js';

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);

function devDependency(manifest: string, name: string): string {
  const json = JSON.parse(readFileSync(path.join(ROOT, manifest), 'utf8'));
  const range: string = json.devDependencies[name];
  return range.replace(/^npm:[^@]+@/, '');
}

interface Runner {
  readonly name: 'jest' | 'vitest' | 'mocha';
  readonly adapter: PackageDirectory;
  /** The runner at the version this repository tests it with. */
  readonly version: string;
  readonly args: readonly string[];
  readonly leakyFile: string;
  /** Its `setInterval` line ends with `// LEAK: interval`: the creation line the report must name. */
  readonly leaky: string;
  readonly cleanFile: string;
  readonly clean: string;
  /** What the runner prints when the clean file or test passes, and its totals line. */
  readonly passed: RegExp;
  readonly totals: RegExp;
}

const RUNNERS: readonly Runner[] = [
  {
    name: 'jest',
    adapter: 'jest-env',
    version: devDependency('packages/jest-env/package.json', 'jest'),
    args: ['--ci'],
    leakyFile: 'test/leaky.test.js',
    leaky: "test('leaks an interval', () => {\n  setInterval(() => {}, 1000); // LEAK: interval\n});\n",
    cleanFile: 'test/clean.test.js',
    clean: "test('clears its interval', () => {\n  clearInterval(setInterval(() => {}, 1000));\n});\n",
    passed: /PASS test\/clean\.test\.js/,
    totals: /Tests:\s+1 failed, 1 passed, 2 total/,
  },
  {
    name: 'vitest',
    adapter: 'vitest-plugin',
    // Vitest 5 needs Node ≥ 22.12; older Nodes get the Vitest 4.1 the plugin's tests use there.
    version:
      major > 22 || (major === 22 && minor >= 12)
        ? devDependency('packages/vitest-plugin/package.json', 'vitest')
        : devDependency('packages/vitest-plugin/test/fixtures/basic/package.json', 'vitest4'),
    args: ['run'],
    leakyFile: 'test/leaky.test.ts',
    leaky:
      "import { test } from 'vitest';\n\ntest('leaks an interval', () => {\n  setInterval(() => {}, 1000); // LEAK: interval\n});\n",
    cleanFile: 'test/clean.test.ts',
    clean:
      "import { test } from 'vitest';\n\ntest('clears its interval', () => {\n  clearInterval(setInterval(() => {}, 1000));\n});\n",
    passed: /✓ test\/clean\.test\.ts/,
    totals: /Tests\s+1 failed \| 1 passed \(2\)/,
  },
  {
    name: 'mocha',
    adapter: 'mocha-hooks',
    version: devDependency('packages/mocha-hooks/package.json', 'mocha'),
    args: [],
    leakyFile: 'test/leaky.test.js',
    leaky: "it('leaks an interval', () => {\n  setInterval(() => {}, 1000); // LEAK: interval\n});\n",
    cleanFile: 'test/clean.test.js',
    clean: "it('clears its interval', () => {\n  clearInterval(setInterval(() => {}, 1000));\n});\n",
    passed: /✔ clears its interval/,
    totals: /1 passing[\s\S]*1 failing/,
  },
];

/** This process's environment without what pnpm sets for its scripts, which npm would read as its own config. */
function plainEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
}

/** A runner's executable script, from its package.json `bin`, to start on this Node. */
function binOf(project: string, runner: string): string {
  const manifestPath = createRequire(path.join(project, 'package.json')).resolve(`${runner}/package.json`);
  const { bin } = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: string | Record<string, string> };
  return path.join(path.dirname(manifestPath), typeof bin === 'string' ? bin : bin[runner]!);
}

describe('the README quick start, installed from the packed tarballs', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'loose-ends-quick-start-'));
  let tarballs: Record<PackageDirectory, string>;
  before(() => {
    tarballs = packAll(path.join(work, 'tarballs'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  /** The tarball of the package published as `name` (`@loose-ends/jest-env`). */
  function tarballOf(name: string): string {
    const directory = name.replace(/^@loose-ends\//, '') as PackageDirectory;
    const tarball = tarballs[directory];
    if (tarball === undefined) throw new Error(`the README installs ${name}, which is not a package here`);
    return tarball;
  }

  for (const runner of RUNNERS) {
    test(`${runner.name} ${runner.version}: the leaky test fails naming its leak, the clean one passes`, () => {
      const quickStart = readQuickStart(runner.name);
      assert.deepEqual(quickStart.packages, [`@loose-ends/${runner.adapter}`]);

      const project = path.join(work, runner.name);
      mkdirSync(path.join(project, 'test'), { recursive: true });
      writeFileSync(
        path.join(project, 'package.json'),
        `${JSON.stringify({ name: `quick-start-${runner.name}`, private: true }, null, 2)}\n`,
      );
      // The README's install, from the tarballs, plus core: the adapters depend on it, and until it is
      // published npm would look for it on the registry.
      const install = spawnSync(
        'npm',
        [
          'install',
          '--save-dev',
          '--prefer-offline',
          '--no-audit',
          '--no-fund',
          tarballs.core,
          ...quickStart.packages.map(tarballOf),
          `${runner.name}@${runner.version}`,
        ],
        { cwd: project, encoding: 'utf8', env: plainEnvironment(), timeout: 600_000 },
      );
      assert.equal(install.status, 0, `npm install failed:\n${install.stdout}\n${install.stderr}`);

      writeFileSync(path.join(project, quickStart.configFile), quickStart.config);
      writeFileSync(path.join(project, runner.leakyFile), runner.leaky);
      writeFileSync(path.join(project, runner.cleanFile), runner.clean);

      const run = spawnSync(process.execPath, [binOf(project, runner.name), ...runner.args], {
        cwd: project,
        encoding: 'utf8',
        env: { ...plainEnvironment(), CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0', LOOSE_ENDS_MODE: '' },
        // A guard against a hang (the detector must never cause one), not a timing check.
        timeout: 120_000,
      });
      const output = `${run.stdout}\n${run.stderr}`;
      const leakAt = leakSite(runner.leakyFile, 'interval', { root: project, call: 'setInterval' });
      assert.notEqual(run.status, 0, output);
      assert.notEqual(run.status, null, `${runner.name} did not exit:\n${output}`);
      assert.match(output, /leaks an interval" left 1 async task running: 1 interval/, output);
      assert.ok(output.includes(`Created at ${leakAt}`), `no "Created at ${leakAt}"\n${output}`);
      assert.match(output, runner.passed, output);
      assert.match(output, runner.totals, output);
      assert.match(output, /1 of 2 tests left 1 async task running \(1 interval\)/, output);
    });
  }
});
