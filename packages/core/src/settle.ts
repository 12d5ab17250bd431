import type { Entry } from './hook.js';
import { KINDS } from './kinds.js';
import { timerDueAt } from './node-handles.js';
import { libuvNow, nextTurn, realClock, sleep } from './real-clock.js';
import { requireLazily } from './require-lazily.js';

export interface SettleLimits {
  /** Event-loop turns to wait at most for closing resources to finish closing. */
  readonly maxTurns: number;
  /** A timer due within this many milliseconds, or a request in flight, is waited for. */
  readonly graceMs: number;
}

/**
 * Turns in a row in which nothing finished before the check stops waiting for resources that are
 * closing: a socket needs 2 turns after `destroy()`, a server closing with its last connection 3
 * (docs/internals.md). Turns cost microseconds; giving up early would report a socket one turn
 * from closed.
 */
const UNCHANGED_TURNS_BEFORE_GIVING_UP = 4;

/**
 * Waits for what can finish soon, and for nothing else: resources that are closing (a few
 * event-loop turns), timers due within the grace period (until they have fired, however slow the
 * machine), requests in flight and immediates (while the grace period lasts). A leaked interval or a listening
 * server is left at once. Returns what is left, as last listed.
 */
export async function settle(
  listLeft: () => readonly Entry[],
  limits: SettleLimits,
  listedNow: readonly Entry[] = listLeft(),
): Promise<readonly Entry[]> {
  const graceEnd = realClock.now() + limits.graceMs;
  let left = listedNow;
  let turns = 0;
  let unchangedTurns = 0;
  while (left.length > 0) {
    const wait = msUntilSomethingFinishes(left, graceEnd);
    if (wait !== undefined) {
      await (wait > 0 ? sleep(wait) : nextTurn());
    } else if (turns < limits.maxTurns && unchangedTurns < UNCHANGED_TURNS_BEFORE_GIVING_UP) {
      await nextTurn();
      turns++;
    } else {
      break;
    }
    const now = listLeft();
    unchangedTurns = now.length < left.length ? 0 : unchangedTurns + 1;
    left = now;
  }
  return left;
}

/**
 * How long until one of `left` may finish by itself within the grace period: 0 for one already
 * due, the delay of the soonest timer due by `graceEnd`, a short poll for a request in flight.
 * `undefined` when none can.
 */
function msUntilSomethingFinishes(left: readonly Entry[], graceEnd: number): number | undefined {
  const remaining = graceEnd - realClock.now();
  if (remaining <= 0) return undefined;
  let soonest: number | undefined;
  let uvNow: number | undefined;
  for (const entry of left) {
    let wait: number | undefined;
    if (KINDS[entry.kind].finishesByItself) {
      wait = entry.kind === 'immediate' ? 0 : REQUEST_POLL_MS;
    } else if (entry.kind === 'timeout') {
      const timer = entry.resource.deref();
      const dueAt = timer === undefined ? undefined : timerDueAt(timer);
      if (dueAt !== undefined) {
        uvNow ??= libuvNow();
        // One more millisecond: a timer due at the same time as ours may be run after it.
        wait = Math.max(0, dueAt - uvNow + 1);
      }
    }
    if (wait !== undefined && wait <= remaining && (soonest === undefined || wait < soonest)) soonest = wait;
  }
  return soonest;
}

const REQUEST_POLL_MS = 1;

let gcFunction: (() => void) | null | undefined;

/** A working `gc()` without `--expose-gc` on the command line (docs/internals.md); `null` if the runtime refuses. */
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
      } catch (error) {
        gcFunction = null;
        process.stderr.write(
          `[loose-ends] Could not force a garbage collection (${String(error)}): a dropped promise, port or AsyncResource may be reported as left running. Run Node with --expose-gc, or set the option gc: false.\n`,
        );
      }
    }
  }
  return gcFunction;
}

/**
 * Collects garbage so what only GC ends (dropped promises, ports, AsyncResources) can go, then
 * settles once more. Called only when such a kind is left and is to be reported.
 */
export async function collectAndSettle(listLeft: () => readonly Entry[]): Promise<readonly Entry[]> {
  const gc = getGc();
  if (gc === null) return listLeft();
  // Reading a WeakRef keeps its target alive until the current job ends: collect in a fresh turn.
  await nextTurn();
  gc();
  await nextTurn();
  await nextTurn();
  return listLeft();
}
