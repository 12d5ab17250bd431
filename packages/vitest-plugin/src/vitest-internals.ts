import type * as Vitest from 'vitest';
import type { LooseEndsTaskMeta } from './meta.js';

/**
 * Every part of Vitest this package relies on beyond its documented plugin options, in one place:
 * what it is, where it is known (the peer range is Vitest 4.1–5; the tests run 5, and
 * `test/variants.test.ts` runs 4.1 and 4.0), and what happens where it is missing. Nothing missing
 * may let a test pass silently: a line on stderr says what is not checked.
 *
 * In the workers (setup.ts):
 * - `aroundEach` (4.1+): runs each test, its each-hooks, fixtures and `onTestFinished` callbacks
 *   under the test's context, and fails that test alone when the check throws. Missing (4.0):
 *   detection is off, said once by the plugin in the main process (`configureVitest`) or, with
 *   the setup file alone, by each worker; tests run.
 * - `aroundAll` (4.1+), handed the file task among its arguments (2nd or 3rd, by version): the
 *   file's `beforeAll`/`afterAll` hooks and its check. Missing: a line says the file's own scope
 *   is not checked.
 * - `inject` (and the worker state's `providedContext` it reads, used directly where `globals: true`
 *   spares importing `vitest`): the plugin's options (`provide`). Missing: a line says the
 *   defaults are used.
 * - `TestRunner.getCurrentSuite()` (4.1+; read off `__vitest_index__` where the worker holds it):
 *   its `collect(file)` is wrapped so `describe` bodies run under the file's context. Missing: a
 *   line says what `describe` bodies start is not checked.
 * - `TestRunner.getSuiteHooks(suite)` (4.1+): each `beforeEach`/`afterEach` hook is replaced in
 *   its array by a wrapper naming its phase. Missing: what a hook starts is still the test's,
 *   reported as created in the test rather than in the hook.
 * - `task.meta` (`allowLeaks`, the per-test tally) and `task.name`/`suite`/`file.filepath`: the
 *   opt-out, the title and the summary. Missing: an opted-out test fails rather than passes; the
 *   summary line lacks what did not arrive.
 *
 * In the main process (plugin.ts, reporter.ts):
 * - `configureVitest({ vitest, project })` (3.1+): the version check, the reporter and the projects
 *   whose test files get the file-scope call; `project.matchesTestGlob(id, source)`. Missing
 *   (below 3.1, outside the peer range): no summary line, module scope unchecked, and no word of it.
 * - `test.tags` (4.1+): the `allow-leaks` tag, whose `meta` sets `allowLeaks`. Missing: the tag
 *   does nothing, so a tagged test is checked.
 * - `server.deps.external`: our files load natively rather than through Vite. Missing: the same
 *   verdicts, a slower run.
 * - Reporter `onInit(vitest)`, `onTestRunEnd(testModules)` with `module.meta()`,
 *   `module.children.allTests()` and `test.meta()`: the summary line and report file. Missing:
 *   neither; verdicts are given in the workers either way.
 */

/** Vitest's own files: what they create while a test runs is the runner's bookkeeping. */
export const VITEST_FILES = /[\\/]node_modules[\\/](?:vitest|@vitest[\\/][^\\/]+)[\\/]/;

/** `aroundEach` and `aroundAll` came in Vitest 4.1; a version it cannot read is given the benefit of the doubt. */
export function hasAroundEach(version: string): boolean {
  const match = /^(\d+)\.(\d+)/.exec(version);
  if (match === null) return true;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major > 4 || (major === 4 && minor >= 1);
}

/** The parts of Vitest's `configureVitest` context the plugin uses. */
export interface VitestLike {
  readonly version: string;
  readonly config: { reporters: unknown[] };
  readonly logger: { warn(message: string): void };
}

/** The part of Vitest's `TestProject` the plugin uses to tell test files from the modules they import. */
export interface ProjectLike {
  matchesTestGlob(moduleId: string, source?: () => string): boolean;
}

/** A test or suite as `aroundEach`/`aroundAll` hand it over. */
export interface TaskLike {
  readonly name: string;
  readonly type: string;
  readonly suite?: TaskLike;
  readonly file?: { readonly filepath: string };
  readonly filepath?: string;
  readonly meta: LooseEndsTaskMeta;
}

/** `['cache', 'refreshes every second']`: describe names from the outside in, then the test's. */
export function titlePathOf(task: TaskLike): string[] {
  const names: string[] = [];
  for (let current: TaskLike | undefined = task; current !== undefined; current = current.suite) {
    if (current.name !== '' && current.filepath === undefined) names.unshift(current.name);
  }
  return names;
}

/** The file task among the arguments `aroundAll` hands its hook, whatever their order. */
export function fileTaskIn(args: ArrayLike<unknown>): (TaskLike & { filepath: string }) | undefined {
  for (const value of Array.from(args)) {
    const task = value as Partial<TaskLike> | undefined;
    if (
      typeof task === 'object' &&
      task !== null &&
      typeof task.filepath === 'string' &&
      task.meta !== undefined
    )
      return task as TaskLike & { filepath: string };
  }
  return undefined;
}

