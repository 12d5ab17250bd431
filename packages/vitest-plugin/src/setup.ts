/**
 * The worker side, loaded by Vitest as a setup file (the plugin adds it; `setupFiles:
 * ['@loose-ends/vitest-plugin/setup']` works too). Vitest evaluates it once per test file.
 *
 * Reading order: options → the engine (one per thread) → `aroundEach`: the test, its hooks,
 * fixtures and `onTestFinished` callbacks run under the test's context, then the verdict, thrown
 * so Vitest fails that test only → `aroundAll`: the same for `beforeAll`/`afterAll` of the file.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  CheckResult,
  LeakContext,
  LeakSummary,
  LooseEndsOptions,
  ResolvedOptions,
} from '@loose-ends/core';
import {
  addRetriedAttempt,
  addToSummary,
  allowLeaksIn,
  bindToPhase,
  displayPath,
  emptySummary,
  getEngine,
  hideFramesFrom,
  LooseEndsOptionsError,
  reportInternalError,
  resolveOptions,
  tagLateLogs,
  verdictOf,
} from '@loose-ends/core';
import type { LooseEndsTaskMeta } from './meta.js';
import { decodeOptions, detectionOffMessage, FILE_SCOPE_KEY, PLUGIN_KEY, PROVIDE_KEY } from './transport.js';
import type { SuiteApi, SuiteCollectorLike, SuiteLike, VitestApi } from './vitest-api.js';
import { loadSuiteApi, loadVitestApi } from './vitest-api.js';

interface TaskLike {
  readonly name: string;
  readonly type: string;
  readonly suite?: TaskLike;
  readonly file?: { readonly filepath: string };
  readonly filepath?: string;
  readonly meta: LooseEndsTaskMeta;
  readonly result?: { readonly state?: string };
}

const PACKAGE = '@loose-ends/vitest-plugin';
const WARNED = Symbol.for('loose-ends.vitest.warnedNoAroundEach');
/**
 * Our around hooks take no time limit of their own: the test inside keeps its `testTimeout` and
 * its hooks their `hookTimeout`, and our part (a context, then the check, which waits a bounded
 * number of turns) cannot hang. With a limit, Vitest starts and clears two timers around every
 * test, and the second starts inside the test's context, where its creation stack is captured.
 */
const NO_HOOK_TIMEOUT = Number.POSITIVE_INFINITY;
/** Vitest's own files: what they create while a test runs is the runner's bookkeeping. */
const VITEST_FILES = /[\\/]node_modules[\\/](?:vitest|@vitest[\\/][^\\/]+)[\\/]/;

const NO_SUITE_API: SuiteApi = { getCurrentSuite: undefined, getSuiteHooks: undefined };

const EACH_HOOK_PHASES = [
  ['beforeEach', 'beforeEach hook'],
  ['afterEach', 'afterEach hook'],
] as const;

const kOriginalCollect = Symbol.for('loose-ends.vitest.originalCollect');

hideFramesFrom(path.dirname(fileURLToPath(import.meta.url)));

const vitest = await loadVitestApi();
const options = readOptions();
const { aroundEach, aroundAll } = vitest;
// Even with detection off: `allowLeaks()` then does nothing instead of saying no adapter is loaded.
getEngine();

if (options.mode !== 'off') {
  if (typeof aroundEach !== 'function') {
    warnNoAroundEach();
  } else {
    install(aroundEach, aroundAll, aroundAll === undefined ? NO_SUITE_API : await loadSuiteApi());
  }
}

