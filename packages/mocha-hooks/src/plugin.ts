import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CheckResult, LeakContext, LooseEndsOptions, ResolvedOptions } from '@loose-ends/core';
import {
  addRetriedAttempt,
  addToSummary,
  allowLeaksIn,
  bindToContext,
  closeSummaryRelay,
  collectRelayedSummaries,
  displayPath,
  emptySummary,
  formatSummary,
  getEngine,
  hideFramesFrom,
  mergeSummaries,
  openSummaryRelay,
  relaySummary,
  reportInternalError,
  resolveOptions,
  tagLateLogs,
  unwrap,
  verdictOf,
  writeReportFile,
} from '@loose-ends/core';
import type { RunnerHooks } from './mocha-internals.js';
import { absoluteFile, loadRunningMocha, patchFileLoading, patchRunner } from './mocha-internals.js';
import type {
  HookContext,
  MochaHook,
  MochaPlugin,
  MochaSuite,
  MochaTest,
  RunnableFn,
} from './mocha-shapes.js';
import { getState, sayOnce } from './state.js';
import { RELAY_ENV_VARIABLE } from './summary-relay.js';

/**
 * How Mocha is hooked, top to bottom:
 * - `--require @loose-ends/mocha-hooks` loads this module, which exports a root hook plugin and
 *   global fixtures (`mochaHooks`, `mochaGlobalSetup`, `mochaGlobalTeardown`);
 * - the runner's `test` event (or, without the Runner patch, the root `beforeEach`) wraps the test
 *   and its suites' `beforeEach`/`afterEach` hooks so they run under the test's context (docs/internals.md),
 *   the root `beforeAll` wraps `before`/`after` hooks under their file's context, and a patch of
 *   Mocha's file loading runs each spec file's module scope under it;
 * - after the test's `afterEach` hooks, core gives the verdict and a leaking test is failed the way
 *   Mocha fails it for a hook's error, never by throwing, which would stop the whole run (docs/internals.md):
 *   by the Runner patch through `Runner#fail`, or without it by the root `afterEach` (which Mocha
 *   runs after the suites' own) through `Hook#error`. With the patch, our root each-hooks are
 *   removed at the first test: Mocha running them cost every test two hook runs;
 * - a final root `afterAll`, added after every spec file's own, checks the files' scopes;
 * - global teardown prints one summary line, with the workers' parts under `--parallel`.
 */

/** Put this in a test's or suite's title to let it leave async work running on purpose. */
export const ALLOW_LEAKS_TAG = '@allow-leaks';

const PACKAGE = '@loose-ends/mocha-hooks';
const engine = getEngine();
const state = getState();
hideFramesFrom(path.dirname(fileURLToPath(import.meta.url)));

/**
 * Sets the options (see the README's table) and returns the plugin, so a module that calls it can be
 * given to `--require` in place of `@loose-ends/mocha-hooks`. Throws a `LooseEndsOptionsError` naming
 * the bad option and the accepted values, which Mocha prints before running anything.
 */
export function configure(options: LooseEndsOptions = {}): MochaPlugin {
  state.options = resolveOptions(options, `the configure() options of ${PACKAGE}`);
  return plugin;
}

/** Mocha's own files: what they create while a test or file runs is the runner's. */
const MOCHA_FILES = /[\\/]node_modules[\\/]mocha[\\/]/;
const checkOptions = (): ResolvedOptions => ({ ...state.options, runnerFiles: MOCHA_FILES });

const detecting = (): boolean => state.options.mode !== 'off';

/**
 * Starts detection with the options then in force, when a run starts (not on import: a
 * `configure({ mode: 'off' })` that follows must still find nothing hooked). Idempotent.
 */
function startDetection(): void {
  engine.applySettings(state.options);
  if (detecting()) tagLateLogs(console);
}

function fileContext(file: string): LeakContext {
  let ctx = state.files.get(file);
  if (ctx === undefined) {
    ctx = engine.createContext({ kind: 'file', title: displayPath(file), file });
    state.files.set(file, ctx);
  }
  return ctx;
}

/** Escape hatch should a patch of Mocha's internals ever clash with another plugin. */
export const PATCH_ENV_VARIABLE = 'LOOSE_ENDS_MOCHA_PATCH';

