import { createRequire } from 'node:module';
import path from 'node:path';
import type { Engine, LeakContext } from '@loose-ends/core';
import { displayPath, dropOwnFrames } from '@loose-ends/core';
import type { HookContext, MochaHook, MochaSuite, MochaTest } from './mocha-shapes.js';

/**
 * The one file that touches Mocha's internals. Each one below is the same in Mocha 8, 9, 10, 11 and
 * 12 (the smoke suites in test/fixtures/mocha8 … mocha12). `patchMocha` checks the ones it can
 * before patching anything: if one is missing, nothing is patched, no test is checked, and the
 * root `beforeAll` says so, and why, before the first test. Never a silent pass.
 *
 * | internal | what for | when missing |
 * |---|---|---|
 * | `require('mocha')` from the running script (`process.argv[1]`): the CLI's or a worker's own package, or the copy a programmatic run requires | the copy to patch | nothing checked; said |
 * | tests run by that copy's `Runner` (its `suite` event marks the root suite) | | nothing checked; said |
 * | `Runner.prototype.emit` | `test`: set the test up under its context; `pass`, `test end`: held back until the verdict; `fail`: our frames dropped from the stack; `end`: the summary | nothing checked; said |
 * | `Runner.prototype.hookUp('afterEach', fn)` | the verdict, once the test's last `afterEach` hook has run | nothing checked; said |
 * | `Runner#test` | the test whose `afterEach` hooks are running | the tests from then on are not checked; said |
 * | `Runner.prototype.fail(test, error)` | fails a leaking test, as Mocha does for a hook's error | nothing checked; said |
 * | `Runner.prototype.runTests`, whose queue is `suite.tests.slice()` | a leaking attempt with retries left is retried like a failed one: a `test.clone()` at the queue's front, then `retry` | the attempt fails instead |
 * | `Test#clone`, `#currentRetry`, `#retries` | the same | the attempt fails instead |
 * | `Suite#root`, `#_beforeAll`, `#_afterAll`, `#_beforeEach`, `#_afterEach` (hooks with `fn`, `file`) | hooks run under the test's or the file's context | nothing checked; said (tried on a new `Suite`) |
 * | `Mocha.prototype.loadFiles`, `loadFilesAsync`, `mocha.files`, `mocha.suite` | each spec file's module scope runs under its file's context | nothing checked; said (`mocha.files`: module scope not checked; said) |
 */

type Callback = (...args: unknown[]) => void;

interface RunnerPrototype {
  emit(event: string, ...args: unknown[]): boolean;
  /** Runs the hooks `name` of the current suite and its parents, innermost first. */
  hookUp(name: string, fn: Callback): void;
  /** Fails a test (or hook): what Mocha does with an error a hook recorded with `Hook#error`. */
  fail(test: MochaTest, error: unknown): void;
  runTests(suite: InternalSuite, fn: Callback): void;
  test?: MochaTest;
}

interface MochaInstance {
  files: string[];
  suite: InternalSuite;
}

interface MochaClass {
  prototype: {
    version?: unknown;
    loadFiles?(this: MochaInstance, ...args: unknown[]): unknown;
    loadFilesAsync?(this: MochaInstance, ...args: unknown[]): Promise<unknown>;
  };
  Runner?: { prototype: RunnerPrototype };
  Suite?: new (title: string, parentContext: undefined, isRoot: boolean) => InternalSuite;
}

const HOOK_LISTS = ['_beforeAll', '_afterAll', '_beforeEach', '_afterEach'] as const;
type InternalSuite = MochaSuite & { [list in (typeof HOOK_LISTS)[number]]: MochaHook[] } & {
  root: boolean;
  tests: MochaTest[];
  [RUN_BY_PATCHED_RUNNER]?: true;
};

/** Shared by the package's CJS and ESM builds, which Mocha may both load. */
const PATCHED = Symbol.for('loose-ends.mocha-hooks.patched');
const RUN_BY_PATCHED_RUNNER = Symbol.for('loose-ends.mocha-hooks.run-by-patched-runner');

