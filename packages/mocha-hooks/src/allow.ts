import type { LeakFilter } from '@loose-ends/core';
import { allowLeaks as allowLeaksInCore, leakAllowed as leakAllowedInCore, sayOnce } from '@loose-ends/core';
import { getState } from './state.js';

/**
 * Importing this package from a spec file does not make Mocha load it as a plugin: without
 * `--require` (or `require` in `.mocharc`), no root hook runs and nothing is checked, so an opt-out
 * would look as if it did something. Our root `beforeAll` marks the run as checked.
 */
function hintIfNotLoaded(): void {
  if (getState().rootHooksRan) return;
  sayOnce(
    'loose-ends: allowLeaks() was called, but leak detection is off: @loose-ends/mocha-hooks was imported, ' +
      "not loaded by Mocha. Add it to .mocharc (require: ['@loose-ends/mocha-hooks']) or run mocha --require @loose-ends/mocha-hooks.",
  );
}

/** Core's `allowLeaks`, plus a hint when Mocha did not load this package as a plugin. */
export function allowLeaks(filter?: LeakFilter): void {
  try {
    allowLeaksInCore(filter);
  } catch (error) {
    // The stack starts at the user's call, not in this wrapper.
    if (error instanceof Error) Error.captureStackTrace?.(error, allowLeaks);
    throw error;
  }
  hintIfNotLoaded();
}

/** Core's `leakAllowed`, plus the same hint when the wrapped test runs. Keeps `done`-style arity. */
export function leakAllowed<F extends (this: any, ...args: any[]) => any>(fn: F, filter?: LeakFilter): F {
  const hinting = function (this: unknown, ...args: unknown[]) {
    hintIfNotLoaded();
    return fn.apply(this, args);
  };
  Object.defineProperty(hinting, 'length', { value: fn.length });
  Object.defineProperty(hinting, 'name', { value: fn.name });
  return leakAllowedInCore(hinting as F, filter);
}
