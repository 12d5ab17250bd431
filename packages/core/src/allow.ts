import type { LeakContext } from './context.js';
import { MODULE_SCOPE } from './context.js';
import type { KindOrTypeName } from './kinds.js';
import { thrownAtCallOf } from './own-frames.js';
import type { LeakRecord } from './record.js';
import { findEngine } from './registry.js';
import { ACCEPTED_TYPE_NAMES, rejectTypeName } from './type-names.js';

/**
 * Which leaks a test allows itself: all of them (no argument), some kinds or async_hooks types
 * (`'interval'`, `['server', 'socket']`, `'TCPWRAP'`), or those a predicate accepts.
 */
export type LeakFilter = KindOrTypeName | readonly KindOrTypeName[] | ((leak: LeakRecord) => boolean);

export interface Allowance {
  readonly matches: (leak: LeakRecord) => boolean;
}

/** `caller` names the function the user called, for the error. */
export function toAllowance(filter?: LeakFilter, caller = 'allowLeaks(filter)'): Allowance {
  if (filter === undefined) return { matches: () => true };
  if (typeof filter === 'function') return { matches: filter };
  const names = new Set<string>(
    typeof filter === 'string' ? [filter] : Array.isArray(filter) ? (filter as readonly string[]) : [],
  );
  const accepted =
    `${caller} takes nothing (allow all), one of the ${ACCEPTED_TYPE_NAMES}, ` +
    'an array of them, or a function (leak) => boolean.';
  if (names.size === 0 || ![...names].every((name) => typeof name === 'string' && name.length > 0)) {
    throw new TypeError(`loose-ends: ${accepted}`);
  }
  for (const name of names) {
    // A test may run where asyncResources is on: a name near no kind may be the user's own type.
    const problem = rejectTypeName(name, true);
    if (problem !== undefined) throw new TypeError(`loose-ends: ${problem} ${accepted}`);
  }
  return { matches: (leak) => names.has(leak.kind) || names.has(leak.type) };
}

/** Where to call `allowLeaks()`, said by every error about calling it in the wrong place. */
const CALL_IT_IN_A_TEST =
  "Call it inside a test body or a beforeEach hook, or wrap the test function: test('…', leakAllowed(fn)).";

/** The same words in every runner, wherever no test is running: module scope, a `describe` body… */
const NO_TEST_HERE = 'at module scope, in a describe body, or in code no test started';

function calledOutsideATest(where = NO_TEST_HERE): Error {
  return new Error(
    `loose-ends: allowLeaks() was called where no test is running (${where}). ${CALL_IT_IN_A_TEST}`,
  );
}

/**
 * Called inside a test (or one of its hooks): leaks this test leaves behind (matching `filter`) are
 * not reported. Works from any realm the runner evaluates tests in. Does nothing where an adapter
 * is loaded but detection is switched off (mode `off`); throws where no adapter is loaded at all,
 * or where no test is running (module scope, a `describe` body).
 */
export function allowLeaks(filter?: LeakFilter): void {
  try {
    checkedAllowLeaks(filter);
  } catch (error) {
    throw thrownAtCallOf(allowLeaks, error);
  }
}

function checkedAllowLeaks(filter?: LeakFilter): void {
  toAllowance(filter); // a bad filter throws even where detection is not installed
  const engine = findEngine();
  if (engine === undefined) {
    throw calledOutsideATest(
      'no loose-ends adapter is loaded in this process: in a test run, set up the one for your runner as its README says',
    );
  }
  if (!engine.detecting) return;
  const scope = engine.currentScope();
  // The runner's own work, or a file run with detection off (`enterOutside`): nothing to allow.
  if (scope?.ctx === null) return;
  if (scope === undefined || scope.phase === MODULE_SCOPE) throw calledOutsideATest();
  allowLeaksIn(scope.ctx, filter);
}

/** For adapters: lets `ctx` leave matching work running (a runner's own opt-out: tag, meta, title). */
export function allowLeaksIn(ctx: LeakContext, filter?: LeakFilter): void {
  ctx.allowances = [...ctx.allowances, toAllowance(filter)];
}

/**
 * Declarative form for any runner: `test('polls forever', leakAllowed(async () => { … }))`.
 * Keeps the function's arity, so `done`-style tests stay `done`-style.
 */
export function leakAllowed<F extends (this: any, ...args: any[]) => any>(fn: F, filter?: LeakFilter): F {
  try {
    toAllowance(filter, 'leakAllowed(fn, filter)');
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
