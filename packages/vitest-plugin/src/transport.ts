import type { LooseEndsOptions } from '@loose-ends/core';

/** The key under which the plugin hands options to the workers (`test.provide`, read with `inject`). */
export const PROVIDE_KEY = 'looseEnds';

/** Set by the plugin, so workers know the main process already reported what it had to. */
export const PLUGIN_KEY = 'looseEnds:plugin';

/** What the main process (plugin) and a worker (setup file) say when this Vitest has no aroundEach. */
export function detectionOffMessage(reason: string): string {
  return (
    `loose-ends: Leak detection is OFF: ${reason} (added in Vitest 4.1), which loose-ends needs to run each test ` +
    'and its hooks under the test. Tests will run, but leftover async work is not checked. ' +
    'Upgrade with `npm install -D vitest@^4.1` (or newer) to turn it on.'
  );
}

/** The tag the plugin declares, so `strictTags` accepts `test(name, { tags: ['allow-leaks'] }, fn)`. */
export const ALLOW_LEAKS_TAG = 'allow-leaks';

interface EncodedRegExp {
  readonly $regexp: string;
  readonly flags: string;
}

/**
 * `test.provide` values cross a process or thread boundary, where a RegExp does not survive every
 * serialiser Vitest uses: `ignoreStacks` patterns travel as `{ $regexp, flags }`.
 */
export function encodeOptions(options: LooseEndsOptions): unknown {
  if (options.ignoreStacks === undefined || !Array.isArray(options.ignoreStacks)) return { ...options };
  return {
    ...options,
    ignoreStacks: options.ignoreStacks.map((pattern) =>
      pattern instanceof RegExp
        ? ({ $regexp: pattern.source, flags: pattern.flags } satisfies EncodedRegExp)
        : pattern,
    ),
  };
}

export function decodeOptions(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const options = value as { ignoreStacks?: unknown };
  if (!Array.isArray(options.ignoreStacks)) return value;
  return {
    ...options,
    ignoreStacks: options.ignoreStacks.map((pattern: unknown) =>
      isEncodedRegExp(pattern) ? new RegExp(pattern.$regexp, pattern.flags) : pattern,
    ),
  };
}

function isEncodedRegExp(value: unknown): value is EncodedRegExp {
  return typeof value === 'object' && value !== null && typeof (value as EncodedRegExp).$regexp === 'string';
}

/**
 * `globalThis[Symbol.for(FILE_SCOPE_KEY)](file)`: the setup module's entry into a test file's
 * context, called by the line the plugin prepends to each test file.
 */
export const FILE_SCOPE_KEY = 'loose-ends.vitest.enterFileScope';
