import asyncHooks from 'node:async_hooks';

const SAID_KEY = Symbol.for('loose-ends.said.v1');

/**
 * Writes `text` to stderr once per thread for each `key` (the text itself unless given): a note
 * about the run, such as what goes unchecked, not about one test. Kept where the engine is (see
 * registry.ts), since runners evaluate an adapter again for every test file and may load both of
 * its builds.
 */
export function sayOnce(text: string, key = text): void {
  const registry = asyncHooks as unknown as Record<symbol, Set<string> | undefined>;
  registry[SAID_KEY] ??= new Set();
  if (registry[SAID_KEY].has(key)) return;
  registry[SAID_KEY].add(key);
  process.stderr.write(`${text}\n`);
}