export interface PluginHooks {
  /** A run starts loading spec files: forget the previous run's files (and start detection). */
  startRun(): void;
  /** The file's context, or undefined when detection is off: the file then loads untracked. */
  fileContext(file: string): LeakContext | undefined;
  /** The runner's `test` event for a test it is about to run, before its `beforeEach` hooks. */
  onTestBegin(test: MochaTest): void;
  /** Whether a test's `pass` may still turn into a failure, so should be held back. */
  shouldHold(test: MochaTest): boolean;
  /**
   * After every `afterEach` hook of a test: its verdict, calling `fail` to fail it, or `retry` (when
   * given) to run it again. Undefined when the test is not checked. Never throws or rejects.
   */
  checkTest(
    test: MochaTest,
    fail: (error: Error) => void,
    retry: ((error: Error) => void) | undefined,
  ): Promise<void> | undefined;
  /** After the run's `end` event, once the reporter has printed its totals (also per `--watch` run). */
  afterEnd(): void;
  /** Something found missing while running: what is not checked from now on, and why. */
  cannotCheck(what: string, why: string): void;
}

const REPORT =
  'please report this, with your Mocha version, at https://github.com/loose-ends/loose-ends/issues';

/** Where the copy of Mocha that was patched lives, for messages. */
let patchedCopy = 'mocha';

/** Patches the Mocha that runs the tests; returns its version, and why not when it could not. */
export function patchMocha(hooks: PluginHooks, engine: Engine): { version?: string; problem?: string } {
  const { Mocha, where, problem } = loadRunningMocha();
  if (Mocha === undefined) return { problem };
  patchedCopy = where;
  const version = typeof Mocha.prototype.version === 'string' ? Mocha.prototype.version : undefined;
  const missing = missingInternal(Mocha);
  if (missing !== undefined) {
    return {
      version,
      problem:
        `${missing} was not found in mocha ${version ?? '(version unknown)'} at ${where}. ` +
        `@loose-ends/mocha-hooks supports Mocha 8 to 12; with one of those, ${REPORT}`,
    };
  }
  try {
    patchRunner(Mocha as Required<MochaClass>, hooks);
    patchFileLoading(Mocha, hooks, engine);
  } catch (error) {
    // A frozen prototype (a hardened environment) refuses the first assignment: nothing is patched.
    return {
      version,
      problem:
        `the copy of Mocha at ${where} could not be patched (${firstLine(error)}). ` +
        'Require @loose-ends/mocha-hooks before any module that freezes Mocha',
    };
  }
  return { version };
}

/** The root suite of the run a root hook runs in. */
export function rootSuiteOf(context: HookContext): MochaSuite {
  const root = (context.test ?? context.runnable?.())?.parent;
  if (root === undefined) throw new Error('The root beforeAll hook has no suite (this.test.parent)');
  return root;
}

/** Why the tests under `root` are not checked: they are run by a copy of Mocha that was not patched. */
export function whyNotPatched(root: MochaSuite): string | undefined {
  if ((root as InternalSuite)[RUN_BY_PATCHED_RUNNER]) return undefined;
  return (
    `they are run by a copy of Mocha other than the one loose-ends patched (${patchedCopy}, which require('mocha') finds ` +
    "from the running script). Run them with the mocha CLI, or from a script whose require('mocha') finds the copy that runs them"
  );
}

/** The `before`/`after` hooks of `suite` and of every suite in it. */
export function* allHooksUnder(suite: MochaSuite): Generator<[MochaHook, string, MochaSuite]> {
  const internal = suite as InternalSuite;
  for (const hook of internal._beforeAll) yield [hook, 'beforeAll hook', suite];
  for (const hook of internal._afterAll) yield [hook, 'afterAll hook', suite];
  for (const child of suite.suites) yield* allHooksUnder(child);
}

