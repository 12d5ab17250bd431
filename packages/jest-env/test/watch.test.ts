import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { leakSite } from '@loose-ends-fixtures/leak-site';
import type { FileResult, JestRun } from './run-jest.js';
import { fixturesDirectory, jestBinFor, jestRunOf } from './run-jest.js';

const fixture = path.join(fixturesDirectory, 'jest-watch');
const at = (site: string) => leakSite('tests/leaks.test.js', site, { root: path.join(fixture, 'template') });
/** Printed by Jest after it writes the JSON results of a run: the end of one watch-mode run. */
const RUN_END = /^Test results written to: .*$/gm;

interface WatchSession {
  /** One entry per run: that run's slice of the output and its JSON results. */
  runs: JestRun[];
  output: string;
}

/**
 * Starts the fixture's Jest in watch mode on a scratch copy of `template/` (stdin a pipe, as in CI:
 * no TTY, so no keys), waits for the first run, then appends a comment to a test file and waits for
 * the re-run, `reRuns` times, and stops Jest. `count-hooks.cjs` is preloaded into the Jest process
 * (and, through NODE_OPTIONS, its workers) to count async_hooks.createHook() calls.
 */
async function watchJest(args: readonly string[], reRuns: number, setup?: (dir: string) => void) {
  const scratch = mkdtempSync(path.join(fixture, 'scratch-'));
  const outDir = mkdtempSync(path.join(tmpdir(), 'loose-ends-jest-watch-'));
  // Outside the watched directory, so writing it does not trigger another run.
  const outputFile = path.join(outDir, 'results.json');
  cpSync(path.join(fixture, 'template'), scratch, { recursive: true });
  setup?.(scratch);
  const child = spawn(
    process.execPath,
    [jestBinFor(scratch), '--ci', '--json', `--outputFile=${outputFile}`, ...args],
    {
      cwd: scratch,
      // Its own process group, so stopping it also stops any worker it has running.
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(path.join(fixture, 'count-hooks.cjs'))}`,
        NO_COLOR: '1',
        FORCE_COLOR: '0',
        LOOSE_ENDS_MODE: '',
      },
    },
  );
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const session: WatchSession = { runs: [], output: '' };
  try {
    let from = 0;
    for (let run = 0; run <= reRuns; run++) {
      const end = await runEnd(
        () => output,
        run,
        () => child.exitCode !== null,
      );
      const files = (JSON.parse(readFileSync(outputFile, 'utf8')) as { testResults: FileResult[] })
        .testResults;
      session.runs.push(jestRunOf(null, output.slice(from, end), files));
      from = end;
      if (run < reRuns) appendFileSync(path.join(scratch, 'tests/leaks.test.js'), `// re-run ${run + 1}\n`);
    }
  } finally {
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGTERM');
    await exited;
    session.output = output;
    rmSync(scratch, { recursive: true, force: true });
    rmSync(outDir, { recursive: true, force: true });
  }
  return session;
}

/** Where run number `index` (0-based) ends in the output, once it has. */
async function runEnd(output: () => string, index: number, hasExited: () => boolean): Promise<number> {
  // A guard against a hang, not a timing check: a run here takes about a second.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ends = [...output().matchAll(RUN_END)];
    const match = ends[index];
    if (match !== undefined) return match.index + match[0].length;
    if (hasExited()) throw new Error(`Jest exited during run ${index + 1}\n${output()}`);
    if (Date.now() > deadline) throw new Error(`run ${index + 1} did not finish within 60 s\n${output()}`);
    await sleep(50);
  }
}

/** A run's verdicts, comparable across runs: status, and the leak lines of each failure. */
function verdicts(run: JestRun): Record<string, string> {
  return Object.fromEntries(
    [...run.tests].map(([title, result]) => [
      title,
      [
        result.status,
        ...(result.failureMessages.join('\n').match(/left \d+ async tasks? running: .*|Created at \S+/g) ??
          []),
      ].join(' | '),
    ]),
  );
}

