// What the bench scripts share: running a timed process tree, medians and ratios, argument checks, and the
// machine line every results table starts with.
import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';

export function median(values) {
  if (!values?.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function ratio(value, base) {
  return base === undefined ? '' : `${(value / base).toFixed(2)}×`;
}

export function fail(message) {
  console.error(message);
  process.exit(1);
}

/** `args[name]` as a whole number ≥ 1, or exit saying which option was wrong. */
export function wholeNumber(args, name) {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value < 1)
    fail(`bench: --${name} must be a whole number ≥ 1, got "${args[name]}"`);
  return value;
}

/** `args[name]` as a comma-separated list of `accepted` values, or exit saying which are accepted. */
export function listOf(args, name, accepted) {
  const values = args[name].split(',').filter(Boolean);
  const unknown = values.filter((value) => !accepted.includes(value));
  if (unknown.length > 0 || values.length === 0) {
    fail(`bench: --${name} accepts a comma-separated list of ${accepted.join(', ')}; got "${args[name]}"`);
  }
  return values;
}

/** `2 cores (AMD EPYC …), 24 GiB RAM` */
export function machineLine() {
  return `${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM`;
}

const TIMES_MARKER = '__loose_ends_bench_times__';

/**
 * Runs `node …argv` in `cwd` and returns its wall time and the CPU time (user + system) of the whole
 * process tree, workers included: bash's `times` reports what its reaped children used.
 */
export function runTimed(argv, cwd, env = {}) {
  const started = performance.now();
  const child = spawnSync(
    'bash',
    ['-c', `"$@"; status=$?; echo ${TIMES_MARKER}; times; exit $status`, 'bash', process.execPath, ...argv],
    {
      cwd,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
      env: { ...process.env, CI: 'true', FORCE_COLOR: '0', NO_COLOR: '1', ...env },
    },
  );
  const seconds = (performance.now() - started) / 1000;
  const [output, times = ''] = child.stdout.split(`${TIMES_MARKER}\n`);
  const childTimes = times.trim().split('\n').at(-1) ?? '';
  const cpu = [...childTimes.matchAll(/(\d+)m([\d.]+)s/g)].reduce(
    (sum, [, m, sec]) => sum + Number(m) * 60 + Number(sec),
    0,
  );
  return { seconds, cpu, status: child.status, output: `${output}\n${child.stderr}` };
}
