#!/usr/bin/env node
// Runs each example project's `demo` script (jest, vitest, mocha) in turn, streaming the runner's
// real output. Each demo script exits 0 when it showed the leaks it is meant to show; this script
// exits non-zero only if one of them did not. Run it with `pnpm demo` (which builds the packages first).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runners = ['jest', 'vitest', 'mocha'];
const bold = (text) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[22m` : text);
const line = '─'.repeat(72);

// Run pnpm the way the README does, so this works with nothing installed globally but Node and npm.
// Inside `pnpm demo`, pnpm tells us where it is; reuse that copy rather than fetching another.
const pnpm = process.env.npm_execpath?.includes('pnpm')
  ? [process.execPath, process.env.npm_execpath]
  : ['npx', '-y', 'pnpm@10'];

const results = [];
for (const runner of runners) {
  const dir = join(root, 'examples', runner);
  console.log(`\n${line}\n${bold(`loose-ends demo: ${runner}`)}  (examples/${runner})\n${line}`);
  if (!existsSync(join(dir, 'package.json'))) {
    console.log(`examples/${runner} does not exist yet; skipping it.`);
    results.push({ runner, outcome: 'skipped (no example yet)' });
    continue;
  }
  const started = performance.now();
  const [command, ...args] = pnpm;
  const child = spawnSync(command, [...args, '--filter', `./examples/${runner}`, 'run', 'demo'], {
    cwd: root,
    stdio: 'inherit',
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (child.error) {
    console.error(`Could not start pnpm for examples/${runner}: ${child.error.message}`);
    results.push({ runner, outcome: 'FAILED (pnpm did not start)', failed: true });
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

console.log(`\n${line}\n${bold('Summary')}\n${line}`);
for (const { runner, outcome } of results) console.log(`  ${runner.padEnd(7)} ${outcome}`);
const failures = results.filter((result) => result.failed);
if (failures.length > 0) {
  console.log(
    `\n${failures.length} example(s) did not show what they should. Their output is above; ` +
      `rerun one alone with: npx -y pnpm@10 --filter ./examples/<runner> run demo`,
  );
  process.exitCode = 1;
}
