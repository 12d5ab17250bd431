import type { Allowance } from './allow.js';
import type { Entry } from './hook.js';

/** What a context stands for: one test, the module/`beforeAll` scope of one file, or a tracked task. */
export type ContextKind = 'test' | 'file' | 'task';

/** Everything async work is attributed to. Created by an adapter (or the tracker), one per test. */
export interface LeakContext {
  readonly id: number;
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
  /**
   * Every resource ever created under this context, kept only for tracked tasks. It holds each
   * resource strongly: entries hold theirs weakly, and a settled timer collected before `tree()` is
   * called could no longer be described or placed.
   */
  readonly history: HistoryItem[] | undefined;
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
  /** Keep every resource, settled or not, so the tree of what it started can be printed. */
  keepHistory?: boolean;
}

let nextContextId = 1;

const NO_ALLOWANCES: readonly Allowance[] = Object.freeze([]);
const NO_TITLES: readonly string[] = Object.freeze([]);

export function createContext(init: ContextInit = {}): LeakContext {
  const titlePath = init.titlePath ?? (init.title === undefined ? [] : [init.title]);
  return {
    id: nextContextId++,
    kind: init.kind ?? 'test',
    title: init.title ?? (titlePath.join(' > ') || 'anonymous'),
    titlePath,
    file: init.file,
    backlog: undefined,
    history: init.keepHistory ? [] : undefined,
    allowances: NO_ALLOWANCES,
    ended: false,
  };
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