/** The `beforeEach`/`afterEach` hooks that run around `test`, from its own suite outwards. */
export function* eachHooksAround(test: MochaTest): Generator<[MochaHook, string]> {
  for (let suite = test.parent; suite !== undefined; suite = suite.parent) {
    for (const hook of (suite as InternalSuite)._beforeEach) yield [hook, 'beforeEach hook'];
    for (const hook of (suite as InternalSuite)._afterEach) yield [hook, 'afterEach hook'];
  }
}

/**
 * Mocha as the running script finds it: the CLI (or a `--parallel` worker) finds its own package, a
 * programmatic run the copy it requires; without a script, as the working directory finds it.
 * `require('mocha')` from this package could find another copy (its own devDependency, a hoisted one).
 */
function loadRunningMocha(): { Mocha?: MochaClass; where: string; problem?: string } {
  const from = path.resolve(process.argv[1] ?? 'noop.js');
  try {
    const main = createRequire(from).resolve('mocha');
    const where = displayPath(path.dirname(main));
    const loaded = createRequire(from)(main) as MochaClass & { default?: MochaClass };
    const Mocha = typeof loaded === 'function' ? loaded : loaded.default;
    if (typeof Mocha === 'function') return { Mocha, where };
    return { where, problem: `the mocha package at ${where} does not export the Mocha class; ${REPORT}` };
  } catch (error) {
    return {
      where: 'mocha',
      problem:
        `require('mocha') from ${displayPath(from)} failed (${firstLine(error)}). ` +
        'Run the tests with the mocha CLI, or from a script that can require the mocha that runs them',
    };
  }
}

function missingInternal(Mocha: MochaClass): string | undefined {
  const proto = Mocha.Runner?.prototype;
  if (proto === undefined) return 'Mocha.Runner';
  for (const method of ['emit', 'hookUp', 'fail', 'runTests'] as const) {
    if (typeof proto[method] !== 'function') return `Mocha.Runner.prototype.${method}`;
  }
  for (const method of ['loadFiles', 'loadFilesAsync'] as const) {
    if (typeof Mocha.prototype[method] !== 'function') return `Mocha.prototype.${method}`;
  }
  if (typeof Mocha.Suite !== 'function') return 'Mocha.Suite';
  let probe: InternalSuite;
  try {
    probe = new Mocha.Suite('', undefined, true);
  } catch {
    return "a root suite (new Mocha.Suite('', undefined, true) threw)";
  }
  if (probe.root !== true) return 'Suite#root';
  const list = HOOK_LISTS.find((name) => !Array.isArray(probe[name]));
  return list === undefined ? undefined : `Suite#${list}`;
}

interface Held {
  readonly test: MochaTest;
  readonly passArgs: unknown[];
  endArgs: unknown[] | undefined;
}

type PatchedRunner = RunnerPrototype & { [kHeld]?: Held };
const kHeld = Symbol('loose-ends.heldTestEvents');

/**
 * On its `test` event, before any `beforeEach` hook, the test is set up to run under its context;
 * `hookUp('afterEach')`, once every `afterEach` hook of the test has run, waits for the verdict and
 * fails a leaking test with `Runner#fail`, as Mocha does for a hook's error (docs/internals.md); and
 * `emit` holds back a checked test's `pass` and `test end` until then, so a test failed for leaking
 * is listed once, as failed.
 */
