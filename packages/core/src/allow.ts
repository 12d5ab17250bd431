import type { LeakContext } from './context.js';
import { thrownAtCallOf } from './own-frames.js';
import type { LeakRecord } from './record.js';
import { findEngine } from './registry.js';

/**
 * Which leaks a test allows itself: all of them (no argument), some kinds or async_hooks types
 * (`'interval'`, `['server', 'socket']`, `'TCPWRAP'`), or those a predicate accepts.
 */
export type LeakFilter = string | readonly string[] | ((leak: LeakRecord) => boolean);

export interface Allowance {
  readonly matches: (leak: LeakRecord) => boolean;
}

export function toAllowance(filter?: LeakFilter): Allowance {
  if (filter === undefined) return { matches: () => true };
  if (typeof filter === 'function') return { matches: filter };
  const names = new Set(typeof filter === 'string' ? [filter] : Array.isArray(filter) ? filter : []);
  if (names.size === 0 || ![...names].every((name) => typeof name === 'string' && name.length > 0)) {
    throw new TypeError(
      'loose-ends: allowLeaks(filter) takes nothing (allow all), a resource kind or type name, ' +
        'an array of them, or a function (leak) => boolean.',
    );
  }
  return { matches: (leak) => names.has(leak.kind) || names.has(leak.type) };
}

/**
 * Called inside a test: leaks this test leaves behind (matching `filter`) are not reported.
 * Works from any realm the runner evaluates tests in. Does nothing when detection is not installed
 * or is switched off (mode `off`).
 */
export function allowLeaks(filter?: LeakFilter): void {
  try {
    toAllowance(filter); // a bad filter throws even where detection is not installed
  } catch (error) {
    throw thrownAtCallOf(allowLeaks, error);
  }
  const engine = findEngine();
  if (engine === undefined || !engine.detecting) return;
  const scope = engine.currentScope();
  // The runner's own work, or a file run with detection off (`enterOutside`): nothing to allow.
  if (scope?.ctx === null) return;
  const ctx = scope?.ctx;
  if (ctx === undefined) {
    throw thrownAtCallOf(
      allowLeaks,
      new Error(
        'loose-ends: allowLeaks() was called outside a test. Call it inside the test body (or a beforeEach hook), ' +
          'or wrap the test function with leakAllowed(fn).',
      ),
    );
  }
  allowLeaksIn(ctx, filter);
}

/** For adapters: lets `ctx` leave matching work running (a runner's own opt-out: tag, meta, title). */
export function allowLeaksIn(ctx: LeakContext, filter?: LeakFilter): void {
  ctx.allowances.push(toAllowance(filter));
}

/**
 * Declarative form for any runner: `test('polls forever', leakAllowed(async () => { … }))`.
 * Keeps the function's arity, so `done`-style tests stay `done`-style.
 */
export function leakAllowed<F extends (this: any, ...args: any[]) => any>(fn: F, filter?: LeakFilter): F {
  try {
    toAllowance(filter);
  } catch (error) {
    throw thrownAtCallOf(leakAllowed, error);
  }
  const wrapper = function (this: unknown, ...args: unknown[]) {
    allowLeaks(filter);
    return fn.apply(this, args);
  };
  Object.defineProperty(wrapper, 'length', { value: fn.length });
  Object.defineProperty(wrapper, 'name', { value: fn.name });
  return wrapper as unknown as F;
}
