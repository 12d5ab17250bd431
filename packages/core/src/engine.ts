import { contain } from './contain.js';
import type { ContextInit, ContextKind, LeakContext, Scope } from './context.js';
import { createContext, RUNNER_SCOPE, releaseChecked, scopeOf, TEST_PHASE } from './context.js';
import type { Entry } from './hook.js';
import { isAlive, isRefed, ResourceHook, stackHolderOf } from './hook.js';
import { reportInternalError } from './internal-error.js';
import { KINDS } from './kinds.js';
import { nameOriginOfLateErrors } from './late-work.js';
import type { ResolvedOptions } from './options.js';
import { prewarmSingletons } from './prewarm.js';
import { realClock, withinLimit } from './real-clock.js';
import type { LeakRecord } from './record.js';
import { hasOwnStackCleaned, kindOf, ownStack, toRecord } from './record.js';
import { findEngine, registerEngine } from './registry.js';
import type { RenderOptions } from './report.js';
import { AsyncLeakError, subjectOf } from './report.js';
import type { RuntimeSupport } from './runtime.js';
import { detectRuntime, warnUnsupported } from './runtime.js';
import type { ScopeStorage } from './scope-storage.js';
import { collectAndSettle, settle } from './settle.js';
import { isCreatedBy } from './stack.js';

export type CheckStatus = 'clean' | 'leaked' | 'allowed' | 'off' | 'unsupported';

export interface CheckResult {
  readonly status: CheckStatus;
  /** What was checked: a test, a file's module scope and before-all hooks, or a tracked task. */
  readonly kind: ContextKind;
  /** The checked test's describe titles and its own (empty for a file's scope). */
  readonly titlePath: readonly string[];
  /** Its test file, absolute, when the runner said. */
  readonly file: string | undefined;
  /** Leaks to report. */
  readonly leaks: readonly LeakRecord[];
  /** Leaks the test allowed itself (`allowLeaks`); not reported. */
  readonly allowed: readonly LeakRecord[];
  /** Present when there are leaks: attach it to the test (mode `fail`) or print its message (mode `warn`). */
  readonly error: AsyncLeakError | undefined;
  /** Leaks found and mode is `fail`. */
  readonly shouldFail: boolean;
}

const NOTHING: readonly LeakRecord[] = Object.freeze([]);

/** `runIn` before detection has started (or where it cannot): no scope to enter. */
const runDirectly: ScopeStorage['run'] = (_scope, fn, ...args) => fn(...args);

/**
 * The per-thread detector: tags work with the running test, and judges what a test left behind.
 * Get it with `getEngine()`; adapters create one context per test and call `check()` after it.
 * Detection (the async_hooks hook and Node's patches) starts with the first `applySettings` whose
 * mode is not `off`: with loose-ends switched off, nothing is hooked and `allowLeaks()` does nothing.
 */
export class Engine {
  readonly support: RuntimeSupport;
  private hook: ResourceHook | undefined;

  constructor() {
    this.support = detectRuntime();
  }

  /** Whether detection has started in this thread (some caller's mode is not `off`, on a supported runtime). */
  get detecting(): boolean {
    return this.hook !== undefined;
  }

  /**
   * `fn(...args)` under `scope`, for wrappers called once per test (wrap.ts): the storage's own
   * `run`, so a failing test's stack shows no frame of ours between the wrapper and the test.
   */
  get runIn(): ScopeStorage['run'] {
    return this.hook?.storage.run ?? runDirectly;
  }

  createContext(init?: ContextInit): LeakContext {
    return createContext(init);
  }

  /** Runs `fn` as part of `ctx`: everything it starts, directly or through callbacks, is attributed to it. */
  run<T>(ctx: LeakContext, fn: () => T, phase = TEST_PHASE): T {
    return this.runIn(scopeOf(ctx, phase), fn);
  }

  /** Runs `fn` as the runner's own work, attributed to no test (e.g. what a runner does after `done()`). */
  runOutside<T>(fn: () => T): T {
    return this.runIn(RUNNER_SCOPE, fn);
  }

  /**
   * Makes the rest of the current synchronous run, and everything it schedules, part of `ctx`. For
   * runner work there is no callback to wrap around (Jest evaluating a test file's module scope).
   * It sticks to whatever runs next in the same flow, so prefer `run` whenever there is a callback.
   */
  enter(ctx: LeakContext, phase: string): void {
    this.hook?.storage.enterWith(scopeOf(ctx, phase));
  }