function patchRunner(Mocha: Required<MochaClass>, hooks: PluginHooks): void {
  const proto = Mocha.Runner.prototype as PatchedRunner & Record<symbol, unknown>;
  if (proto[PATCHED]) return;
  const { emit, hookUp, runTests } = proto;
  /** The queue `runTests` works through, per suite, while it runs (see `retryLater`). */
  const queues = new WeakMap<MochaSuite, MochaTest[]>();

  const release = (runner: PatchedRunner): void => {
    const held = runner[kHeld];
    if (held === undefined) return;
    runner[kHeld] = undefined;
    emit.call(runner, 'pass', ...held.passArgs);
    if (held.endArgs !== undefined) emit.call(runner, 'test end', ...held.endArgs);
  };

  proto.emit = function patchedEmit(this: PatchedRunner, event: string, ...args: unknown[]) {
    const held = this[kHeld];
    const subject = args[0] as (MochaTest & InternalSuite) | undefined;
    // The failure of a test or hook we wrapped: the reporter prints this stack.
    if (event === 'fail') dropOwnFrames(args[1]);
    if (held !== undefined && held.test === subject) {
      if (event === 'test end' && held.endArgs === undefined) {
        held.endArgs = args;
        return true;
      }
      if (event === 'fail') {
        // The leak check failed the test: it never passed, so its `pass` is dropped.
        this[kHeld] = undefined;
        const result = emit.call(this, event, ...args);
        if (held.endArgs !== undefined) emit.call(this, 'test end', ...held.endArgs);
        return result;
      }
    }
    if (event !== 'hook' && event !== 'hook end') release(this);
    // Emitted for the root suite before its `before` hooks, so before our root `beforeAll`.
    if (event === 'suite' && subject?.root === true) subject[RUN_BY_PATCHED_RUNNER] = true;
    // Not for the tests Mocha marks failed (`failHookAffectedTests`) and announces without running.
    if (event === 'test' && subject !== undefined && subject.state === undefined) {
      safely(() =>
        this.test === subject
          ? hooks.onTestBegin(subject)
          : hooks.cannotCheck('Tests', `Runner#test is not the test of the "test" event; ${REPORT}`),
      );
    }
    if (event === 'pass' && subject !== undefined && safely(() => hooks.shouldHold(subject))) {
      this[kHeld] = { test: subject, passArgs: args, endArgs: undefined };
      return true;
    }
    const result = emit.call(this, event, ...args);
    if (event === 'end') hooks.afterEnd();
    return result;
  };

  // Mocha decides about a retry when the test function ends, before its afterEach hooks; a leak is
  // known only after them. Its queue is a copy made by `suite.tests.slice()` as `runTests` starts:
  // a `slice` of our own on that one array, for that one call, hands us the copy.
  proto.runTests = function patchedRunTests(this: RunnerPrototype, suite: InternalSuite, fn: Callback) {
    const tests = suite?.tests;
    if (!Array.isArray(tests) || Object.hasOwn(tests, 'slice')) return runTests.call(this, suite, fn);
    Object.defineProperty(tests, 'slice', {
      configurable: true,
      writable: true,
      value(this: MochaTest[], ...args: [number?, number?]) {
        Reflect.deleteProperty(tests, 'slice');
        const queue = Array.prototype.slice.apply(this, args);
        queues.set(suite, queue);
        return queue;
      },
    });
    try {
      return runTests.call(this, suite, fn);
    } finally {
      Reflect.deleteProperty(tests, 'slice');
    }
  };

  /** Queues the test's next attempt, as Mocha does for a failed one, or returns undefined if it cannot. */
  const retryLater = (runner: PatchedRunner, test: MochaTest): ((error: Error) => void) | undefined => {
    const queue = test.parent === undefined ? undefined : queues.get(test.parent);
    if (queue === undefined || !hasRetriesLeft(test)) return undefined;
    return (error) => {
      runner[kHeld] = undefined;
      // A retried attempt has no state in Mocha: it neither passed nor failed.
      test.state = undefined;
      const next = test.clone();
      next.currentRetry?.(test.currentRetry() + 1);
      queue.unshift(next);
      emit.call(runner, 'retry', test, error);
    };
  };

  // Wraps the callback of the walk through a test's afterEach hooks. When a hook fails, Mocha calls
  // back with the error, then runs the outer suites' hooks in a walk of their own: check after that one.
  proto.hookUp = function patchedHookUp(this: PatchedRunner, name: string, fn: Callback) {
    const test = this.test;
    if (name !== 'afterEach' || test === undefined) return hookUp.call(this, name, fn);
    return hookUp.call(this, name, (...args: unknown[]) => {
      // checkTest never throws: it reports its own errors and resolves.
      const checking = args[0]
        ? undefined
        : hooks.checkTest(test, (error) => this.fail(test, error), retryLater(this, test));
      if (checking === undefined) return fn(...args);
      const next = (): void => {
        release(this);
        fn(...args);
      };
      checking.then(next, next);
    });
  };
  proto[PATCHED] = true;
}

