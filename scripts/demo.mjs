#!/usr/bin/env node
// Builds the packages, then runs each example project's demo (jest, vitest, mocha) in turn, streaming
// the runner's real output. Each example's scripts/demo.mjs exits 0 when the runner showed the leaks
// it is meant to show; this script exits non-zero if the build failed or one of them did not.
// Run it with `npx -y pnpm@10 demo`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runners = ['jest', 'vitest', 'mocha'];
const tty = process.stdout.isTTY;
const bold = (text) => (tty ? `\x1b[1m${text}\x1b[22m` : text);
const line = '─'.repeat(72);

// Run pnpm the way the README does, so this works with nothing installed globally but Node and npm.
// Inside `pnpm demo`, pnpm tells us where it is; reuse that copy rather than fetching another.
const pnpm = process.env.npm_execpath?.includes('pnpm')
  ? [process.execPath, process.env.npm_execpath]
  : ['npx', '-y', 'pnpm@10'];

// The build's log is only news when it fails: the demo is about the runners' output.
if (tty) process.stdout.write('Building the packages…');
const [command, ...args] = pnpm;
const build = spawnSync(command, [...args, 'build'], { cwd: root, encoding: 'utf8' });
if (tty) process.stdout.write('\r\x1b[K');
if (build.status !== 0) {
  process.stdout.write(build.stdout ?? '');
  process.stderr.write(build.stderr ?? '');
  console.error(
    `\nThe build failed (${build.error?.message ?? `exit code ${build.status}`}), so the demo did not run. ` +
      'Its output is above; rerun it alone with: npx -y pnpm@10 build',
  );
  process.exit(1);
}

const results = [];
for (const runner of runners) {
  const dir = join(root, 'examples', runner);
  console.log(`${line}\n${bold(`loose-ends demo: ${runner}`)}  (examples/${runner})\n${line}`);
  if (!existsSync(join(dir, 'scripts', 'demo.mjs'))) {
    console.log(`examples/${runner} has no scripts/demo.mjs; skipping it.`);
    results.push({ runner, outcome: 'skipped (no demo script)' });
    continue;
  }
  const started = performance.now();
  const child = spawnSync(process.execPath, [join(dir, 'scripts', 'demo.mjs')], {
    cwd: dir,
    stdio: 'inherit',
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log();
  if (child.error) {
    results.push({ runner, outcome: `FAILED: could not start it (${child.error.message})`, failed: true });
  } else if (child.status === 0) {
    results.push({ runner, outcome: `showed the expected leaks (${seconds}s)` });
  } else {
    const how = child.signal ? `signal ${child.signal}` : `exit code ${child.status}`;
    results.push({
      runner,
      outcome: `FAILED: its demo script ended with ${how} (${seconds}s)`,
      failed: true,
    });
  }
}

console.log(`${line}\n${bold('Summary')}\n${line}`);
for (const { runner, outcome } of results) console.log(`  ${runner.padEnd(7)} ${outcome}`);
const failures = results.filter((result) => result.failed);
if (failures.length > 0) {
  console.log(
    `\n${failures.length} example(s) did not show what they should. Their output is above; ` +
      'rerun one alone with: npx -y pnpm@10 --filter ./examples/<runner> run demo',
  );
  process.exitCode = 1;
}
