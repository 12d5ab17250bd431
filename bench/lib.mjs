// What bench/core.mjs and bench/runners/run.mjs share: medians and ratios, argument checks, and the
// machine line every results table starts with.
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
