import asyncHooks from 'node:async_hooks';
import timers from 'node:timers';

/**
 * The timers the check schedules its own waits with, taken when core first loads in a thread,
 * before any test can install fake timers. `@sinonjs/fake-timers` (and through it
 * `jest.useFakeTimers()`, `vi.useFakeTimers()`, `sinon.useFakeTimers()`) replaces the globals and,
 * since version 15, the methods of the shared `node:timers` module too; a check that waited with a
 * faked `setImmediate` would never finish. Kept on the `node:async_hooks` module object (shared by
 * every realm of a thread, like the engine) so a copy of core loaded later, perhaps while fakes
 * are installed, still uses the first, real ones.
 */
export interface RealClock {
  readonly setImmediate: (callback: () => void) => unknown;
  readonly setTimeout: (callback: () => void, ms: number) => NodeJS.Timeout;
  readonly clearTimeout: (timer: NodeJS.Timeout) => void;
  readonly clearImmediate: (immediate: NodeJS.Immediate) => void;
  /** Milliseconds, monotonic. */
  readonly now: () => number;
}

const CLOCK_KEY = Symbol.for('loose-ends.realClock.v2');

function capture(): RealClock {
  const { performance } = globalThis;
  return Object.freeze({
    setImmediate: timers.setImmediate,
    setTimeout: timers.setTimeout,
    clearTimeout: timers.clearTimeout,
    clearImmediate: timers.clearImmediate,
    now: performance.now.bind(performance),
  });
}

const registry = asyncHooks as unknown as Record<symbol, RealClock | undefined>;
registry[CLOCK_KEY] ??= capture();

export const realClock: RealClock = registry[CLOCK_KEY];

/** One turn of the event loop, on the real clock. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    realClock.setImmediate(resolve);
  });
}

/** Waits `ms` on the real clock. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    realClock.setTimeout(resolve, ms);
  });
}

/**
 * libuv's "now", the clock timers are scheduled on: read off a real timer scheduled and cleared
 * at once (Node sets its `_idleStart` from it), since Node exposes no other way.
 */
export function libuvNow(): number {
  const probe = realClock.setTimeout(noop, 1 << 30);
  realClock.clearTimeout(probe);
  return (probe as unknown as { _idleStart: number })._idleStart;
}

function noop(): void {}

/** `work`, or `onLimit()` if it has not settled within `ms` on the real clock. */
export async function withinLimit<T>(work: Promise<T>, ms: number, onLimit: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<T>((resolve) => {
    timer = realClock.setTimeout(() => resolve(onLimit()), ms);
  });
  try {
    return await Promise.race([work, limit]);
  } finally {
    if (timer !== undefined) realClock.clearTimeout(timer);
  }
}
