import type { ContainPolicy } from './contain.js';
import { CONTAIN_POLICIES } from './contain.js';
import type { KindOrTypeName } from './kinds.js';
import { didYouMean } from './suggest.js';
import { ACCEPTED_TYPE_NAMES, rejectTypeName } from './type-names.js';

export type Mode = 'fail' | 'warn' | 'off';

/** What a user may pass (runner config, `configure()`, tracker). Every key is optional. */
export interface LooseEndsOptions {
  /** `fail` (default) fails the leaking test; `warn` prints the report only; `off` skips detection. */
  mode?: Mode;
  /**
   * Resource kinds (`interval`, `server`…) or raw async_hooks types (`TCPWRAP`) never reported;
   * with `asyncResources`, also the type name of an `AsyncResource` of your own.
   */
  ignoreTypes?: readonly KindOrTypeName[];
  /** Leaks whose creation stack contains this text or matches this pattern are not reported. */
  ignoreStacks?: readonly (string | RegExp)[];
  /** Also report unref'd timers and handles (they do not keep the process alive). */
  reportUnref?: boolean;
  /** Also report promises created by the test that are still pending and reachable after GC. */
  promises?: boolean;
  /**
   * Also report JS `AsyncResource`s (libraries' and Node's own) never destroyed. They hold no
   * handle and run nothing by themselves, so they are not reported by default.
   */
  asyncResources?: boolean;
  /** Milliseconds after a test during which a timer due by then, or a request in flight, is waited for rather than reported. */
  graceMs?: number;
  /** Force a garbage collection before the verdict when something is left, so unreachable work can go. */
  gc?: boolean;
  /**
   * What happens to reported leaks: `close` (the default in mode `fail`) clears, closes or kills
   * them so they cannot run into later tests or keep the run from ending; `unref` only lets the
   * process exit; `none` (the default in mode `warn`) leaves them alone.
   */
  contain?: ContainPolicy;
  /** Stack frames kept per leak after cleaning. */
  stackDepth?: number;
  /** Event-loop turns to wait at most for closing resources to finish closing. */
  maxTurns?: number;
  /**
   * Where to write one JSON report of the run (every leak, docs in the README), relative to the
   * runner's root directory. The environment variable `LOOSE_ENDS_REPORT_FILE` wins over it.
   */
  reportFile?: string;
}

export type ResolvedOptions = Required<
  Omit<LooseEndsOptions, 'ignoreTypes' | 'ignoreStacks' | 'reportFile'>
> & {
  ignoreTypes: ReadonlySet<string>;
  ignoreStacks: readonly (string | RegExp)[];
  /** As given (not yet resolved against a root directory); undefined when no report is asked for. */
  reportFile: string | undefined;
  /**
   * Set by an adapter, not by users: a resource created by code in a file matching this (the first
   * frame outside Node and loose-ends) is the runner's own bookkeeping, never a test's leak.
   * Matched on file names, without formatting the stack.
   */
  runnerFiles?: RegExp;
};

export const MODE_ENV_VARIABLE = 'LOOSE_ENDS_MODE';
export const REPORT_FILE_ENV_VARIABLE = 'LOOSE_ENDS_REPORT_FILE';
const MODES: readonly Mode[] = ['fail', 'warn', 'off'];

export const DEFAULT_OPTIONS: ResolvedOptions = Object.freeze({
  mode: 'fail',
  ignoreTypes: new Set<string>(),
  ignoreStacks: [],
  reportUnref: false,
  promises: false,
  asyncResources: false,
  graceMs: 100,
  contain: 'close',
  gc: true,
  stackDepth: 10,
  maxTurns: 10,
  reportFile: undefined,
});

export class LooseEndsOptionsError extends Error {
  override name = 'LooseEndsOptionsError';
}

const ACCEPTED: Record<keyof LooseEndsOptions, string> = {
  mode: 'one of "fail", "warn", "off"',
  ignoreTypes: `an array of ${ACCEPTED_TYPE_NAMES}`,
  ignoreStacks: 'an array of strings or regular expressions matched against the creation stack',
  reportUnref: 'true or false',
  promises: 'true or false',
  asyncResources: 'true or false',
  graceMs: 'a whole number of milliseconds from 0 to 10000',
  contain: 'one of "close", "unref", "none"',
  gc: 'true or false',
  stackDepth: 'a whole number from 1 to 100',
  maxTurns: 'a whole number from 1 to 1000',
  reportFile: 'a file path such as "reports/loose-ends.json", relative to the root directory',
};

/** The values of the options that take one of a few words, for "did you mean". */
const CHOICES: Partial<Record<keyof LooseEndsOptions, readonly string[]>> = {
  mode: MODES,
  contain: CONTAIN_POLICIES,
};