  /**
   * Makes the rest of the current synchronous run, and everything it schedules, the runner's own
   * work, recorded for no test: for a file a runner runs with detection off while other files in the
   * same thread have it on (a Jest docblock). `allowLeaks()` does nothing there.
   */
  enterOutside(): void {
    this.hook?.storage.enterWith(RUNNER_SCOPE);
  }

  currentScope(): Scope | undefined {
    return this.hook?.storage.getStore();
  }

  currentContext(): LeakContext | undefined {
    return this.currentScope()?.ctx ?? undefined;
  }

  /**
   * Starts detection unless `options.mode` is `off`. Hook-wide settings: the most demanding options
   * any caller asked for win.
   */
  applySettings(options: ResolvedOptions): void {
    if (options.mode === 'off' || !this.support.supported) return;
    if (this.hook === undefined) {
      prewarmSingletons();
      this.hook = new ResourceHook();
      const hook = this.hook;
      nameOriginOfLateErrors({
        currentScope: () => this.currentScope(),
        entryById: (asyncId) => hook.entryById(asyncId),
      });
    }
    if (options.promises) this.hook.trackPromises();
    this.hook.settings.stackDepth = Math.max(this.hook.settings.stackDepth, options.stackDepth);
  }

  /**
   * What the check waits for: live, reportable resources not ignored by type. Stack ignores are only
   * applied here when the stack is already formatted: formatting one runs the runner's source-map
   * lookup, too slow for every socket that is one turn from closed. They are applied to what is left.
   */
  private unsettledEntries(ctx: LeakContext, options: ResolvedOptions): Entry[] {
    if (this.hook === undefined) return [];
    return this.hook
      .liveEntries(ctx)
      .filter(
        (entry) =>
          isReportable(entry, options) &&
          !isIgnoredByType(entry, options) &&
          !(hasOwnStackCleaned(entry) && isIgnoredByStack(entry, options)),
      );
  }

  /** Live, reportable, not ignored resources of `ctx` right now, without waiting. */
  pending(ctx: LeakContext, options: ResolvedOptions): LeakRecord[] {
    return toRecords(this.unsettledEntries(ctx, options), options);
  }

  /**
   * The verdict after a test: waits for what can finish soon (settle.ts), collects garbage if what
   * is left could go that way and is to be reported, then reports what can still run. Never takes
   * longer than CHECK_LIMIT_MS, never throws: an internal error is reported once and the test is
   * judged clean.
   */
  async check(ctx: LeakContext, options: ResolvedOptions, render: RenderOptions = {}): Promise<CheckResult> {
    if (options.mode === 'off') return result(ctx, 'off');
    if (!this.support.supported) {
      warnUnsupported(this.support.reason ?? 'unsupported runtime');
      return result(ctx, 'unsupported');
    }
    // Nothing was watched: no caller started detection with `applySettings`.
    if (this.hook === undefined) return result(ctx, 'off');
    ctx.ended = true;
    try {
      this.hook.sweepRecent();
      const unsettled = () => this.unsettledEntries(ctx, options);
      // Most tests leave nothing running: judged at once, without waiting or entering a scope.
      const leftNow = unsettled();
      if (leftNow.length === 0) return result(ctx, 'clean');
      return await this.runOutside(async () => {
        const waited = async () => {
          const left = await settle(unsettled, options, leftNow);
          // A forced GC costs milliseconds on a test runner's heap: only worth it when what is left
          // could be collected (promises, AsyncResources, ports). A socket or timer cannot.
          return options.gc && left.some(endsByGc) ? collectAndSettle(unsettled) : left;
        };
        // Whatever a test did to the event loop, the verdict comes in bounded time.
        let stoppedWaiting = false;
        const left = await withinLimit(waited(), CHECK_LIMIT_MS, () => {
          stoppedWaiting = true;
          return unsettled();
        });
        const reported = left.filter(
          (entry) => !isRunnerWork(entry, options) && !isIgnoredByStack(entry, options),
        );
        if (reported.length === 0) return result(ctx, 'clean');
        const now = realClock.now();
        const found = reported.map((entry) => toRecord(entry, options.stackDepth, now));
        const { leaks, allowed } = splitAllowed(found, ctx);
        if (leaks.length === 0) return result(ctx, 'allowed', NOTHING, allowed);
        const leaked = new Set(leaks);
        const leakedEntries = reported.filter((_entry, index) => leaked.has(found[index]!));
        const failures = await contain(leakedEntries, options.contain);
        // Said only when something could be taken out: a DNS request in flight cannot.
        const containable = leakedEntries.some((entry) => KINDS[entry.kind].close !== undefined);
        const error = new AsyncLeakError(subjectOf(ctx), ctx.title, leaks, {
          ...render,
          contained: containable ? options.contain : undefined,
          containFailures: failures,
          ...(stoppedWaiting
            ? {
                note: `loose-ends stopped waiting after ${CHECK_LIMIT_MS / 1000} s; this is what was still running then.`,
              }
            : {}),
        });
        return result(ctx, 'leaked', leaks, allowed, error, options.mode === 'fail');
      });
    } catch (error) {
      reportInternalError(error, `the check after "${ctx.title}"`);
      return result(ctx, 'clean');
    } finally {
      releaseChecked(ctx);
    }
  }
}

