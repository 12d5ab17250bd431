import { AsyncLocalStorage, executionAsyncResource } from 'node:async_hooks';
import type { Scope } from './context.js';

/** Which test is running: AsyncLocalStorage's surface, plus whether our init hook must carry it. */
export interface ScopeStorage {
  /**
   * AsyncLocalStorage's `run`: `fn(...args)` under `scope`. Where AsyncLocalStorage is native it is
   * its own method, bound, so a test's stack shows no frame of ours between a wrapper and the test.
   */
  run<A extends unknown[], T>(scope: Scope, fn: (...args: A) => T, ...args: A): T;
  getStore(): Scope | undefined;
  enterWith(scope: Scope): void;
  /**
   * True when the scope lives on async resources and the init hook must copy it to each new one.
   * The hook then reads the current scope with `currentScopeOf` instead of `getStore()`.
   */
  readonly propagatedByHook: boolean;
}

type Carrier = Record<symbol, Scope | undefined>;

/** Where the scope is kept on an async resource when the hook carries it (Node < 24). */
export const kScope: unique symbol = Symbol('loose-ends.scope');

/**
 * Node >= 24 builds AsyncLocalStorage on AsyncContextFrame: propagation is free, use it as is.
 * Before that, AsyncLocalStorage is itself an async_hooks init hook that writes the store onto every
 * new resource; next to ours, that second hook costs a promise-heavy loop 1.25-1.35x the cost of an
 * empty hook (bench/core.mjs). There the same propagation is done inside our one init hook, with
 * the same semantics: the scope sits on the execution resource and is copied to each resource it
 * creates.
 */
export function createScopeStorage(): ScopeStorage {
  return usesAsyncContextFrame() ? nativeStorage() : resourceStorage();
}

function nativeStorage(): ScopeStorage {
  const als = new AsyncLocalStorage<Scope>();
  return {
    run: als.run.bind(als) as ScopeStorage['run'],
    getStore: () => als.getStore(),
    enterWith: (scope) => als.enterWith(scope),
    propagatedByHook: false,
  };
}

function resourceStorage(): ScopeStorage {
  const current = () => executionAsyncResource() as Carrier;
  return {
    run<A extends unknown[], T>(scope: Scope, fn: (...args: A) => T, ...args: A): T {
      const resource = current();
      const previous = resource[kScope];
      resource[kScope] = scope;
      try {
        return fn(...args);
      } finally {
        resource[kScope] = previous;
      }
    },
    getStore: () => current()[kScope],
    enterWith(scope) {
      current()[kScope] = scope;
    },
    propagatedByHook: true,
  };
}

/** The hook-carried scope of the code running now, copied onto `resource`. Hot path: no allocation. */
export function carryScope(resource: object): Scope | undefined {
  const scope = (executionAsyncResource() as Carrier)[kScope];
  if (scope !== undefined) (resource as Carrier)[kScope] = scope;
  return scope;
}

/**
 * Hook-based AsyncLocalStorage keeps its store on the execution resource under a private symbol
 * (the store itself on Node 20/22, a per-resource context map on Node 24 with
 * `--no-async-context-frame`); AsyncContextFrame leaves the resource alone. Probed once, so the
 * flags that switch implementations are honoured.
 */
function usesAsyncContextFrame(): boolean {
  const snapshot = () => {
    const resource = executionAsyncResource() as Record<symbol, unknown>;
    return new Map(Object.getOwnPropertySymbols(resource).map((symbol) => [symbol, resource[symbol]]));
  };
  const probe = new AsyncLocalStorage<object>();
  const before = snapshot();
  const during = probe.run({}, snapshot);
  probe.disable();
  return [...during].every(([symbol, value]) => before.get(symbol) === value) && during.size === before.size;
}