function fail(key: string, value: unknown, source: string): never {
  const accepted = ACCEPTED[key as keyof LooseEndsOptions];
  const suggestion = didYouMean(value, CHOICES[key as keyof LooseEndsOptions] ?? []);
  throw new LooseEndsOptionsError(
    `loose-ends: option "${key}" in ${source} must be ${accepted}; got ${show(value)}.${suggestion}`,
  );
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof RegExp || typeof value !== 'object' || value === null) return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    // A circular or BigInt-holding value: its tag still says what was given.
    return Object.prototype.toString.call(value);
  }
}

function isWholeNumber(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/**
 * Validates user options up front. `source` names where they came from, so the error can say
 * where to fix them (e.g. `testEnvironmentOptions.looseEnds`).
 */
export function resolveOptions(
  input: unknown = {},
  source = 'loose-ends options',
  env: NodeJS.ProcessEnv = process.env,
): ResolvedOptions {
  if (input === undefined || input === null) input = {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new LooseEndsOptionsError(
      `loose-ends: ${source} must be an object such as { mode: 'fail' }; got ${show(input)}.`,
    );
  }
  const given = input as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!(key in ACCEPTED)) {
      throw new LooseEndsOptionsError(
        `loose-ends: unknown option "${key}" in ${source}.${didYouMean(key, Object.keys(ACCEPTED))} Accepted options: ${Object.keys(ACCEPTED).join(', ')}.`,
      );
    }
  }
  const resolved = { ...DEFAULT_OPTIONS };
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined) continue;
    switch (key as keyof LooseEndsOptions) {
      case 'mode':
        if (!MODES.includes(value as Mode)) fail(key, value, source);
        resolved.mode = value as Mode;
        break;
      case 'ignoreTypes':
        if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && item.length > 0)) {
          fail(key, value, source);
        }
        resolved.ignoreTypes = new Set(value as string[]);
        break;
      case 'ignoreStacks':
        if (
          !Array.isArray(value) ||
          !value.every((item) => typeof item === 'string' || item instanceof RegExp)
        ) {
          fail(key, value, source);
        }
        resolved.ignoreStacks = [...(value as (string | RegExp)[])];
        break;
      case 'reportUnref':
      case 'promises':
      case 'asyncResources':
      case 'gc':
        if (typeof value !== 'boolean') fail(key, value, source);
        resolved[key as 'gc'] = value;
        break;
      case 'stackDepth':
        if (!isWholeNumber(value, 1, 100)) fail(key, value, source);
        resolved.stackDepth = value;
        break;
      case 'contain':
        if (!CONTAIN_POLICIES.includes(value as ContainPolicy)) fail(key, value, source);
        resolved.contain = value as ContainPolicy;
        break;
      case 'graceMs':
        if (!isWholeNumber(value, 0, 10_000)) fail(key, value, source);
        resolved.graceMs = value;
        break;
      case 'maxTurns':
        if (!isWholeNumber(value, 1, 1000)) fail(key, value, source);
        resolved.maxTurns = value;
        break;
      case 'reportFile':
        if (typeof value !== 'string' || value.trim() === '') fail(key, value, source);
        resolved.reportFile = value;
        break;
    }
  }
  for (const name of resolved.ignoreTypes) {
    const problem = rejectTypeName(name, resolved.asyncResources);
    if (problem === undefined) continue;
    const own = resolved.asyncResources
      ? ''
      : ' (the type name of an AsyncResource of your own is accepted with asyncResources: true)';
    throw new LooseEndsOptionsError(
      `loose-ends: option "ignoreTypes" in ${source}: ${problem} It takes ${ACCEPTED_TYPE_NAMES}${own}.`,
    );
  }
  const fromEnv = env[MODE_ENV_VARIABLE];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!MODES.includes(fromEnv as Mode)) {
      throw new LooseEndsOptionsError(
        `loose-ends: environment variable ${MODE_ENV_VARIABLE} must be one of "fail", "warn", "off"; got ${show(fromEnv)}.${didYouMean(fromEnv, MODES)}`,
      );
    }
    resolved.mode = fromEnv as Mode;
  }
  // Like the mode, the variable wins: a CI job asks for a report without editing the project's config.
  const reportFileFromEnv = env[REPORT_FILE_ENV_VARIABLE];
  if (reportFileFromEnv !== undefined && reportFileFromEnv.trim() !== '')
    resolved.reportFile = reportFileFromEnv;
  // In mode warn the user asked for a report, not for a changed run.
  if (given.contain === undefined && resolved.mode !== 'fail') resolved.contain = 'none';
  return Object.freeze(resolved);
}
