import asyncHooks from 'node:async_hooks';
import type { Engine } from './engine.js';

/**
 * One engine (one async_hooks hook) per thread, however many copies of core get loaded: Jest and
 * Vitest evaluate modules per test file and in vm realms, each with its own `globalThis`. Node's
 * built-in `async_hooks` module object is the one thing every realm of a thread shares, so the
 * engine lives on it. Worker threads have their own module object, hence their own engine.
 */
const ENGINE_KEY = Symbol.for('loose-ends.engine.v1');

type Registry = Record<symbol, Engine | undefined>;

export function findEngine(): Engine | undefined {
  return (asyncHooks as unknown as Registry)[ENGINE_KEY];
}

export function registerEngine(engine: Engine): void {
  (asyncHooks as unknown as Registry)[ENGINE_KEY] = engine;
}

const HIDDEN_FRAMES_KEY = Symbol.for('loose-ends.hiddenFrameDirectories.v1');

/**
 * Directories whose frames reports drop. Shared per thread like the engine: an adapter may load
 * another copy of core (ESM vs CJS build) than the one that created the engine and formats reports.
 */
export function hiddenFrameDirectories(): Set<string> {
  const registry = asyncHooks as unknown as Record<symbol, Set<string> | undefined>;
  registry[HIDDEN_FRAMES_KEY] ??= new Set();
  return registry[HIDDEN_FRAMES_KEY];
}
