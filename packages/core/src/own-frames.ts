import { inHiddenDirectory } from './stack.js';

/**
 * Our wrapper sits between the runner and each test or hook function, so an error thrown while it
 * is on the stack (a synchronous throw, a rejection before the first `await`, an error passed to
 * `done`) carries its frames and, below them, the `AsyncLocalStorage.run` it calls. Runners print
 * that stack under the test's failure, where our frames say nothing to the user and may name files
 * the packages do not ship (source maps point at `src/`).
 */
const FRAME = /^\s+at /;
const STORAGE_RUN = 'AsyncLocalStorage.run (node:';

/**
 * Drops loose-ends' frames from the stack of an error a test or hook failed with, and from its
 * causes. For the failure path only: reading `stack` formats it. Never throws.
 */
export function dropOwnFrames(error: unknown): void {
  const seen = new Set<unknown>();
  for (let current = error; isObject(current) && !seen.has(current); current = current.cause) {
    seen.add(current);
    try {
      const stack = current.stack;
      if (typeof stack !== 'string') continue;
      const lines = stack.split('\n');
      const kept = lines.filter((line, index) => !isOwnFrame(line, lines[index + 1]));
      if (kept.length !== lines.length) current.stack = kept.join('\n');
    } catch {
      // A frozen error or a throwing `stack` getter: its stack stays as it is.
    }
  }
}

function isOwnFrame(line: string, next: string | undefined): boolean {
  if (!FRAME.test(line)) return false;
  if (inHiddenDirectory(line)) return true;
  // Node's own frame for the storage run our wrapper calls: right above the wrapper's frame.
  return line.includes(STORAGE_RUN) && next !== undefined && FRAME.test(next) && inHiddenDirectory(next);
}

function isObject(value: unknown): value is { stack?: unknown; cause?: unknown } {
  return typeof value === 'object' && value !== null;
}

/** Restarts a misuse error's stack at the user's call of `api`, the line they have to change. */
export function thrownAtCallOf(api: (...args: never[]) => unknown, error: unknown): unknown {
  if (error instanceof Error) Error.captureStackTrace(error, api);
  return error;
}
