import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
export const EXAMPLE = path.resolve(FIXTURES, '../../../../examples/mocha');

export interface MochaRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Titles the spec reporter listed as passing (`✔ title`). */
  passed: string[];
  /** Titles it listed as failing (`1) title`), in the list above the totals. */
  failed: string[];
  pending: string[];
  totals: { passing: number; failing: number; pending: number };
  /** The failure details below the totals. */
  details: string;
}

/**
 * Runs the fixture's own `mocha` CLI on this Node (`process.execPath`) with the spec reporter and
 * no colours, and splits what a user would see into what the assertions need.
 */
export function runMocha(
  project: string,
  args: string[] = [],
  options: {
    env?: Record<string, string | undefined>;
    timeoutMs?: number;
    /** Stop the run (e.g. `--watch`) once the output matches. */
    until?: RegExp;
    /** Sees all output so far, on every chunk. */
    onOutput?: (output: string) => void;
    /** A script of the fixture's to run instead of its `mocha` CLI (a programmatic run). */
    script?: string;
  } = {},
): Promise<MochaRun> {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...options.env };
  delete env.FORCE_COLOR;
  delete env.NODE_TEST_CONTEXT;
  const script = path.join(project, options.script ?? 'node_modules/mocha/bin/mocha.js');
  const child = spawn(process.execPath, [script, ...args], {
    cwd: project,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const seen = () => {
    options.onOutput?.(stdout + stderr);
    // SIGINT, as a user's Ctrl-C: Mocha's watch mode then runs the global teardown before exiting.
    if (options.until?.test(stdout + stderr)) child.kill('SIGINT');
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    seen();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    seen();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(parse(code, stdout, stderr));
    });
  });
}

function parse(code: number | null, stdout: string, stderr: string): MochaRun {
  const lines = stdout.split('\n');
  const totalsAt = lines.findIndex((line) => /^\s+\d+ passing/.test(line));
  const list = totalsAt === -1 ? lines : lines.slice(0, totalsAt);
  const pick = (pattern: RegExp) =>
    list.map((line) => pattern.exec(line)?.[1]).filter((title): title is string => title !== undefined);
  const count = (word: string) => Number(new RegExp(`^\\s+(\\d+) ${word}`, 'm').exec(stdout)?.[1] ?? 0);
  return {
    code,
    stdout,
    stderr,
    passed: pick(/^\s+[✔✓] (.+?)(?: \(\d+ms\))?$/),
    failed: pick(/^\s+\d+\) (.+)$/),
    pending: pick(/^\s+- (.+)$/),
    totals: { passing: count('passing'), failing: count('failing'), pending: count('pending') },
    details: totalsAt === -1 ? '' : lines.slice(totalsAt).join('\n'),
  };
}

/** The failure detail block of the failure listed as `n)` below the totals. */
export function failureDetail(run: MochaRun, title: string): string {
  const blocks = run.details.split(/\n(?= {2}\d+\) )/);
  const block = blocks.find((candidate) => candidate.includes(title));
  if (block === undefined) throw new Error(`no failure detail mentions "${title}" in:\n${run.details}`);
  return block;
}

export function describeRun(run: MochaRun): string {
  return `exit ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}
