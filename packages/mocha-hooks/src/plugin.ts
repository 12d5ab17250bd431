import type { CheckResult, LeakContext, LooseEndsOptions, ResolvedOptions } from '@loose-ends/core';
import {
  addRetried,
  addToSummary,
  bindToContext,
  closeSummaryRelay,
  collectRelayedSummaries,
  createFileContext,
  createTestContext,
  emptySummary,
  finishRun,
  getEngine,
  hidePackageFrames,
  mergeSummaries,
  openSummaryRelay,
  relaySummary,
  reportInternalError,
  resolveOptions,
  sayOnce,
  tagLateLogs,
  tallyOf,
  unwrap,
  verdictOf,
} from '@loose-ends/core';
import {
  absoluteFile,
  allHooksUnder,
  eachHooksAround,
  patchMocha,
  rootSuiteOf,
  whyNotPatched,
} from './mocha-internals.js';
import type { HookContext, MochaPlugin, MochaSuite, MochaTest, RunnableFn } from './mocha-shapes.js';
import { getState } from './state.js';
import { RELAY_ENV_VARIABLE } from './summary-relay.js';

/**
 * How Mocha is hooked, top to bottom:
 * - `--require @loose-ends/mocha-hooks` loads this module, which exports a root hook plugin and
 *   global fixtures, and patches the copy of Mocha that runs the tests. mocha-internals.ts is the
 *   one file that touches Mocha's internals, and lists them;
 * - the root `beforeAll` makes sure the tests are run by that copy (else it says, once, that they
 *   are not checked, and why), wraps `before`/`after` hooks to run under their file's context, and
 *   adds the final file check. Each spec file's module scope already ran under that context;
 * - on the runner's `test` event, the test and its suites' each-hooks are wrapped to run under the
 *   test's context (`setUpTest`);
 * - after the test's last `afterEach` hook, core gives the verdict (`judgeTest`) and a leaking test
 *   is failed through `Runner#fail`, as Mocha fails a test for a hook's error; never by throwing,
 *   which would stop the whole run (docs/internals.md);
 * - a final root `afterAll`, added after every spec file's own, checks the files' scopes;
 * - one summary line follows the reporter's totals, with the workers' parts under `--parallel`.
 */

/** Put this in a test's or suite's title to let it leave async work running on purpose. */
export const ALLOW_LEAKS_TAG = '@allow-leaks';

const PACKAGE = '@loose-ends/mocha-hooks';
const engine = getEngine();
const state = getState();
hidePackageFrames(import.meta.url);

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
    ctx = createFileContext(file);
    state.files.set(file, ctx);
  }
  return ctx;
}

function sayNotChecked(what: string, why: string): void {
  sayOnce(`loose-ends: ${what} are NOT checked for leaks in this run: ${why}.`, `not checked: ${what}`);
}

// ---------------------------------------------------------------------------------------------
// How the runner is hooked: at load, the same in both builds of the package (both share `state`).

const { version: mochaVersion, problem: unpatched } = patchMocha(
  {
    startRun: () => {
      startDetection();
      state.files = new Map();
    },
    fileContext: (file) => (detecting() ? fileContext(file) : undefined),
    onTestBegin: setUpTest,
    shouldHold: (test) => state.options.mode === 'fail' && state.tests.has(test),
    checkTest: (test, fail, retry) => (state.tests.has(test) ? judgeTest(test, fail, retry) : undefined),
    afterEnd: () => {
      if (!isWorker()) printSummary();
    },
    cannotCheck: sayNotChecked,
  },
  engine,
);

// ---------------------------------------------------------------------------------------------
// Root beforeAll: the run is checked only if the patched Runner runs it. Then before/after-all
// hooks run under their file's context, and the file check goes last.

