import type * as Vitest from 'vitest';

/** The parts of Vitest's test API the setup file uses; any may be missing in an older Vitest. */
export interface VitestApi {
  readonly aroundEach: typeof Vitest.aroundEach | undefined;
  readonly aroundAll: typeof Vitest.aroundAll | undefined;
  readonly inject: ((key: string) => unknown) | undefined;
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
export type SuiteHooksLike = Partial<Record<'beforeEach' | 'afterEach', unknown[]>>;

/** Vitest's suite internals the setup file relies on, each undefined where this Vitest has none. */
export interface SuiteApi {
  readonly getCurrentSuite: (() => SuiteCollectorLike) | undefined;
  readonly getSuiteHooks: ((suite: SuiteLike) => SuiteHooksLike | undefined) | undefined;
}

type WithTestRunner = { TestRunner?: { getCurrentSuite?: unknown; getSuiteHooks?: unknown } };

/** Where Vitest's Node environments keep the `vitest` module they run with (for in-source tests). */
const VITEST_INDEX = '__vitest_index__';

/**
 * Vitest's `getCurrentSuite` and `getSuiteHooks` (statics of `TestRunner` in 4.1 and 5), each
 * undefined when this Vitest has none. Read off the module the worker already holds where it can,
 * so a suite with `globals: true` does not pay for importing `vitest` in every test file (see
 * `loadVitestApi`).
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

/** Vitest's per-worker state; `inject(key)` returns `providedContext[key]` from it. */
const WORKER_STATE = '__vitest_worker__';

/**
 * Vitest's test API, without importing `vitest` where `globals: true` already put it on
 * `globalThis`: in a suite whose test files import nothing from `vitest`, an import here would be
 * the only one, and each test file would pay for loading the module. `inject` is
 * not a global: its values are read where it reads them. If either is not there, the module is
 * imported as before.
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