function assertRun(run: JestRun, label: string): void {
  const leaks: [string, RegExp, string][] = [
    ['watch: interval never cleared fails', /left 1 async task running: 1 interval\./, at('watch-interval')],
    ['watch: timeout never cleared fails', /left 1 async task running: 1 timeout\./, at('watch-timeout')],
    [
      'watch: interval that outlives the run fails',
      /left 1 async task running: 1 interval\./,
      at('watch-outlives'),
    ],
  ];
  for (const [title, kind, where] of leaks) {
    const result = run.test(title);
    assert.equal(result.status, 'failed', `${label}: "${title}" should fail\n${run.output}`);
    const message = result.failureMessages.join('\n');
    assert.match(message, kind, `${label}: ${message}`);
    // One report per failing test, not one per run so far.
    assert.equal(message.match(/AsyncLeakError/g)?.length, 1, `${label}: ${message}`);
    assert.equal(message.split(`Created at ${where}:`).length - 1, 1, `${label}: ${message}`);
    // The default reporter prints each failure once.
    assert.equal(
      run.output.split(`● ${title}`).length - 1,
      1,
      `${label}: "${title}" printed once\n${run.output}`,
    );
  }
  assert.equal(run.test('watch: cleared interval passes').status, 'passed', `${label}\n${run.output}`);
  assert.equal(
    run.test('watch: the process holds one loose-ends hook, whatever the run').status,
    'passed',
    `${label}\n${run.output}`,
  );
  const summaries = run.output.split('\n').filter((line) => line.startsWith('loose-ends:'));
  assert.deepEqual(
    summaries,
    ['loose-ends: 3 of 5 tests left 3 async tasks running (2 intervals, 1 timeout).'],
    `${label}: one summary line per run\n${run.output}`,
  );
  assert.doesNotMatch(run.output, /Internal error/);
}

/** `watch-probe pid=… hooks=…` lines the fixture's hook-count test prints, per run. */
function probes(run: JestRun): { pid: string; hooks: string }[] {
  return [...run.output.matchAll(/watch-probe pid=(\d+) hooks=(\S+)/g)].map(([, pid, hooks]) => ({
    pid: pid!,
    hooks: hooks!,
  }));
}

describe('Jest 30 --watchAll in band: three runs in one process', () => {
  let session: WatchSession;
  before(async () => {
    session = await watchJest(['--watchAll', '--runInBand'], 2);
  });

  test('every run gives the same verdicts: one report per leaking test, one summary line', () => {
    assert.equal(session.runs.length, 3, session.output);
    for (const [index, run] of session.runs.entries()) assertRun(run, `run ${index + 1}`);
    for (const run of session.runs.slice(1)) assert.deepEqual(verdicts(run), verdicts(session.runs[0]!));
  });

  test('one async_hooks hook in the process however many runs it served', () => {
    const seen = session.runs.map(probes);
    for (const runProbes of seen)
      assert.deepEqual(
        runProbes.map((probe) => probe.hooks),
        ['1'],
        session.output,
      );
    // The same process ran all three: this is where a hook per run would have piled up.
    assert.equal(new Set(seen.flat().map((probe) => probe.pid)).size, 1, session.output);
  });
});

const hasGit = spawnSync('git', ['--version']).status === 0;

describe('Jest 30 --watch with workers: a re-run of the changed file', {
  skip: !hasGit && '--watch needs git',
}, () => {
  let session: WatchSession;
  before(async () => {
    // --watch asks git what changed: a fresh repository with nothing committed makes every file changed.
    session = await watchJest(['--watch', '-w', '2'], 1, (dir) => {
      const git = spawnSync('git', ['init', '-q'], { cwd: dir, encoding: 'utf8' });
      assert.equal(git.status, 0, git.stderr);
    });
  });

  test('the re-run gives the same verdicts as the first run', () => {
    assert.equal(session.runs.length, 2, session.output);
    for (const [index, run] of session.runs.entries()) assertRun(run, `run ${index + 1}`);
    assert.deepEqual(verdicts(session.runs[1]!), verdicts(session.runs[0]!));
    for (const run of session.runs)
      assert.deepEqual(
        probes(run).map((probe) => probe.hooks),
        ['1'],
      );
  });
});