type RetryableTest = MochaTest & Required<Pick<MochaTest, 'clone' | 'currentRetry' | 'retries'>>;

function hasRetriesLeft(test: MochaTest): test is RetryableTest {
  try {
    return (
      typeof test.clone === 'function' &&
      typeof test.currentRetry === 'function' &&
      typeof test.retries === 'function' &&
      test.currentRetry() < test.retries()
    );
  } catch {
    return false;
  }
}

/**
 * `Mocha.prototype.loadFilesAsync` / `loadFiles` load spec files one at a time under the file's
 * context, so module-scope work is attributed to its file.
 */
function patchFileLoading(Mocha: MochaClass, hooks: PluginHooks, engine: Engine): void {
  const proto = Mocha.prototype as Required<MochaClass['prototype']> & Record<symbol, unknown>;
  if (proto[PATCHED]) return;
  const { loadFiles, loadFilesAsync } = proto;

  // Hooks a spec file declares outside any `describe` land on the root suite, which has no file.
  const rootHooks = (suite: InternalSuite): Set<MochaHook> =>
    new Set(HOOK_LISTS.flatMap((list) => suite[list] ?? []));
  const loadUnder = <T>(file: string, load: () => T): T => {
    const ctx = hooks.fileContext(file);
    return ctx === undefined ? load() : engine.run(ctx, load, 'module scope');
  };
  const usable = (mocha: MochaInstance): boolean => {
    if (Array.isArray(mocha.files) && typeof mocha.suite === 'object') return mocha.files.length > 0;
    hooks.cannotCheck('Module scopes of spec files', `mocha.files is not a list of files; ${REPORT}`);
    return false;
  };

  /**
   * The spec files of one load, one at a time: while a file is yielded, `mocha.files` holds only it;
   * asking for the next gives it the root hooks it declared. A `for…of` that throws still restores
   * `mocha.files`, as leaving the loop runs the `finally`.
   */
  function* oneAtATime(mocha: MochaInstance): Generator<{ file: string; last: boolean }> {
    hooks.startRun();
    const files = mocha.files;
    try {
      for (const [index, file] of files.entries()) {
        mocha.files = [file];
        const before = rootHooks(mocha.suite);
        const absolute = absoluteFile(file);
        yield { file: absolute, last: index === files.length - 1 };
        for (const hook of rootHooks(mocha.suite)) if (!before.has(hook)) hook.file ??= absolute;
      }
    } finally {
      mocha.files = files;
    }
  }

  proto.loadFilesAsync = async function (this: MochaInstance, ...args: unknown[]) {
    if (!usable(this)) return loadFilesAsync.apply(this, args);
    let result: unknown;
    for (const { file } of oneAtATime(this)) {
      result = await loadUnder(file, () => loadFilesAsync.apply(this, args));
    }
    return result;
  };
  proto.loadFiles = function (this: MochaInstance, ...args: unknown[]) {
    if (!usable(this)) return loadFiles.apply(this, args);
    let result: unknown;
    for (const { file, last } of oneAtATime(this)) {
      // `loadFiles(fn)` calls `fn` when done: only after the last file.
      result = loadUnder(file, () => loadFiles.apply(this, last ? args : []));
    }
    return result;
  };
  proto[PATCHED] = true;
}

/**
 * A spec file's path as the key of its context. Mocha hands absolute paths already, and resolving
 * them again per hook is not free (it can make V8 recompile Node's path normalizer): only a
 * relative one is resolved.
 */
export function absoluteFile(file: string): string {
  return path.isAbsolute(file) ? file : path.resolve(file);
}

function safely(fn: () => unknown): boolean {
  try {
    return Boolean(fn());
  } catch {
    return false;
  }
}

function firstLine(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
}
