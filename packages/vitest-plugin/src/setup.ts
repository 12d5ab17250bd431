/**
 * The worker side, loaded by Vitest as a setup file (the plugin adds it; `setupFiles:
 * ['@loose-ends/vitest-plugin/setup']` works too). Vitest evaluates it once per test file.
 *
 * Reading order: options → the engine (one per thread) → `aroundEach`: the test, its hooks,
 * fixtures and `onTestFinished` callbacks run under the test's context, then the verdict, thrown
 * so Vitest fails that test only → the file's context: its module body, its `describe` bodies
 * and, through `aroundAll`, its `beforeAll`/`afterAll` hooks, then the file's verdict. The Vitest
 * internals each step relies on are listed in vitest-internals.ts.
 */
import type {
  CheckResult,
  LeakContext,
  LeakSummary,
  LooseEndsOptions,
  ResolvedOptions,
} from '@loose-ends/core';
import {
  addRetried,
  bindToPhase,
  createFileContext,
  createTestContext,
  getEngine,
  hidePackageFrames,
  LooseEndsOptionsError,
  reportInternalError,
  resolveOptions,
  sayOnce,
  tagLateLogs,
  tallyOf,
  verdictOf,
} from '@loose-ends/core';
import { decodeOptions, detectionOffMessage, FILE_SCOPE_KEY, PLUGIN_KEY, PROVIDE_KEY } from './transport.js';
import type { SuiteApi, SuiteLike, TaskLike, VitestApi } from './vitest-internals.js';
import {
  collectThrough,
  fileTaskIn,
  loadSuiteApi,
  loadVitestApi,
  replaceEachHooks,
  titlePathOf,
  VITEST_FILES,
} from './vitest-internals.js';

const PACKAGE = '@loose-ends/vitest-plugin';
/**
 * Our around hooks take no time limit of their own: the test inside keeps its `testTimeout` and
 * its hooks their `hookTimeout`, and our part (a context, then the check, which waits a bounded
 * number of turns) cannot hang. With a limit, Vitest starts and clears two timers around every
 * test, and the second starts inside the test's context, where its creation stack is captured.
 */
const NO_HOOK_TIMEOUT = Number.POSITIVE_INFINITY;

const NO_SUITE_API: SuiteApi = { getCurrentSuite: undefined, getSuiteHooks: undefined };

hidePackageFrames(import.meta.url);

const vitest = await loadVitestApi();
const options = readOptions();
const { aroundEach, aroundAll } = vitest;
// Even with detection off: `allowLeaks()` then does nothing instead of saying no adapter is loaded.
getEngine();

if (options.mode !== 'off') {
  if (typeof aroundEach !== 'function') {
    // The plugin already said it once for the whole run, in the main process.
    if (provided(PLUGIN_KEY) !== true) sayOnce(detectionOffMessage('this Vitest has no aroundEach'));
  } else {
    install(aroundEach, aroundAll, aroundAll === undefined ? NO_SUITE_API : await loadSuiteApi());
  }
}

function provided(key: string): unknown {
  if (typeof vitest.inject === 'function') return vitest.inject(key);
  sayOnce(
    'loose-ends: This Vitest has no inject(), so the options given to looseEnds() do not reach the tests: they are checked with the defaults.',
  );
  return undefined;
}

function readOptions(): ResolvedOptions {
  const given = provided(PROVIDE_KEY);
  const source = `test.provide.${PROVIDE_KEY} (the options of looseEnds() in your Vitest config)`;
  try {
    return resolveOptions(decodeOptions(given) as LooseEndsOptions | undefined, source);
  } catch (error) {
    // Thrown from a setup file, this fails every test file with the message up front.
    if (error instanceof LooseEndsOptionsError) throw error;
    throw new LooseEndsOptionsError(`loose-ends: could not read ${source}: ${String(error)}`);
  }
}