/** What is left, as reported: stack ignores applied (formatting stacks only now), then records. */
function toRecords(entries: readonly Entry[], options: ResolvedOptions): LeakRecord[] {
  const now = realClock.now();
  return entries
    .filter((entry) => !isRunnerWork(entry, options) && !isIgnoredByStack(entry, options))
    .map((entry) => toRecord(entry, options.stackDepth, now));
}

/**
 * Leaks to report and leaks the test allowed itself, in one pass. Allowances are matched against
 * full records (a predicate may read any field), so every record is built either way.
 */
function splitAllowed(
  found: LeakRecord[],
  ctx: LeakContext,
): { leaks: LeakRecord[]; allowed: readonly LeakRecord[] } {
  if (ctx.allowances.length === 0) return { leaks: found, allowed: NOTHING };
  const leaks: LeakRecord[] = [];
  const allowed: LeakRecord[] = [];
  for (const leak of found) {
    (ctx.allowances.some((allowance) => allowance.matches(leak)) ? allowed : leaks).push(leak);
  }
  return { leaks, allowed };
}

function result(
  ctx: LeakContext,
  status: CheckStatus,
  leaks: readonly LeakRecord[] = NOTHING,
  allowed: readonly LeakRecord[] = NOTHING,
  error?: AsyncLeakError,
  shouldFail = false,
): CheckResult {
  return {
    status,
    kind: ctx.kind,
    titlePath: ctx.titlePath,
    file: ctx.file,
    leaks,
    allowed,
    error,
    shouldFail,
  };
}

/** The longest a check may take, whatever a test did to the event loop. */
const CHECK_LIMIT_MS = 10_000;

const endsByGc = (entry: Entry): boolean => KINDS[entry.kind].endsByGc === true;

function isReportable(entry: Entry, options: ResolvedOptions): boolean {
  if (entry.parentOnly) return false;
  const { reported } = KINDS[entry.kind];
  if (reported !== 'always' && !options[reported]) return false;
  // A running child's stdio pipes are part of the child process leak, not leaks of their own.
  if (entry.kind === 'pipe' && entry.parent?.kind === 'child-process' && isAlive(entry.parent)) return false;
  return options.reportUnref || isRefed(entry) !== false;
}

/**
 * Config-level ignores by type, applied before waiting: an ignored timer must not keep the check
 * turning the event loop and collecting garbage after every test.
 */
function isIgnoredByType(entry: Entry, options: ResolvedOptions): boolean {
  return (
    options.ignoreTypes.size > 0 &&
    (options.ignoreTypes.has(entry.type) || options.ignoreTypes.has(kindOf(entry)))
  );
}

/**
 * Created by the runner's own code (`runnerFiles`), judged by file names without formatting the
 * stack. Where the entry's own frames do not decide (a promise created by a continuation), its
 * nearest ancestor's do: the same ancestor whose stack the report would borrow.
 */
function isRunnerWork(entry: Entry, options: ResolvedOptions): boolean {
  const { runnerFiles } = options;
  if (runnerFiles === undefined) return false;
  for (let current: Entry | undefined = entry; current !== undefined; current = current.parent) {
    const holder = stackHolderOf(current);
    const decided = holder === undefined ? undefined : isCreatedBy(holder, runnerFiles);
    if (decided !== undefined) return decided;
  }
  return false;
}

function isIgnoredByStack(entry: Entry, options: ResolvedOptions): boolean {
  if (options.ignoreStacks.length === 0) return false;
  const stack = ownStack(entry, options.stackDepth).frames.join('\n');
  return options.ignoreStacks.some((pattern) =>
    typeof pattern === 'string' ? stack.includes(pattern) : pattern.test(stack),
  );
}

/** The engine of this thread, created (with its one async_hooks hook) on first use. */
export function getEngine(): Engine {
  let engine = findEngine();
  if (engine === undefined) {
    engine = new Engine();
    registerEngine(engine);
  }
  return engine;
}
