import { executionAsyncResource, triggerAsyncId } from 'node:async_hooks';
import { types } from 'node:util';
import type { LeakContext, Scope } from './context.js';
import type { Entry } from './hook.js';
import { entryOf } from './hook.js';
import { KINDS } from './kinds.js';
import { realClock } from './real-clock.js';
import { kindOf, toRecord } from './record.js';

let installed = false;

/** Errors already given their note: Mocha re-emits an unhandled rejection to the other listeners. */
const noted = new WeakSet<Error>();

/** What the hook knows of the async work running now. */
export interface OriginLookup {
  currentScope(): Scope | undefined;
  /** The entry of a tracked resource by its asyncId. */
  entryById(asyncId: number): Entry | undefined;
}

/**
 * An error thrown or rejected by work a test left running surfaces during whatever test runs next,
 * and runners blame that one. Both reach the runner in the async context of the work that failed,
 * so the scope there names the test that started it; the error's message says so before the runner
 * prints it.
 *
 * - An uncaught exception: Node emits `uncaughtExceptionMonitor` before any `uncaughtException`
 *   listener (the runner's), in the context of the callback that threw, whose resource is the one
 *   that threw.
 * - An unhandled rejection: Node emits `unhandledRejection` in the context the promise was created
 *   in. A listener of our own would change what Node does when no runner listens (it would no
 *   longer crash), so the note is added where Node emits the event, and nothing else changes.
 */
export function nameOriginOfLateErrors(lookup: OriginLookup): void {
  if (installed) return;
  installed = true;
  process.on('uncaughtExceptionMonitor', (error) => {
    noteOrigin(lookup, error, 'Thrown by', entryOf(executionAsyncResource()));
  });
  const emit = process.emit;
  process.emit = function emitNamingLateRejections(this: NodeJS.Process, event: string, ...args: unknown[]) {
    if (event === 'unhandledRejection') {
      // Where the promise hook runs (Node < 24), the promise's trigger is the callback it was created in.
      noteOrigin(lookup, args[0], 'Rejected by', lookup.entryById(triggerAsyncId()));
    }
    return (emit as (...all: unknown[]) => boolean).call(this, event, ...args);
  } as typeof process.emit;
}

function noteOrigin(lookup: OriginLookup, error: unknown, verb: string, origin: Entry | undefined): void {
  try {
    const ctx = lookup.currentScope()?.ctx;
    // isNativeError, not instanceof: Jest's test files throw Errors of another realm.
    if (ctx === null || ctx === undefined || !ctx.ended || !types.isNativeError(error)) return;
    if (noted.has(error)) return;
    noted.add(error);
    const entry = origin?.ctx === ctx ? origin : undefined;
    const { what, where } = describeWork(entry);
    const note = `[loose-ends] ${verb} ${what} that ${owner(ctx)} left running${where}; it is not from the test running now.`;
    // Read first: V8 formats `stack` on first read, from the message as it is then.
    const stack = error.stack;
    const header = `${error.name}: ${error.message}`;
    error.message = `${error.message}\n${note}`;
    if (typeof stack === 'string' && stack.startsWith(header)) {
      error.stack = `${header}\n${note}${stack.slice(header.length)}`;
    }
  } catch {
    // Naming the origin is a courtesy: the runner still reports the error as it is.
  }
}

/** `setInterval every 50 ms (interval)` and `, created at src/poll.ts:4`, or `async work` when unknown. */
function describeWork(entry: Entry | undefined): { what: string; where: string } {
  if (entry === undefined) return { what: 'async work', where: '' };
  const record = toRecord(entry, 10, realClock.now());
  return {
    what: `${record.description} (${KINDS[kindOf(entry)].label[0]})`,
    where: record.where === undefined ? '' : `, created at ${record.where}`,
  };
}

function owner(ctx: LeakContext): string {
  return `${ctx.kind === 'file' ? 'the file' : 'test'} "${ctx.title}"`;
}