function looseEndsBeforeAll(this: HookContext): void {
  state.rootHooksRan = true;
  if (!detecting()) return;
  try {
    const root = rootSuiteOf(this);
    const problem = unpatched ?? whyNotPatched(root);
    if (problem !== undefined) {
      sayNotChecked('Tests', problem);
      return;
    }
    startDetection();
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

function wrapAllHooks(root: MochaSuite): void {
  for (const [hook, phase, suite] of allHooksUnder(root)) {
    const file = hook.file ?? suite.file;
    if (hook.fn === undefined || file === undefined || state.ownHooks.has(hook.fn)) continue;
    hook.fn = bindToContext(engine, fileContext(absoluteFile(file)), hook.fn, phase);
  }
}

// ---------------------------------------------------------------------------------------------
// Where the test is wrapped: on the runner's `test` event, before any beforeEach hook runs, the
// test and its suites' each-hooks are set up to run under the test's context.

function setUpTest(test: MochaTest): void {
  if (!detecting() || state.tests.has(test)) return;
  try {
    const titlePath = test.titlePath?.() ?? [test.fullTitle()];
    const allowed = titlePath.some((title) => title.includes(ALLOW_LEAKS_TAG));
    const ctx = createTestContext(titlePath, test.file, allowed);
    state.tests.set(test, ctx);
    // A retry is a clone holding our wrapper: bindToContext unwraps first, so it is never wrapped twice.
    if (test.fn !== undefined) test.fn = bindToContext(engine, ctx, test.fn, 'test');
    for (const [hook, phase] of eachHooksAround(test)) {
      if (hook.fn !== undefined) hook.fn = bindToContext(engine, ctx, hook.fn, phase);
    }
  } catch (error) {
    internalError(error, 'setting up a test');
  }
}

// ---------------------------------------------------------------------------------------------
// Where the check runs, and how the failure is attached: after the test's last afterEach hook, a
// leaking test is failed through `Runner#fail` (`failTest`), or, with retries left, retried as
// Mocha retries a failed attempt (`retryTest`). Never throws.

async function judgeTest(
  test: MochaTest,
  failTest: (error: Error) => void,
  retryTest: ((error: Error) => void) | undefined,
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
      addRetried(state.summary, tallyOf(result, false));
      // Mocha's reporters show nothing of a retried attempt: say what it left, as for a failed one.
      process.stderr.write(`\nloose-ends: A leaking attempt that Mocha retries: ${result.error.message}\n`);
      return;
    }
    // A failed attempt that Mocha retries has no state: its test is counted by a later attempt.
    if (test.state === undefined) addRetried(state.summary, tallyOf(result, false));
    else tally(result);
    if (result.error === undefined) return;
    if (leakFails) failTest(result.error);
    else process.stderr.write(`\n${noteFor(test, result)}\n`);
  } catch (error) {
    internalError(error, 'checking a test');
  }
}

function noteFor(test: MochaTest, result: CheckResult): string {
  const { warning } = verdictOf(result);
  if (warning !== undefined) return warning;
  const message = result.error?.message ?? '';
  if (test.state === 'pending')
    return `loose-ends: This test was skipped while running; before that: ${message}`;
  if (test.state === undefined) return `loose-ends: A failed attempt that Mocha retries: ${message}`;
  return `loose-ends: This test also failed on its own; in addition: ${message}`;
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
// The summary line is printed right after the reporter's totals (the Runner's `end`); teardown
// prints whatever is left unprinted. Only checks are counted: a run left unchecked prints nothing.

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
  // Printing empties the tally, so a second call (teardown after `end`) finds nothing to print and
  // leaves the report file as the first call wrote it.
  if (!detecting() || (summary.checked === 0 && summary.leakyFiles === 0)) return;
  const line = finishRun(summary, {
    runner: 'mocha',
    runnerVersion: mochaVersion,
    root: process.cwd(),
    reportFile: state.options.reportFile,
  });
  if (line !== undefined) process.stderr.write(`\n${line}\n`);
}

/** Adds a check to this process's tally, every leak in full when a report file is asked for. */
function tally(result: CheckResult): void {
  // The options may name a report file only once configure() has run, after the tally was made.
  if (state.options.reportFile !== undefined) state.summary.details ??= [];
  addToSummary(state.summary, result);
}

// ---------------------------------------------------------------------------------------------

function named<F extends RunnableFn>(name: string, fn: F): F {
  Object.defineProperty(fn, 'name', { value: name });
  return fn;
}

function internalError(error: unknown, where: string): void {
  reportInternalError(error, where, PACKAGE);
}

const mochaHooks = { beforeAll: looseEndsBeforeAll };
state.ownHooks.add(looseEndsBeforeAll);

export const plugin: MochaPlugin = { mochaHooks, mochaGlobalSetup, mochaGlobalTeardown };
export { mochaGlobalSetup, mochaGlobalTeardown, mochaHooks };
