import type { Engine, LeakContext, LeakSummary, ResolvedOptions } from '@loose-ends/core';
import {
  addRetried,
  addToSummary,
  bindToContext,
  createFileContext,
  createTestContext,
  didYouMean,
  emptySummary,
  getEngine,
  hidePackageFrames,
  isBound,
  LooseEndsOptionsError,
  mergeSummaries,
  REPORT_FILE_ENV_VARIABLE,
  relaySummary,
  reportInternalError,
  resolveOptions,
  sayOnce,
  tallyOf,
  unwrap,
  verdictOf,
} from '@loose-ends/core';
import type {
  CircusEvent,
  CircusHook,
  CircusProgress,
  CircusState,
  CircusTest,
  EnvironmentConfig,
  EnvironmentContext,
} from './jest-internals.js';
import {
  dropOwnFramesFrom,
  JEST_FILES,
  lastAddedTest,
  titlePathOf,
  uncheckedReason,
} from './jest-internals.js';
import { tagLateLogsOf } from './late-logs.js';
import { OPTIONS_KEY, optionsSource } from './options-source.js';
import { SUMMARY_DIR_VARIABLE } from './summary-store.js';

/**
 * How Jest is hooked (the Jest internals each step relies on are listed in jest-internals.ts):
 * - `withLooseEnds(Base)` subclasses an environment; Jest creates one per test file, in a worker.
 * - `getVmContext`: the file's module scope runs under the file's context.
 * - circus events: a test is wrapped at `test_start`, its hooks at `hook_start`; at `test_done`,
 *   after its `afterEach` hooks, the verdict goes onto `test.errors`; at `run_finish` the file's
 *   own verdict goes onto `state.unhandledErrors`.
 * - `teardown`: the file's tally goes to the reporter, which prints the run's line.
 */

/** The docblock pragma that sets the mode for one file: `@loose-ends off`. */
const PRAGMA = 'loose-ends';

// Our own frames (the wrappers around test functions) must not be the code frame Jest draws.
hidePackageFrames(import.meta.url);

/** What every Jest environment class has; the Node and jsdom ones and users' own subclasses alike. */
export interface JestEnvironmentLike {
  global: unknown;
  getVmContext(): unknown;
  setup(): Promise<void>;
  teardown(): Promise<void>;
  handleTestEvent?(event: any, state: any): void | Promise<void>;
}

export type JestEnvironmentClass = abstract new (...args: any[]) => JestEnvironmentLike;

/**
 * Adds per-test leak detection to a Jest environment class: `withLooseEnds(NodeEnvironment)`.
 * Use it to wrap your own custom environment; `@loose-ends/jest-env` and
 * `@loose-ends/jest-env/jsdom` are this applied to Jest's Node and jsdom environments.
 */
