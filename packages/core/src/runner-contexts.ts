import type { LeakFilter } from './allow.js';
import { allowLeaksIn } from './allow.js';
import type { LeakContext } from './context.js';
import { createContext } from './context.js';
import { displayPath } from './paths.js';

/**
 * The context of one test file's module scope and before/after-all hooks, titled by its path
 * relative to `root` (the working directory unless the runner has a root of its own).
 */
export function createFileContext(file: string, root?: string): LeakContext {
  return createContext({ kind: 'file', title: displayPath(file, root), file });
}

/**
 * The context of one attempt of one test. `allow` is the runner's own opt-out on the test's
 * definition (a tag, meta, a mark in the title): `true` allows every leak, a filter only those.
 */
export function createTestContext(
  titlePath: readonly string[],
  file: string | undefined,
  allow?: boolean | LeakFilter,
): LeakContext {
  const ctx = createContext({ kind: 'test', titlePath, file });
  if (allow !== undefined && allow !== false) allowLeaksIn(ctx, allow === true ? undefined : allow);
  return ctx;
}
