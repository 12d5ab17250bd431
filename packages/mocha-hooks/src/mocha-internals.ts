import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Engine, LeakContext } from '@loose-ends/core';
import { dropOwnFrames } from '@loose-ends/core';
import type { MochaHook, MochaSuite, MochaTest } from './mocha-shapes.js';

/**
 * Two optional patches of the Mocha copy the CLI runs, each guarded: when Mocha's shape is not what
 * we expect, the adapter still works (see `display` and `fileScope` in the state) and says so once.
 *
 * 1. The Runner: on its `test` event, before any `beforeEach` hook, the test is set up to run under
 *    its context; `hookUp('afterEach')`, once every `afterEach` hook of the test has run, waits for
 *    the verdict and fails a leaking test with `Runner#fail`, as Mocha does for a hook's error
 *    (docs/internals.md); and `emit` holds back a tracked test's `pass` and `test end` until then, so a test
 *    failed for leaking is listed once, as failed. Our root each-hooks are then not needed. A leaking
 *    attempt with retries left is retried instead, as Mocha retries a failed one: `runTests` is
 *    wrapped to reach the queue of tests it is working through, where Mocha puts the next attempt.
 * 2. `Mocha.prototype.loadFilesAsync` / `loadFiles` load spec files one at a time under the file's
 *    context, so module-scope work is attributed to its file.
 */

type Callback = (...args: unknown[]) => void;

interface RunnerPrototype {
  emit(event: string, ...args: unknown[]): boolean;
  /** Runs the hooks `name` of the current suite and its parents, innermost first. */
  hookUp(name: string, fn: Callback): void;
  /** Fails a test (or hook): what Mocha does with an error a hook recorded with `Hook#error`. */
  fail(test: MochaTest, error: unknown): void;
  /** Runs a suite's tests, working through a copy of `suite.tests` (`tests.slice()`) as its queue. */
  runTests(suite: MochaSuite, fn: Callback): void;
  /** The test running now, from its `test` event to its last `afterEach` hook. */
  test?: MochaTest;
}

interface RunnerClass {
  prototype: RunnerPrototype;
}

interface MochaInstance {
  files: string[];
  suite: MochaSuite;
}

interface MochaClass {
  prototype: {
    loadFiles?(this: MochaInstance, ...args: unknown[]): unknown;
    loadFilesAsync?(this: MochaInstance, ...args: unknown[]): Promise<unknown>;
  };
  Runner?: RunnerClass;
}

const PATCHED = Symbol.for('loose-ends.mocha-hooks.patched');

