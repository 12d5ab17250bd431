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
 * How long work that finishes by itself (immediates, requests in flight) is waited for while it
 * keeps making progress, in grace periods: a library's work queue processed one immediate at a
 * time (webpack's AsyncQueue) can run for seconds on a busy machine, and taking it out mid-way
 * stalls it. Only a chain that never ends, or one that stops making progress, is reported.
 */
const BUSY_GRACE_PERIODS = 50;

/**
 * Waits for what can finish soon, and for nothing else: resources that are closing (a few
 * event-loop turns), timers due within the grace period (until they have fired, however slow the
 * machine), and requests in flight and immediates for as long as one of them finishes at least
 * once per grace period (up to BUSY_GRACE_PERIODS of them). A leaked interval or a listening server
 * is left at once. Returns what is left, as last listed.
 */
export async function settle(
  listLeft: () => readonly Entry[],
  limits: SettleLimits,
  listedNow: readonly Entry[] = listLeft(),
): Promise<readonly Entry[]> {
  const start = realClock.now();
  const graceEnd = start + limits.graceMs;
  const busyLimit = start + limits.graceMs * BUSY_GRACE_PERIODS;
  let busyEnd = graceEnd;
  let left = listedNow;
  let turns = 0;
  let unchangedTurns = 0;
  while (left.length > 0) {
    const wait = msUntilSomethingFinishes(left, graceEnd, busyEnd);
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
    if (someBusyWorkFinished(left, now)) {
      busyEnd = Math.min(Math.max(busyEnd, realClock.now() + limits.graceMs), busyLimit);
    }
    left = now;
  }
  return left;
}

/** Whether an immediate or request listed before is no longer listed: its chain made progress. */
function someBusyWorkFinished(before: readonly Entry[], after: readonly Entry[]): boolean {
  const still = new Set(after);
  return before.some((entry) => KINDS[entry.kind].finishesByItself === true && !still.has(entry));
}

/**
 * How long until one of `left` may finish by itself: 0 for an immediate or a timer already due, the
 * delay of the soonest timer due by `graceEnd`, a short poll for a request in flight. Immediates
 * and requests are waited for until `busyEnd`. `undefined` when none can.
 */
function msUntilSomethingFinishes(
  left: readonly Entry[],
  graceEnd: number,
  busyEnd: number,
): number | undefined {
  const now = realClock.now();
  let soonest: number | undefined;
  let uvNow: number | undefined;
  for (const entry of left) {
    let wait: number | undefined;
    let until = graceEnd;
    if (KINDS[entry.kind].finishesByItself) {
      wait = entry.kind === 'immediate' ? 0 : REQUEST_POLL_MS;
      until = busyEnd;
    } else if (entry.kind === 'timeout') {
      const timer = entry.resource.deref();
      const dueAt = timer === undefined ? undefined : timerDueAt(timer);
      if (dueAt !== undefined) {
        uvNow ??= libuvNow();
        // One more millisecond: a timer due at the same time as ours may be run after it.
        wait = Math.max(0, dueAt - uvNow + 1);
      }
    }
    const remaining = until - now;
    if (
      wait !== undefined &&
      remaining > 0 &&
      wait <= remaining &&
      (soonest === undefined || wait < soonest)
    ) {
      soonest = wait;
    }
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
          `loose-ends: Could not force a garbage collection (${String(error)}): a dropped promise, port or AsyncResource may be reported as left running. Run Node with --expose-gc, or set the option gc: false.\n`,
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
