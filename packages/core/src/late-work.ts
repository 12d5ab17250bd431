import { executionAsyncId, triggerAsyncId } from 'node:async_hooks';
import { format, types } from 'node:util';
import type { LeakContext, Scope } from './context.js';
import type { Entry } from './hook.js';
import { KINDS } from './kinds.js';
import { realClock } from './real-clock.js';
import { kindOf, toRecord } from './record.js';

/** Set once the notes are installed, for the log wrapper to read. */
let installedLookup: OriginLookup | undefined;

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
  if (installedLookup !== undefined) return;
  installedLookup = lookup;
  process.on('uncaughtExceptionMonitor', (error) => {
    noteOrigin(lookup, error, 'Thrown by', lookup.entryById(executionAsyncId()));
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
    const note = originNote(verb, ctx, origin, 'it is not from the test running now');
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

/**
 * The line to add to a log written by work a test left running, once that test has ended: runners
 * show the log under whatever test runs then. `undefined` for every other log.
 */
export function lateLogNote(): string | undefined {
  const ctx = installedLookup?.currentScope()?.ctx;
  if (ctx === null || ctx === undefined || !ctx.ended) return undefined;
  return originNote(
    'Logged by',
    ctx,
    installedLookup?.entryById(executionAsyncId()),
    'not by the test running now',
  );
}

const LOG_METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;
const kTagged = Symbol.for('loose-ends.lateLogTagged');

/**
 * Wraps a console's log methods so a line logged by work an ended test left running ends with the
 * note naming that test (lateLogNote). For runners that show the console as it is; `console.trace`
 * is left alone, since its output would show the wrapper's frame.
 */
export function tagLateLogs(target: object): void {
  const methods = target as Record<string, unknown>;
  for (const name of LOG_METHODS) {
    const original = methods[name];
    if (typeof original !== 'function' || (original as { [kTagged]?: true })[kTagged]) continue;
    const tagged = function (this: unknown, ...args: unknown[]): unknown {
      const note = lateLogNote();
      return note === undefined
        ? original.apply(this, args)
        : original.call(this, `${format(...args)}\n${note}`);
    };
    Object.defineProperty(tagged, kTagged, { value: true });
    methods[name] = tagged;
  }
}

function originNote(verb: string, ctx: LeakContext, origin: Entry | undefined, tail: string): string {
  // Only the resource's own test's work is named: an error can surface inside another resource.
  const { what, where } = describeWork(origin?.ctx === ctx ? origin : undefined);
  return `loose-ends: ${verb} ${what} that ${owner(ctx)} left running${where}; ${tail}.`;
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