function installMochaPatches(): void {
  const { Mocha, reason } =
    process.env[PATCH_ENV_VARIABLE] === 'off'
      ? { Mocha: undefined, reason: `${PATCH_ENV_VARIABLE}=off` }
      : loadRunningMocha();
  state.runnerVersion = mochaVersionOf(Mocha);
  const runnerProblem = Mocha === undefined ? reason : patchRunner(Mocha, runnerHooks);
  if (runnerProblem !== undefined) {
    state.display = 'fallback';
    state.fallbackReason = runnerProblem;
  }
  const fileProblem =
    Mocha === undefined
      ? reason
      : patchFileLoading(Mocha, engine, {
          startRun: () => {
            startDetection();
            state.files = new Map();
          },
          contextFor: (file) => (detecting() ? fileContext(file) : undefined),
        });
  if (fileProblem !== undefined && detecting()) {
    sayOnce(
      'file-scope',
      `loose-ends: Work started at module scope of spec files is not checked: ${fileProblem}. ` +
        'Tests, their hooks and before/after hooks are checked as usual.',
    );
  }
}

const runnerHooks: RunnerHooks = {
  // Not for the tests Mocha marks failed (a failed beforeEach) and announces without running them:
  // that happens inside a beforeEach walk, where removing a hook from the list would skip the next.
  onTestBegin: (test) => {
    if (test.state !== undefined) return;
    state.display = 'patched';
    dropRootEachHooks(test);
    setUpTest(test);
  },
  shouldHold: (test) => state.options.mode === 'fail' && state.tests.has(test),
  checkTest: (test, fail, retry) =>
    state.tests.has(test)
      ? judgeTest(
          test,
          (error) => {
            fail(error);
            return true;
          },
          retry,
        )
      : undefined,
  afterEnd: () => {
    if (!isWorker()) printSummary();
  },
};

// ---------------------------------------------------------------------------------------------
// Root beforeAll: before/after-all hooks run under their file's context, and the file check goes last.

function looseEndsBeforeAll(this: HookContext): void {
  state.rootHooksRan = true;
  if (!detecting()) return;
  startDetection();
  const root = (this.test ?? this.runnable?.())?.parent;
  if (root === undefined) return;
  try {
    wrapAllHooks(root);
    // Appended now, after every spec file has added its own root `after` hooks, so it runs last.
    if (!state.preparedRoots.has(root)) {
      state.preparedRoots.add(root);
      const check = named(FILE_CHECK_TITLE, checkFileScopes);
      state.ownHooks.add(check);
      root.afterAll(FILE_CHECK_TITLE, check);
    }
  } catch (error) {
    internalError(error, 'the root beforeAll hook');
  }
}

const FILE_CHECK_TITLE = 'loose-ends: module scope and before/after hooks';

function wrapAllHooks(suite: MochaSuite): void {
  for (const [list, phase] of [
    ['_beforeAll', 'beforeAll hook'],
    ['_afterAll', 'afterAll hook'],
  ] as const) {
    for (const hook of suite[list] ?? []) {
      const file = hook.file ?? suite.file;
      if (hook.fn === undefined || file === undefined || state.ownHooks.has(hook.fn)) continue;
      hook.fn = bindToContext(engine, fileContext(absoluteFile(file)), hook.fn, phase);
    }
  }
  for (const child of suite.suites ?? []) wrapAllHooks(child);
}

// ---------------------------------------------------------------------------------------------
// Setting a test up: the test and its suites' each-hooks run under the test's context. Done on the
// runner's `test` event where the Runner patch is in place, before any beforeEach hook runs;
// without the patch, by the root beforeEach.

function setUpTest(test: MochaTest): void {
  if (!detecting() || state.tests.has(test)) return;
  try {
    const titlePath = test.titlePath?.() ?? [test.fullTitle()];
    const ctx = engine.createContext({ kind: 'test', titlePath, file: test.file });
    if (titlePath.some((title) => title.includes(ALLOW_LEAKS_TAG))) allowLeaksIn(ctx);
    state.tests.set(test, ctx);
    // A retry is a clone holding our wrapper: bindToContext unwraps first, so it is never wrapped twice.
    if (test.fn !== undefined) test.fn = bindToContext(engine, ctx, test.fn, 'test');
    for (let suite = test.parent; suite !== undefined; suite = suite.parent) {
      wrapEachHooks(suite._beforeEach, ctx, 'beforeEach hook');
      wrapEachHooks(suite._afterEach, ctx, 'afterEach hook');
    }
  } catch (error) {
    internalError(error, 'setting up a test');
  }
}