/** The `mocha` package directory holding the running CLI or worker script, if there is one. */
function mochaDirectoryOfThisProcess(): string | undefined {
  const script = process.argv[1];
  if (script === undefined) return undefined;
  let directory = path.dirname(path.resolve(script));
  for (let depth = 0; depth < 6; depth++) {
    const manifest = path.join(directory, 'package.json');
    if (existsSync(manifest)) {
      try {
        if (JSON.parse(readFileSync(manifest, 'utf8')).name === 'mocha') return directory;
      } catch {
        return undefined;
      }
    }
    const parent = path.dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
  return undefined;
}

/**
 * Mocha as the CLI loaded it. `require('mocha')` from this package could find another copy (its
 * own devDependency, a hoisted version), whose prototypes the running Mocha never uses.
 */
export function loadRunningMocha(): { Mocha: MochaClass | undefined; reason: string | undefined } {
  const requireHere = createRequire(path.join(process.cwd(), 'noop.js'));
  const candidates = [mochaDirectoryOfThisProcess(), 'mocha'].filter((id): id is string => id !== undefined);
  let reason = 'the mocha package could not be loaded';
  for (const id of candidates) {
    try {
      const loaded = requireHere(id) as MochaClass & { default?: MochaClass };
      const Mocha = typeof loaded === 'function' ? loaded : loaded.default;
      if (typeof Mocha === 'function') return { Mocha, reason: undefined };
      reason = `"${id}" did not export the Mocha class`;
    } catch (error) {
      reason = `loading "${id}" failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
    }
  }
  return { Mocha: undefined, reason };
}

export interface RunnerHooks {
  /** The runner's `test` event: a test (or a retry of one) is about to run its `beforeEach` hooks. */
  onTestBegin(test: MochaTest): void;
  /** Whether a test's `pass` may still turn into a failure, so should be held back. */
  shouldHold(test: MochaTest): boolean;
  /**
   * After every `afterEach` hook of a test: its verdict, calling `fail` to fail it. Undefined when
   * the test is not checked (detection off, or already checked). Never throws or rejects.
   */
  checkTest(
    test: MochaTest,
    fail: (error: Error) => void,
    retry: ((error: Error) => void) | undefined,
  ): Promise<void> | undefined;
  /** After the run's `end` event, once the reporter has printed its totals (also per `--watch` run). */
  afterEnd(): void;
}

interface Held {
  readonly test: MochaTest;
  readonly passArgs: unknown[];
  endArgs: unknown[] | undefined;
}

const kHeld = Symbol('loose-ends.heldTestEvents');

const AFTER_EACH = 'afterEach';
/** Mocha's `EVENT_TEST_RETRY`: an attempt failed and the next one is queued. */
const RETRY_EVENT = 'retry';

/** Returns why the patch could not be installed, or undefined when it is in place. */
export function patchRunner(Mocha: MochaClass, hooks: RunnerHooks): string | undefined {
  const proto = Mocha.Runner?.prototype as (RunnerPrototype & Record<symbol, unknown>) | undefined;
  if (proto === undefined) return 'Mocha.Runner was not found';
  for (const method of ['emit', 'hookUp', 'fail', 'runTests'] as const) {
    if (typeof proto[method] !== 'function') return `Mocha.Runner.prototype.${method} was not found`;
  }
  if (proto[PATCHED]) return undefined;
  const original = proto.emit;
  const hookUp = proto.hookUp;
  const runTests = proto.runTests;
  /** The queue `runTests` works through, per suite, while it runs (see `retryLater`). */
  const queues = new WeakMap<MochaSuite, MochaTest[]>();

  const release = (runner: Record<symbol, Held | undefined>): void => {
    const held = runner[kHeld];
    if (held === undefined) return;
    runner[kHeld] = undefined;
    original.call(runner, 'pass', ...held.passArgs);
    if (held.endArgs !== undefined) original.call(runner, 'test end', ...held.endArgs);
  };

  proto.emit = function patchedEmit(
    this: Record<symbol, Held | undefined>,
    event: string,
    ...args: unknown[]
  ) {
    const held = this[kHeld];
    const subject = args[0] as MochaTest | undefined;
    switch (event) {
      case 'test':
        release(this);
        if (subject !== undefined) {
          safely(() => {
            hooks.onTestBegin(subject);
            return true;
          });
        }
        break;
      case 'pass':
        release(this);
        if (subject !== undefined && safely(() => hooks.shouldHold(subject))) {
          this[kHeld] = { test: subject, passArgs: args, endArgs: undefined };
          return true;
        }
        break;
      case 'test end':
        if (held !== undefined && held.test === subject && held.endArgs === undefined) {
          held.endArgs = args;
          return true;
        }
        release(this);
        break;
      case 'fail':
        // The failure of a test or hook we wrapped: the reporter prints this stack.
        dropOwnFrames(args[1]);
        if (held !== undefined && held.test === subject) {
          // The leak check failed the test: it never passed, so its `pass` is dropped.
          this[kHeld] = undefined;
          const result = original.call(this, event, ...args);
          if (held.endArgs !== undefined) original.call(this, 'test end', ...held.endArgs);
          return result;
        }
        release(this);
        break;
      case 'hook':
      case 'hook end':
        break;
      case 'end': {
        release(this);
        const result = original.call(this, event, ...args);
        hooks.afterEnd();
        return result;
      }
      default:
        release(this);
    }
    return original.call(this, event, ...args);
  };

  // Mocha decides about a retry when the test function ends, before its afterEach hooks; a leak is
  // known only after them. Its queue is a copy made by `suite.tests.slice()` as `runTests` starts:
  // a `slice` of our own on that one array, for that one call, hands us the copy.
  proto.runTests = function patchedRunTests(this: RunnerPrototype, suite: MochaSuite, fn: Callback) {
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
  const retryLater = (runner: RunnerPrototype, test: MochaTest): ((error: Error) => void) | undefined => {
    const queue = test.parent === undefined ? undefined : queues.get(test.parent);
    if (queue === undefined || !hasRetriesLeft(test)) return undefined;
    const retried: RetryableTest = test;
    return (error) => {
      (runner as unknown as Record<symbol, Held | undefined>)[kHeld] = undefined;
      // A retried attempt has no state in Mocha: it neither passed nor failed.
      retried.state = undefined;
      const next = retried.clone();
      next.currentRetry?.(retried.currentRetry() + 1);
      queue.unshift(next);
      original.call(runner, RETRY_EVENT, retried, error);
    };
  };

  // Wraps the callback of the walk through a test's afterEach hooks. When a hook fails, Mocha calls
  // back with the error, then runs the outer suites' hooks in a walk of their own: check after that one.
  proto.hookUp = function patchedHookUp(this: RunnerPrototype, name: string, fn: Callback) {
    const test = this.test;
    if (name !== AFTER_EACH || test === undefined) return hookUp.call(this, name, fn);
    return hookUp.call(this, name, (...args: unknown[]) => {
      // checkTest never throws: it reports its own errors and resolves.
      const checking = args[0]
        ? undefined
        : hooks.checkTest(test, (error) => this.fail(test, error), retryLater(this, test));
      if (checking === undefined) return fn(...args);
      const next = (): void => {
        release(this as unknown as Record<symbol, Held | undefined>);
        fn(...args);
      };
      checking.then(next, next);
    });
  };
  proto[PATCHED] = true;
  return undefined;
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

function safely(predicate: () => boolean): boolean {
  try {
    return predicate();
  } catch {
    return false;
  }
}

/**
 * A spec file's path as the key of its context. Mocha hands absolute paths already, and resolving
 * them again per hook is not free (it can make V8 recompile Node's path normalizer): only a
 * relative one is resolved.
 */
export function absoluteFile(file: string): string {
  return path.isAbsolute(file) ? file : path.resolve(file);
}

export interface FileScopeHooks {
  /** A run starts loading spec files: forget the previous run's files. */
  startRun(): void;
  /** The file's context, or undefined when detection is off: the file then loads untracked. */
  contextFor(file: string): LeakContext | undefined;
}

const HOOK_LISTS = ['_beforeAll', '_afterAll', '_beforeEach', '_afterEach'] as const;

/** Returns why the patch could not be installed, or undefined when it is in place. */
export function patchFileLoading(
  Mocha: MochaClass,
  engine: Engine,
  hooks: FileScopeHooks,
): string | undefined {
  const proto = Mocha.prototype as MochaClass['prototype'] & Record<symbol, unknown>;
  const loadAsync = proto.loadFilesAsync;
  const loadSync = proto.loadFiles;
  if (typeof loadAsync !== 'function' || typeof loadSync !== 'function') {
    return 'Mocha.prototype.loadFilesAsync was not found';
  }
  if (proto[PATCHED]) return undefined;

  // Hooks a spec file declares outside any `describe` land on the root suite, which has no file.
  const adoptRootHooks = (suite: MochaSuite, before: Set<MochaHook>, file: string): void => {
    for (const list of HOOK_LISTS) {
      for (const hook of suite[list] ?? []) if (!before.has(hook)) hook.file ??= file;
    }
  };
  const rootHooks = (suite: MochaSuite): Set<MochaHook> =>
    new Set(HOOK_LISTS.flatMap((list) => suite[list] ?? []));
  const loadUnder = <T>(file: string, load: () => T): T => {
    const ctx = hooks.contextFor(file);
    return ctx === undefined ? load() : engine.run(ctx, load, 'module scope');
  };
  const usable = (mocha: MochaInstance): boolean =>
    Array.isArray(mocha.files) && mocha.files.length > 0 && typeof mocha.suite === 'object';

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
        adoptRootHooks(mocha.suite, before, absolute);
      }
    } finally {
      mocha.files = files;
    }
  }

  proto.loadFilesAsync = async function (this: MochaInstance, ...args: unknown[]) {
    if (!usable(this)) return loadAsync.apply(this, args);
    let result: unknown;
    for (const { file } of oneAtATime(this)) {
      result = await loadUnder(file, () => loadAsync.apply(this, args));
    }
    return result;
  };
  proto.loadFiles = function (this: MochaInstance, ...args: unknown[]) {
    if (!usable(this)) return loadSync.apply(this, args);
    let result: unknown;
    for (const { file, last } of oneAtATime(this)) {
      // `loadFiles(fn)` calls `fn` when done: only after the last file.
      result = loadUnder(file, () => loadSync.apply(this, last ? args : []));
    }
    return result;
  };
  proto[PATCHED] = true;
  return undefined;
}
