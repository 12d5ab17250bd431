import { setImmediate } from 'node:timers';
import { requireLazily } from './require-lazily.js';

// From node:timers, not the global: fake timers (vi.useFakeTimers, jest.useFakeTimers) replace the
// global one, and a test that leaves them installed would otherwise hang the check forever.
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Waits for resources that are closing to finish closing. A socket needs 2 turns after `destroy()`,
 * a server closing with its last connection 3 (NOTES A6): loop until nothing is left, or the count
 * has stopped shrinking for four turns, or `maxTurns` is reached. Turns are cheap; giving up early
 * would report a socket that was one turn from closed. Returns what is left, as last listed.
 */
const UNCHANGED_TURNS_BEFORE_GIVING_UP = 4;

export async function settle<T>(
  listLeft: () => readonly T[],
  maxTurns: number,
  listedNow: readonly T[] = listLeft(),
): Promise<readonly T[]> {
  let left = listedNow;
  let unchangedTurns = 0;
  for (
    let turn = 0;
    left.length > 0 && turn < maxTurns && unchangedTurns < UNCHANGED_TURNS_BEFORE_GIVING_UP;
    turn++
  ) {
    await nextTurn();
    const now = listLeft();
    unchangedTurns = now.length < left.length ? 0 : unchangedTurns + 1;
    left = now;
  }
  return left;
}

let gcFunction: (() => void) | null | undefined;

/** A working `gc()` without `--expose-gc` on the command line (NOTES A4); `null` if the runtime refuses. */
function getGc(): (() => void) | null {
  if (gcFunction === undefined) {
    const existing = (globalThis as { gc?: () => void }).gc;
    if (typeof existing === 'function') {
      gcFunction = existing;
    } else {
      try {
        // Most checks never force a GC: node:v8 and node:vm load only when one does.
        const v8 = requireLazily('node:v8') as typeof import('node:v8');
        const vm = requireLazily('node:vm') as typeof import('node:vm');
        v8.setFlagsFromString('--expose-gc');
        gcFunction = vm.runInNewContext('gc') as () => void;
      } catch {
        gcFunction = null;
      }
    }
  }
  return gcFunction;
}

/** Collects garbage so unreachable work (dropped promises, GC-only resources) can go, then settles once more. */
export async function collectAndSettle<T>(listLeft: () => readonly T[]): Promise<readonly T[]> {
  const gc = getGc();
  if (gc === null) return listLeft();
  gc();
  await nextTurn();
  await nextTurn();
  return listLeft();
}