function looseEndsBeforeEach(this: HookContext): void {
  const test = this.currentTest;
  if (test === undefined || !detecting()) return;
  // Runs only where the Runner patch is not on the copy of Mocha running the tests: with it, the
  // first test's `test` event removes this hook before it ever runs.
  if (state.display === 'unknown') state.display = 'fallback';
  setUpTest(test);
}

/**
 * Removes our root beforeEach and afterEach from the root suite, where the Runner patch does their
 * work. Called on the `test` event, when Mocha is walking no hook list; once per root suite.
 */
function dropRootEachHooks(test: MochaTest): void {
  let root = test.parent;
  while (root?.parent !== undefined) root = root.parent;
  if (root === undefined || state.rootsWithoutEachHooks.has(root)) return;
  state.rootsWithoutEachHooks.add(root);
  for (const hooks of [root._beforeEach, root._afterEach]) {
    if (!Array.isArray(hooks)) continue;
    for (let index = hooks.length - 1; index >= 0; index--) {
      const fn = hooks[index]?.fn;
      if (fn !== undefined && state.ownHooks.has(fn)) hooks.splice(index, 1);
    }
  }
}

function wrapEachHooks(hooks: MochaHook[] | undefined, ctx: LeakContext, phase: string): void {
  for (const hook of hooks ?? []) {
    if (hook.fn !== undefined && !state.ownHooks.has(hook.fn))
      hook.fn = bindToContext(engine, ctx, hook.fn, phase);
  }
}

// ---------------------------------------------------------------------------------------------
// The verdict, after the suites' own afterEach hooks have cleaned up: from the Runner patch, or
// without it from the root afterEach.

async function looseEndsAfterEach(this: HookContext): Promise<void> {
  const test = this.currentTest;
  if (test === undefined) return;
  const hook = this.test ?? this.runnable?.();
  await judgeTest(test, (error) => {
    if (typeof hook?.error !== 'function') return false;
    // Mocha then calls `Runner#fail(test, error)`: the test fails, later tests still run.
    hook.error(error);
    return true;
  });
}

/**
 * Checks a test once; `failTest` fails it and says whether it could; `retryTest`, when the test has
 * retries left, queues its next attempt instead, as Mocha does for a failed attempt. Never throws.
 */
async function judgeTest(
  test: MochaTest,
  failTest: (error: Error) => boolean,
  retryTest?: (error: Error) => void,
): Promise<void> {
  const ctx = state.tests.get(test);
  if (ctx === undefined) return;
  state.tests.delete(test);
  // Mocha keeps every test object for the whole run: let go of the wrapper holding its context.
  if (test.fn !== undefined) test.fn = unwrap(test.fn);
  try {
    const result = await engine.check(ctx, checkOptions(), { codeFrames: true });
    const leakFails = result.shouldFail && result.error !== undefined && test.state === 'passed';
    if (leakFails && retryTest !== undefined) {
      retryTest(result.error);
      addRetriedAttempt(state.summary, result.leaks.length > 0);
      // Mocha's reporters show nothing of a retried attempt: say what it left, as for a failed one.
      process.stderr.write(`\nloose-ends: A leaking attempt that Mocha retries: ${result.error.message}\n`);
      return;
    }
    // A failed attempt that Mocha retries has no state: its test is counted by a later attempt.
    if (test.state === undefined) addRetriedAttempt(state.summary, result.leaks.length > 0);
    else tally(result);
    if (result.error === undefined) return;
    if (result.shouldFail && test.state === 'passed' && failTest(result.error)) {
      if (state.display === 'fallback') {
        sayOnce(
          'display',
          `loose-ends: Could not intercept Mocha's reporter events (${state.fallbackReason ?? 'the runner that emits them is another copy of Mocha'}). ` +
            'A leaking test is failed and counted correctly, but your reporter may also list it as passing.',
        );
      }
      return;
    }
    process.stderr.write(`\n${noteFor(test, result)}\n`);
  } catch (error) {
    internalError(error, 'checking a test');
  }
}

function noteFor(test: MochaTest, result: CheckResult): string {
  const { warning } = verdictOf(result);
  if (warning !== undefined) return warning;
  const message = result.error?.message ?? '';
  if (test.state === 'failed') return `loose-ends: This test also failed on its own; in addition: ${message}`;
  if (test.state === 'pending')
    return `loose-ends: This test was skipped while running; before that: ${message}`;
  if (test.state === undefined) return `loose-ends: A failed attempt that Mocha retries: ${message}`;
  return `loose-ends: Mocha's hook API is not what this version expects, so the test is not failed: ${message}`;
}