/** The parts of Vitest's test API the setup file uses; any may be missing in an older Vitest. */
export interface VitestApi {
  readonly aroundEach: typeof Vitest.aroundEach | undefined;
  readonly aroundAll: typeof Vitest.aroundAll | undefined;
  readonly inject: ((key: string) => unknown) | undefined;
}

/** Vitest's per-worker state; `inject(key)` returns `providedContext[key]` from it. */
const WORKER_STATE = '__vitest_worker__';

/**
 * Vitest's test API, without importing `vitest` where `globals: true` already put it on
 * `globalThis`: in a suite whose test files import nothing from `vitest`, an import here would be
 * the only one, and each test file would pay for loading the module. `inject` is not a global: its
 * values are read where it reads them. If either is not there, the module is imported.
 */
export async function loadVitestApi(): Promise<VitestApi> {
  const scope = globalThis as Record<string, unknown>;
  const state = scope[WORKER_STATE] as { providedContext?: unknown } | undefined;
  const provided = state?.providedContext;
  if (typeof scope.aroundEach === 'function' && typeof provided === 'object' && provided !== null) {
    const values = provided as Record<string, unknown>;
    return {
      aroundEach: scope.aroundEach as VitestApi['aroundEach'],
      aroundAll:
        typeof scope.aroundAll === 'function' ? (scope.aroundAll as VitestApi['aroundAll']) : undefined,
      inject: (key) => values[key],
    };
  }
  const vitest = (await import('vitest')) as Partial<typeof Vitest>;
  return {
    aroundEach: vitest.aroundEach,
    aroundAll: vitest.aroundAll,
    inject: vitest.inject as VitestApi['inject'],
  };
}

/** The part of Vitest's suite collector the setup file touches: how it collects its describe blocks. */
export interface SuiteCollectorLike {
  collect(file: { readonly filepath: string }): Promise<unknown>;
}

/** A collected suite (or file): its tasks, and through `getSuiteHooks` its hooks. */
export interface SuiteLike {
  readonly type?: string;
  readonly tasks?: readonly SuiteLike[];
}

/** The hooks Vitest keeps for a suite: arrays it calls in order, which may be edited in place. */
type SuiteHooksLike = Partial<Record<'beforeEach' | 'afterEach', unknown[]>>;

/** Vitest's suite internals the setup file relies on, each undefined where this Vitest has none. */
export interface SuiteApi {
  readonly getCurrentSuite: (() => SuiteCollectorLike) | undefined;
  readonly getSuiteHooks: ((suite: SuiteLike) => SuiteHooksLike | undefined) | undefined;
}

type WithTestRunner = { TestRunner?: { getCurrentSuite?: unknown; getSuiteHooks?: unknown } };

/** Where Vitest's Node environments keep the `vitest` module they run with (for in-source tests). */
const VITEST_INDEX = '__vitest_index__';

/**
 * `getCurrentSuite` and `getSuiteHooks`, statics of `TestRunner`. Read off the module the worker
 * already holds where it can, so a suite with `globals: true` does not pay for importing `vitest`
 * in every test file (see `loadVitestApi`).
 */
export async function loadSuiteApi(): Promise<SuiteApi> {
  try {
    const held = (globalThis as Record<string, unknown>)[VITEST_INDEX] as WithTestRunner | undefined;
    const vitest =
      typeof held?.TestRunner?.getCurrentSuite === 'function'
        ? held
        : ((await import('vitest')) as WithTestRunner);
    const { getCurrentSuite, getSuiteHooks } = vitest.TestRunner ?? {};
    return {
      getCurrentSuite:
        typeof getCurrentSuite === 'function' ? (getCurrentSuite as SuiteApi['getCurrentSuite']) : undefined,
      getSuiteHooks:
        typeof getSuiteHooks === 'function' ? (getSuiteHooks as SuiteApi['getSuiteHooks']) : undefined,
    };
  } catch {
    return { getCurrentSuite: undefined, getSuiteHooks: undefined };
  }
}

type Collect = SuiteCollectorLike['collect'];

const kOriginalCollect = Symbol.for('loose-ends.vitest.originalCollect');

/**
 * Makes `suite.collect(file)` run through `run`. The setup file is evaluated again for each file
 * while the default suite stays the same object: each time, a fresh wrapper around the one original.
 */
export function collectThrough(
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

const EACH_HOOKS = ['beforeEach', 'afterEach'] as const;

/**
 * Replaces, in place, each `beforeEach`/`afterEach` hook of a collected suite and its child suites
 * by `wrap(hook, name)`. The wrapper must keep the hook's parameter list and source: Vitest reads
 * them for fixtures.
 */
export function replaceEachHooks(
  suite: SuiteLike,
  getSuiteHooks: NonNullable<SuiteApi['getSuiteHooks']>,
  wrap: (hook: () => unknown, name: (typeof EACH_HOOKS)[number]) => unknown,
): void {
  const hooks = getSuiteHooks(suite);
  for (const name of EACH_HOOKS) {
    const list = hooks?.[name];
    if (!Array.isArray(list)) continue;
    for (let index = 0; index < list.length; index++) {
      const hook = list[index];
      if (typeof hook === 'function') list[index] = wrap(hook as () => unknown, name);
    }
  }
  for (const task of suite.tasks ?? []) {
    if (task.type === 'suite') replaceEachHooks(task, getSuiteHooks, wrap);
  }
}
