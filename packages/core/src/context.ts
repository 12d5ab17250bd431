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
  readonly titlePath: readonly string[];
  readonly file: string | undefined;
  /** Resources created under this context that were alive when last looked at. */
  readonly backlog: Set<Entry>;
  /**
   * Every resource ever created under this context, kept only for tracked tasks. It holds each
   * resource strongly: entries hold theirs weakly, and a settled timer collected before `tree()` is
   * called could no longer be described or placed.
   */
  readonly history: HistoryItem[] | undefined;
  /** Opt-outs granted by the test itself (`allowLeaks`). */
  readonly allowances: Allowance[];
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

export function createContext(init: ContextInit = {}): LeakContext {
  const titlePath = init.titlePath ?? (init.title === undefined ? [] : [init.title]);
  return {
    id: nextContextId++,
    kind: init.kind ?? 'test',
    title: init.title ?? (titlePath.join(' > ') || 'anonymous'),
    titlePath,
    file: init.file,
    backlog: new Set(),
    history: init.keepHistory ? [] : undefined,
    allowances: [],
    ended: false,
  };
}