function provided(key: string): unknown {
  return typeof vitest.inject === 'function' ? vitest.inject(key) : undefined;
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
    const ctx = engine.createContext({ kind: 'test', titlePath: titlePath(task), file: fileOf(task) });
    const allowed = task.meta.allowLeaks;
    if (allowed !== undefined && allowed !== false) allowLeaksIn(ctx, allowed === true ? undefined : allowed);
    await engine.run(ctx, runTest, 'test');
    // Also after a failure or a timeout: what it left is reported next to its own error, and closed.
    const result = await engine.check(ctx, checkOptions);
    task.meta.looseEnds = attemptTally(result, task.meta.looseEnds);
    verdict(result);
  }, NO_HOOK_TIMEOUT);

  // Vitest evaluates this module once per test file, right before that file: one file context each.
  let fileCtx: LeakContext | undefined;
  const fileContextOf = (filepath: string): LeakContext => {
    fileCtx ??= fileContext(filepath);
    return fileCtx;
  };

  // Called by the statement the plugin prepends to the test file, after the file's imports and one
  // `await`: from there on the module body (and only it: it runs in its own async function) is the file's.
  (globalThis as Record<symbol, unknown>)[Symbol.for(FILE_SCOPE_KEY)] = (filepath: unknown) => {
    if (typeof filepath !== 'string' || engine.currentScope() !== undefined) return;
    engine.enter(fileContextOf(filepath), 'module scope');
  };

  // Vitest runs `describe` bodies after the module body, when it collects the file: its default suite
  // (current while setup files run) collects every top-level describe, which collects its own. Each
  // file gets a fresh wrapper around the one original, under that file's context.
  if (getCurrentSuite !== undefined) {
    try {
      collectUnder(getCurrentSuite(), (file, collect) =>
        engine.run(
          fileContextOf(file.filepath),
          async () => {
            const collected = await collect();
            if (getSuiteHooks !== undefined) nameEachHookPhases(collected as SuiteLike, getSuiteHooks);
            return collected;
          },
          'module scope',
        ),
      );
    } catch (error) {
      reportInternalError(error, 'wrapping the collection of describe bodies', PACKAGE);
    }
  }

  // A plain function reading `arguments`: Vitest parses the parameter list for fixtures, and the
  // suite is the 2nd argument in some versions and the 3rd (after fixtures) in others.
  aroundSuite?.(async function aroundFile(runSuite: () => Promise<void>) {
    // biome-ignore lint/complexity/noArguments: a rest parameter would be parsed as a fixtures argument.
    const file = [...arguments].find(isFileTask);
    if (file === undefined) {
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

/**
 * Vitest runs a test's `beforeEach` hooks, the test and its `afterEach` hooks inside one
 * `aroundEach` call, all under the test's context: each such hook of a collected file is wrapped so
 * what it starts is said to come from it, as Jest and Mocha say ("Created in the beforeEach hook").
 */
function nameEachHookPhases(suite: SuiteLike, getSuiteHooks: NonNullable<SuiteApi['getSuiteHooks']>): void {
  const hooks = getSuiteHooks(suite);
  for (const [name, phase] of EACH_HOOK_PHASES) {
    const list = hooks?.[name];
    if (!Array.isArray(list)) continue;
    for (let index = 0; index < list.length; index++) {
      const hook = list[index];
      // Vitest reads a hook's parameters (fixtures) from its source: the wrapper keeps the original's.
      if (typeof hook === 'function') list[index] = bindToPhase(getEngine(), hook as () => unknown, phase);
    }
  }
  for (const task of suite.tasks ?? []) {
    if (task.type === 'suite') nameEachHookPhases(task, getSuiteHooks);
  }
}

type Collect = SuiteCollectorLike['collect'];

function collectUnder(
  suite: SuiteCollectorLike,
  run: (file: { readonly filepath: string }, collect: () => Promise<unknown>) => Promise<unknown>,
): void {
  const holder = suite as SuiteCollectorLike & { [kOriginalCollect]?: Collect };
  const original = holder[kOriginalCollect] ?? suite.collect;
  if (typeof original !== 'function') return;
  holder[kOriginalCollect] = original;
  suite.collect = function (this: SuiteCollectorLike, file) {
    if (typeof file?.filepath !== 'string') return original.call(this, file);
    return run(file, () => original.call(this, file));
  };
}

function isFileTask(value: unknown): value is TaskLike & { filepath: string } {
  const task = value as Partial<TaskLike> | undefined;
  return (
    typeof task === 'object' && task !== null && typeof task.filepath === 'string' && task.meta !== undefined
  );
}

function fileContext(filepath: string): LeakContext {
  return getEngine().createContext({ kind: 'file', title: displayPath(filepath), file: filepath });
}

function tally(result: CheckResult): LeakSummary {
  // Every leak in full only when the main process is to write a report file with them.
  const summary = emptySummary({ details: options.reportFile !== undefined });
  addToSummary(summary, result);
  return summary;
}

/**
 * A test's tally is its last attempt's, as Vitest counts the test by it (`retry`, `repeats`); an
 * earlier attempt that leaked is kept as a count of its own.
 */
/**
 * The tally of a clean test's only attempt, shared: Vitest keeps every task's meta until the file
 * is done, and most tests are clean.
 */
let cleanTally: LeakSummary | undefined;

function attemptTally(result: CheckResult, earlier: LeakSummary | undefined): LeakSummary {
  if (earlier === undefined && result.status === 'clean' && options.reportFile === undefined) {
    cleanTally ??= Object.freeze(tally(result)) as LeakSummary;
    return cleanTally;
  }
  const summary = tally(result);
  if (earlier === undefined) return summary;
  if (earlier.leakyRetries !== undefined) summary.leakyRetries = earlier.leakyRetries;
  addRetriedAttempt(summary, earlier.leakyTests > 0);
  return summary;
}

function verdict(result: CheckResult): void {
  const { failure, warning } = verdictOf(result);
  if (failure !== undefined) throw failure;
  if (warning !== undefined) process.stderr.write(`${warning}\n`);
}

function titlePath(task: TaskLike): string[] {
  const names: string[] = [];
  for (let current: TaskLike | undefined = task; current !== undefined; current = current.suite) {
    if (current.name !== '' && current.filepath === undefined) names.unshift(current.name);
  }
  return names;
}

function fileOf(task: TaskLike): string | undefined {
  return task.file?.filepath;
}

function warnNoAroundEach(): void {
  const state = globalThis as Record<symbol, unknown>;
  // The plugin already said it once for the whole run, in the main process.
  if (state[WARNED] || provided(PLUGIN_KEY) === true) return;
  state[WARNED] = true;
  process.stderr.write(`${detectionOffMessage('this Vitest has no aroundEach')}\n`);
}
