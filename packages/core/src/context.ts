import type { Allowance } from './allow.js';
import type { Entry } from './hook.js';

/** What a context stands for: one test, the module/`beforeAll` scope of one file, or a tracked task. */
export type ContextKind = 'test' | 'file' | 'task';

/** Everything async work is attributed to. Created by an adapter (or the tracker), one per test. */
export interface LeakContext {
  readonly kind: ContextKind;
  /** Human title, e.g. `cache > refreshes every second`. */
  readonly title: string;
  /** Emptied once the context is checked: its `CheckResult` keeps it (see `releaseChecked`). */
  titlePath: readonly string[];
  readonly file: string | undefined;
  /**
   * Resources created under this context that were alive when last looked at: made for the first,
   * dropped when a check finds it empty. Runners keep what a test created (a promise, a listener)
   * long after its verdict, and through its scope the context, so an ended context keeps little.
   */
  backlog: Set<Entry> | undefined;
  /** Opt-outs granted by the test itself (`allowLeaks`); replaced, never changed in place. */
  allowances: readonly Allowance[];
  /** Set when its check starts: what it left running is from then on someone else's surprise. */
  ended: boolean;
}

export interface HistoryItem {
  readonly entry: Entry;
  readonly resource: object;
}

/**
 * The AsyncLocalStorage store. `ctx === null` marks work the runner does on its own behalf
 * (for example Mocha continuing after a test called `done`), which the hook must not attribute.
 */
export interface Scope {
  readonly ctx: LeakContext | null;
  /** Where in the test the code runs: `test`, `beforeEach hook`, `module scope`… */
  readonly phase: string;
}

/** The phase of a file's module scope, `describe` bodies included: no test is running there. */
export const MODULE_SCOPE = 'module scope';

export const RUNNER_SCOPE: Scope = Object.freeze({ ctx: null, phase: 'runner' });

export interface ContextInit {
  kind?: ContextKind;
  title?: string;
  titlePath?: readonly string[];
  file?: string;
}

/** The phase of a test's own body, the phase `Engine.run` assumes. */
export const TEST_PHASE = 'test';

const NO_ALLOWANCES: readonly Allowance[] = Object.freeze([]);
const NO_TITLES: readonly string[] = Object.freeze([]);

/**
 * A context is also the scope of its own test phase (`scopeOf`): runners keep what a test created
 * (Vitest, its run's promise) long after the verdict, and with it the scope that promise carries.
 * The context standing in for that scope, a test costs one object there, not two.
 */
class Context implements LeakContext, Scope {
  backlog: Set<Entry> | undefined = undefined;
  allowances: readonly Allowance[] = NO_ALLOWANCES;
  ended = false;

  constructor(
    readonly kind: ContextKind,
    readonly title: string,
    public titlePath: readonly string[],
    readonly file: string | undefined,
  ) {}

  get ctx(): LeakContext {
    return this;
  }

  get phase(): string {
    return TEST_PHASE;
  }
}

export function createContext(init: ContextInit = {}): LeakContext {
  const titlePath = init.titlePath ?? (init.title === undefined ? [] : [init.title]);
  const kind = init.kind ?? 'test';
  const ctx = new Context(kind, init.title ?? (titlePath.join(' > ') || 'anonymous'), titlePath, init.file);
  if (kind === 'task') histories.set(ctx, []);
  return ctx;
}

/**
 * Every resource ever created under a tracked task, so the tree of what it started can be printed.
 * It holds each resource strongly: entries hold theirs weakly, and a settled timer collected before
 * `tree()` is called could no longer be described or placed. Kept apart from the context, which
 * tests have too.
 */
const histories = new WeakMap<LeakContext, HistoryItem[]>();

/** A tracked task's history (`undefined` for any other kind). */
export function historyOf(ctx: LeakContext): HistoryItem[] | undefined {
  return histories.get(ctx);
}

/** The scope of code that runs as part of `ctx`, in `phase`. */
export function scopeOf(ctx: LeakContext, phase: string): Scope {
  return phase === TEST_PHASE && ctx instanceof Context ? ctx : { ctx, phase };
}

/**
 * After its check, a context keeps only what a late error or log needs to name it (kind, title,
 * file): runners keep what a test created to the end of the file or the run, and through the scope
 * it carries, the test's context.
 */
export function releaseChecked(ctx: LeakContext): void {
  ctx.titlePath = NO_TITLES;
  ctx.allowances = NO_ALLOWANCES;
}