function install(
  around: NonNullable<VitestApi['aroundEach']>,
  aroundSuite: VitestApi['aroundAll'],
  { getCurrentSuite, getSuiteHooks }: SuiteApi,
): void {
  const engine = getEngine();
  engine.applySettings(options);
  tagLateLogs(console);
  // The runner's own bookkeeping (throttled task updates, RPC timeouts) may start while a test runs.
  const checkOptions: ResolvedOptions = { ...options, runnerFiles: VITEST_FILES };

  around(async (runTest, context) => {
    const task = context.task as unknown as TaskLike;
    const ctx = createTestContext(titlePathOf(task), task.file?.filepath, task.meta.allowLeaks);
    await engine.run(ctx, runTest, 'test');
    // Also after a failure or a timeout: what it left is reported next to its own error, and closed.
    const result = await engine.check(ctx, checkOptions);
    task.meta.looseEnds = attemptTally(result, task.meta.looseEnds);
    verdict(result);
  }, NO_HOOK_TIMEOUT);

  // Vitest evaluates this module once per test file, right before that file: one file context each.
  let fileCtx: LeakContext | undefined;
  const fileContextOf = (filepath: string): LeakContext => {
    fileCtx ??= createFileContext(filepath);
    return fileCtx;
  };

  // Called by the statement the plugin prepends to the test file, after the file's imports and one
  // `await`: from there on the module body (and only it: it runs in its own async function) is the file's.
  (globalThis as Record<symbol, unknown>)[Symbol.for(FILE_SCOPE_KEY)] = (filepath: unknown) => {
    if (typeof filepath !== 'string' || engine.currentScope() !== undefined) return;
    engine.enter(fileContextOf(filepath), 'module scope');
  };

  // Vitest runs `describe` bodies after the module body, when it collects the file: its default suite
  // (current while setup files run) collects every top-level describe, which collects its own.
  // Once collected, each `beforeEach`/`afterEach` hook is wrapped to say what it started, as Jest
  // and Mocha say ("Created in the beforeEach hook"): Vitest runs them inside the test's aroundEach.
  const nameHookPhases = (collected: unknown): void => {
    if (getSuiteHooks === undefined) return;
    replaceEachHooks(collected as SuiteLike, getSuiteHooks, (hook, name) =>
      bindToPhase(engine, hook, `${name} hook`),
    );
  };
  if (getCurrentSuite === undefined) {
    sayOnce(
      'loose-ends: This Vitest has no TestRunner.getCurrentSuite: what describe bodies start is not checked.',
    );
  } else {
    try {
      collectThrough(getCurrentSuite(), (file, collect) =>
        engine.run(
          fileContextOf(file.filepath),
          async () => {
            const collected = await collect();
            nameHookPhases(collected);
            return collected;
          },
          'module scope',
        ),
      );
    } catch (error) {
      reportInternalError(error, 'wrapping the collection of describe bodies', PACKAGE);
    }
  }

  if (aroundSuite === undefined) {
    sayOnce(
      "loose-ends: This Vitest has no aroundAll: a test file's module scope, describe bodies and beforeAll/afterAll hooks are not checked.",
    );
    return;
  }
  // A plain function reading `arguments`: Vitest parses the parameter list for fixtures, and the
  // suite is the 2nd argument in some versions and the 3rd (after fixtures) in others.
  aroundSuite(async function aroundFile(runSuite: () => Promise<void>) {
    // biome-ignore lint/complexity/noArguments: a rest parameter would be parsed as a fixtures argument.
    const file = fileTaskIn(arguments);
    if (file === undefined) {
      sayOnce(
        "loose-ends: Vitest's aroundAll handed no file task: a test file's module scope, describe bodies and beforeAll/afterAll hooks are not checked.",
      );
      await runSuite();
      return;
    }
    const ctx = fileContextOf(file.filepath);
    // One call runs the file's beforeAll hooks, its tests (each in its own context) and its afterAll
    // hooks: what the file's context records here came from one of those hooks, not saying which.
    await engine.run(ctx, runSuite, 'beforeAll or afterAll hook');
    const result = await engine.check(ctx, checkOptions);
    if (result.leaks.length > 0) file.meta.looseEnds = tally(result);
    verdict(result);
  }, NO_HOOK_TIMEOUT);
}

function tally(result: CheckResult): LeakSummary {
  // Every leak in full only when the main process is to write a report file with them.
  return tallyOf(result, options.reportFile !== undefined);
}

/**
 * The tally of a clean test's only attempt, shared: Vitest keeps every task's meta until the file
 * is done, and most tests are clean.
 */
let cleanTally: LeakSummary | undefined;

/**
 * A test's tally is its last attempt's, as Vitest counts the test by it (`retry`, `repeats`); an
 * earlier attempt that leaked is kept as a count of its own.
 */
function attemptTally(result: CheckResult, earlier: LeakSummary | undefined): LeakSummary {
  if (earlier === undefined && result.status === 'clean' && options.reportFile === undefined) {
    cleanTally ??= Object.freeze(tally(result)) as LeakSummary;
    return cleanTally;
  }
  const summary = tally(result);
  if (earlier !== undefined) addRetried(summary, earlier);
  return summary;
}

function verdict(result: CheckResult): void {
  const { failure, warning } = verdictOf(result);
  if (failure !== undefined) throw failure;
  if (warning !== undefined) process.stderr.write(`${warning}\n`);
}