// ---------------------------------------------------------------------------------------------
// Final root afterAll: module scope and before/after hooks of each file, after every `after` ran.

async function checkFileScopes(): Promise<void> {
  const failures: string[] = [];
  let firstError: Error | undefined;
  try {
    for (const ctx of state.files.values()) {
      const result = await engine.check(ctx, checkOptions(), { codeFrames: true });
      if (result.error === undefined) continue;
      tally(result);
      const { failure, warning } = verdictOf(result);
      if (failure !== undefined) {
        failures.push(failure.message);
        firstError ??= failure;
      }
      if (warning !== undefined) process.stderr.write(`\n${warning}\n`);
    }
    state.files = new Map();
    if (isWorker() && relaySummary(RELAY_ENV_VARIABLE, state.summary)) state.summary = emptySummary();
  } catch (error) {
    internalError(error, 'the final root afterAll hook');
  }
  if (firstError === undefined) return;
  // An after-all hook may throw: nothing is left to run, and Mocha lists it as one failed hook.
  if (failures.length === 1) throw firstError;
  const combined = new Error(failures.join('\n'));
  combined.name = 'AsyncLeakError';
  combined.stack = `${combined.name}: ${combined.message}`;
  throw combined;
}

// ---------------------------------------------------------------------------------------------
// Global fixtures: once per run (once per session under --watch), in the main process only.
// The summary line is printed right after the reporter's totals (Runner `end`, see mocha-internals);
// teardown prints whatever is left unprinted, which is everything when the Runner patch is not in place.

function mochaGlobalSetup(): void {
  if (state.runOpen) return;
  state.runOpen = true;
  state.summary = emptySummary();
  state.relayDirectory = openSummaryRelay(RELAY_ENV_VARIABLE, 'loose-ends-mocha-');
}

function mochaGlobalTeardown(): void {
  if (!state.runOpen) return;
  state.runOpen = false;
  printSummary();
  closeSummaryRelay(RELAY_ENV_VARIABLE, state.relayDirectory);
  state.relayDirectory = undefined;
}

/**
 * In a `--parallel` worker: its summary goes to the main process instead of the terminal. Workers
 * never run the global fixtures, so the relay variable without an open run was inherited.
 */
function isWorker(): boolean {
  return !state.runOpen && process.env[RELAY_ENV_VARIABLE] !== undefined;
}

function printSummary(): void {
  const summary = mergeSummaries([state.summary, collectRelayedSummaries(state.relayDirectory)]);
  state.summary = emptySummary();
  // Printing empties the tally, so a second call (teardown after `end`) finds nothing to print.
  if (!detecting() || summary.checked === 0) return;
  const { reportFile } = state.options;
  if (reportFile !== undefined) {
    writeReportFile(reportFile, summary, {
      runner: 'mocha',
      runnerVersion: state.runnerVersion,
      root: process.cwd(),
    });
  }
  process.stderr.write(`\n${formatSummary(summary)}\n`);
}

/** Adds a check to this process's tally, every leak in full when a report file is asked for. */
function tally(result: CheckResult): void {
  // The options may name a report file only once configure() has run, after the tally was made.
  if (state.options.reportFile !== undefined) state.summary.details ??= [];
  addToSummary(state.summary, result);
}

function mochaVersionOf(Mocha: unknown): string | undefined {
  const version = (Mocha as { prototype?: { version?: unknown } } | undefined)?.prototype?.version;
  return typeof version === 'string' ? version : undefined;
}

// ---------------------------------------------------------------------------------------------

function named<F extends RunnableFn>(name: string, fn: F): F {
  Object.defineProperty(fn, 'name', { value: name });
  return fn;
}

function internalError(error: unknown, where: string): void {
  reportInternalError(error, where, PACKAGE);
}

const mochaHooks = {
  beforeAll: looseEndsBeforeAll,
  beforeEach: looseEndsBeforeEach,
  afterEach: looseEndsAfterEach,
};
for (const hook of Object.values(mochaHooks)) state.ownHooks.add(hook);

export const plugin: MochaPlugin = { mochaHooks, mochaGlobalSetup, mochaGlobalTeardown };
export { mochaGlobalSetup, mochaGlobalTeardown, mochaHooks };

installMochaPatches();
