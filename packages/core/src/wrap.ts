import type { LeakContext } from './context.js';
import { scopeOf, TEST_PHASE } from './context.js';
import type { Engine } from './engine.js';

const kOriginal = Symbol.for('loose-ends.originalFunction');

type AnyFunction = (this: any, ...args: any[]) => unknown;

export function isBound(fn: unknown): boolean {
  return typeof fn === 'function' && kOriginal in fn;
}

/** The user's function behind a wrapper made by `bindToContext`, or `fn` itself. */
export function unwrap<F extends AnyFunction>(fn: F): F {
  return ((fn as unknown as Record<symbol, F>)[kOriginal] ?? fn) as F;
}

/**
 * Wraps a test or hook function so it runs under `ctx`, keeping `this` and arity: runners decide
 * `done`-style from `fn.length`. When the runner hands a `done` callback, calling it runs outside
 * any test, so what the runner does next (its next hook's timeout timer…) is not blamed on the test.
 * Generator functions are returned as they are: runners detect them by type, which a wrapper hides.
 *
 * Runs once per test and hook, so it avoids `Object.defineProperty` where it can (it is slow next to
 * plain assignment): the wrapper is written with the arity of the usual test functions (none, or
 * `done`), and the rest is plain assignment.
 */
export function bindToContext<F extends AnyFunction>(
  engine: Engine,
  ctx: LeakContext,
  fn: F,
  phase = TEST_PHASE,
): F {
  if (isGeneratorFunction(fn)) return fn;
  const original = unwrap(fn);
  const wrapper =
    original.length === 0
      ? withoutDone(engine, ctx, original, phase)
      : withDone(engine, ctx, original, phase);
  return standingFor(wrapper, original) as F;
}

/**
 * Wraps a hook that the runner calls inside a test's own context (Vitest runs a test's each-hooks
 * within its `aroundEach`), so what the hook starts is said to come from `phase`: the context is
 * the one current at the call. Outside any test the hook runs as it is.
 */
export function bindToPhase<F extends AnyFunction>(engine: Engine, fn: F, phase: string): F {
  if (isGeneratorFunction(fn) || isBound(fn)) return fn;
  const { runIn } = engine;
  const wrapper = function (this: unknown, ...args: unknown[]) {
    const ctx = engine.currentScope()?.ctx;
    return ctx === null || ctx === undefined
      ? Reflect.apply(fn, this, args)
      : runIn(scopeOf(ctx, phase), Reflect.apply, fn, this, args);
  };
  return standingFor(wrapper, fn) as F;
}

/**
 * Gives a wrapper what runners read off the function it stands for: its arity (`done` style), its
 * name and its source (Vitest parses a function's parameters for fixtures).
 */
function standingFor(wrapper: AnyFunction, original: AnyFunction): AnyFunction {
  if (wrapper.length !== original.length)
    Object.defineProperty(wrapper, 'length', { value: original.length });
  // The wrapper, returned straight from its factory, has the empty name of an anonymous test function.
  if (original.name !== '') Object.defineProperty(wrapper, 'name', { value: original.name });
  (wrapper as unknown as Record<symbol, AnyFunction>)[kOriginal] = original;
  wrapper.toString = originalSource;
  return wrapper;
}

// Both call the storage's `run` with `Reflect.apply`: neither shows up as a frame, so between a test
// function and the runner's frames a stack shows only the wrapper (and Node's AsyncLocalStorage.run).
function withoutDone(engine: Engine, ctx: LeakContext, original: AnyFunction, phase: string): AnyFunction {
  const scope = scopeOf(ctx, phase);
  const { runIn } = engine;
  return function (this: unknown, ...args: unknown[]) {
    return runIn(scope, Reflect.apply, original, this, args);
  };
}

function withDone(engine: Engine, ctx: LeakContext, original: AnyFunction, phase: string): AnyFunction {
  const scope = scopeOf(ctx, phase);
  const { runIn } = engine;
  return function (this: unknown, done: unknown, ...rest: unknown[]) {
    const args = [typeof done === 'function' ? outsideDone(engine, done as AnyFunction) : done, ...rest];
    return runIn(scope, Reflect.apply, original, this, args);
  };
}

function originalSource(this: AnyFunction): string {
  return unwrap(this).toString();
}

function outsideDone(engine: Engine, done: AnyFunction): AnyFunction {
  const wrapped = function (this: unknown, ...args: unknown[]) {
    return engine.runOutside(() => done.apply(this, args));
  };
  // Jest's `done.fail(error)` and any other helper the runner hangs on `done`.
  for (const key of Object.keys(done)) {
    const value = (done as unknown as Record<string, unknown>)[key];
    (wrapped as unknown as Record<string, unknown>)[key] =
      typeof value === 'function'
        ? (...args: unknown[]) => engine.runOutside(() => (value as AnyFunction).apply(done, args))
        : value;
  }
  return wrapped;
}

function isGeneratorFunction(fn: unknown): boolean {
  const name = (fn as { constructor?: { name?: string } })?.constructor?.name;
  return name === 'GeneratorFunction' || name === 'AsyncGeneratorFunction';
}