export function withLooseEnds<Base extends JestEnvironmentClass>(BaseEnvironment: Base): Base {
  abstract class LooseEndsEnvironment extends BaseEnvironment {
    readonly #engine: Engine;
    readonly #options: ResolvedOptions;
    readonly #fileCtx: LeakContext;
    /** The context of each test's running attempt; retries and re-runs get a fresh one. */
    readonly #attempts = new WeakMap<CircusTest, LeakContext>();
    readonly #summary: LeakSummary;
    /**
     * The tally of a failed test's latest attempt, which circus may still retry (it retries only a
     * test with errors): a test counts once, by its last attempt, as Jest counts it.
     */
    readonly #mayBeRetried = new Map<CircusTest, LeakSummary>();
    readonly #seen: CircusProgress = {
      events: 0,
      moduleScopeEntered: false,
      testsStarted: 0,
      testsChecked: 0,
      fileChecked: false,
    };

    constructor(...args: any[]) {
      super(...args);
      const config = args[0] as EnvironmentConfig;
      const context = args[1] as EnvironmentContext;
      this.#options = { ...optionsFor(config, context), runnerFiles: JEST_FILES };
      this.#engine = getEngine();
      this.#engine.applySettings(this.#options);
      this.#summary = emptySummary({ details: this.#options.reportFile !== undefined });
      if (this.#options.reportFile !== undefined) warnIfNoReporter();
      this.#fileCtx = createFileContext(context.testPath, config.projectConfig.rootDir ?? process.cwd());
      if (this.#options.mode !== 'off') tagLateLogsOf(context.console);
    }

    /**
     * Jest asks for the vm context right before it evaluates each module, from its own flow and
     * with no callback we could wrap. The first time that happens outside any running test, the
     * rest of this file's flow (module scope, setup files, then circus running the file) becomes
     * the file's; tests and hooks run in their own contexts inside it.
     */
    override getVmContext(): unknown {
      if (!this.#seen.fileChecked && this.#isOutsideAnyTest()) {
        // A file switched off (docblock) in a worker where other files are on: its work is no one's.
        if (this.#options.mode === 'off') this.#engine.enterOutside();
        else this.#engine.enter(this.#fileCtx, 'module scope');
        this.#seen.moduleScopeEntered = true;
      }
      return super.getVmContext();
    }

    /**
     * Before this file's first module, a worker's flow may still carry the scope of the file it ran
     * before (Jest 28 and 29), whose context has ended, or the runner's scope of a file run with
     * detection off: neither is a test of this file.
     */
    #isOutsideAnyTest(): boolean {
      const scope = this.#engine.currentScope();
      if (scope === undefined) return true;
      return !this.#seen.moduleScopeEntered && (scope.ctx === null || scope.ctx.ended);
    }

    /**
     * circus dispatches definition events (`add_test`) synchronously and awaits the rest; stay
     * synchronous unless there is something to wait for, so `add_test` sees the test just added.
     */
    handleTestEvent(event: CircusEvent, state: CircusState): void | Promise<void> {
      const inherited = super.handleTestEvent?.(event, state);
      if (inherited instanceof Promise) return inherited.then(() => this.#onEventSafely(event, state));
      return this.#onEventSafely(event, state);
    }

    override async teardown(): Promise<void> {
      if (this.#options.mode === 'off') {
        // Tells the reporter this file was switched off, so it does not ask whether we are installed.
        relaySummary(SUMMARY_DIR_VARIABLE, { ...emptySummary(), filesOff: 1 });
      } else {
        const reason = uncheckedReason(this.#seen);
        // Not the file's console: Jest has frozen it by now.
        if (reason !== undefined)
          process.stderr.write(`loose-ends: ${this.#fileCtx.title} was not fully checked: ${reason}.\n`);
        relaySummary(SUMMARY_DIR_VARIABLE, mergeSummaries([this.#summary, ...this.#mayBeRetried.values()]));
      }
      await super.teardown();
    }

    #onEventSafely(event: CircusEvent, state: CircusState): void | Promise<void> {
      if (this.#options.mode === 'off') return;
      this.#seen.events++;
      try {
        return this.#onEvent(event, state)?.catch((error: unknown) => internalError(error, event.name));
      } catch (error) {
        internalError(error, event.name);
      }
    }

    #onEvent(event: CircusEvent, state: CircusState): Promise<void> | undefined {
      switch (event.name) {
        case 'add_test': {
          // Jest 29 calls a `test.concurrent` function before its `test_start`: wrap it at definition.
          const test = event.concurrent ? lastAddedTest(state) : undefined;
          if (test !== undefined) this.#startAttempt(test);
          return;
        }
        case 'test_start': {
          const test = event.test!;
          // Already running since `add_test` (Jest 29 concurrent): circus has swapped in its own
          // function holding the running promise, so keep the context it runs under.
          if (!this.#attempts.has(test) || !test.concurrent || isBound(test.fn)) this.#startAttempt(test);
          this.#seen.testsStarted++;
          return;
        }
        case 'hook_start':
          this.#bindHook(event.hook!, state);
          return;
        case 'test_done':
          dropOwnFramesFrom(event.test!.errors);
          return this.#checkTest(event.test!);
        case 'run_finish':
          dropOwnFramesFrom(state.unhandledErrors);
          return this.#checkFile(state);
      }
    }

    #startAttempt(test: CircusTest): void {
      const ctx = createTestContext(titlePathOf(test), this.#fileCtx.file);
      this.#attempts.set(test, ctx);
      test.fn = bindToContext(this.#engine, ctx, test.fn);
    }

    #bindHook(hook: CircusHook, state: CircusState): void {
      const phase = `${hook.type} hook`;
      if (hook.type === 'beforeAll' || hook.type === 'afterAll') {
        hook.fn = bindToContext(this.#engine, this.#fileCtx, hook.fn, phase);
        return;
      }
      const test = state.currentlyRunningTest;
      const ctx = test == null ? undefined : this.#attempts.get(test);
      if (ctx !== undefined) hook.fn = bindToContext(this.#engine, ctx, hook.fn, phase);
    }

    async #checkTest(test: CircusTest): Promise<void> {
      const ctx = this.#attempts.get(test);
      if (ctx === undefined) return;
      const result = await this.#engine.check(ctx, this.#options);
      this.#seen.testsChecked++;
      // circus keeps every test object until the file ends: let go of the attempt's context.
      this.#attempts.delete(test);
      test.fn = unwrap(test.fn);
      const { failure, warning } = verdictOf(result);
      if (failure !== undefined) test.errors.push(failure);
      if (warning !== undefined) this.#warn(warning);
      // circus retries a failed test by running the same test object again.
      const retried = this.#mayBeRetried.get(test);
      if (retried !== undefined) {
        this.#mayBeRetried.delete(test);
        addRetried(this.#summary, retried);
      }
      if (test.errors.length === 0) addToSummary(this.#summary, result);
      else this.#mayBeRetried.set(test, tallyOf(result, this.#summary.details !== undefined));
    }

    async #checkFile(state: CircusState): Promise<void> {
      const result = await this.#engine.check(this.#fileCtx, this.#options);
      this.#seen.fileChecked = true;
      if (result.leaks.length > 0) addToSummary(this.#summary, result);
      const { failure, warning } = verdictOf(result);
      // circus turns these into a failed test file ("Test suite failed to run") with Jest's own formatting.
      if (failure !== undefined) state.unhandledErrors.push(failure);
      if (warning !== undefined) this.#warn(warning);
    }

    #warn(message: string): void {
      const console = (this.global as { console?: Console }).console ?? globalThis.console;
      console.warn(message);
    }
  }
  Object.defineProperty(LooseEndsEnvironment, 'name', { value: `LooseEnds${BaseEnvironment.name}` });
  return LooseEndsEnvironment as unknown as Base;
}

function optionsFor(config: EnvironmentConfig, context: EnvironmentContext): ResolvedOptions {
  const where = optionsSource(config.projectConfig.rootDir);
  const given = config.projectConfig.testEnvironmentOptions?.[OPTIONS_KEY];
  const options = resolveOptions(given, where);
  const pragma = context.docblockPragmas?.[PRAGMA];
  if (pragma === undefined) return options;
  const mode = Array.isArray(pragma) ? pragma[pragma.length - 1] : pragma;
  if (mode !== 'off' && mode !== 'warn' && mode !== 'fail') {
    throw new LooseEndsOptionsError(
      `loose-ends: the @${PRAGMA} docblock pragma in ${context.testPath} must be one of "off", "warn", "fail"; got ${JSON.stringify(mode)}.${didYouMean(mode, ['off', 'warn', 'fail'])}`,
    );
  }
  // The pragma is the file's own choice; the environment variable still wins, as everywhere.
  return resolveOptions({ ...asObject(given), mode }, `${where} with the @${PRAGMA} pragma`);
}

function asObject(value: unknown): object {
  return typeof value === 'object' && value !== null ? value : {};
}

/** The report file is written by the reporter, in Jest's main process: without it, nothing is. */
function warnIfNoReporter(): void {
  if (process.env[SUMMARY_DIR_VARIABLE] !== undefined) return;
  sayOnce(
    `loose-ends: No report file will be written: option reportFile (or ${REPORT_FILE_ENV_VARIABLE}) needs the reporter. ` +
      "Add it to your Jest config: reporters: ['default', '@loose-ends/jest-env/reporter'].",
  );
}

function internalError(error: unknown, event: string): void {
  reportInternalError(error, `the Jest event "${event}"`, '@loose-ends/jest-env');
}
