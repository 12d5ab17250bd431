import { executionAsyncResource } from 'node:async_hooks';
import { types } from 'node:util';
import type { Scope } from './context.js';
import { entryOf } from './hook.js';
import { KINDS } from './kinds.js';
import { realClock } from './real-clock.js';
import { kindOf, toRecord } from './record.js';

let installed = false;

/**
 * An error thrown by work a test left running surfaces during whatever test runs next, and runners
 * blame that one. Node emits `uncaughtExceptionMonitor` before any `uncaughtException` listener (the
 * runner's), in the async context of the callback that threw: the scope there names the test that
 * started the work, and the resource the one that threw. The error's message says so, before the
 * runner prints it.
 */
export function nameOriginOfLateErrors(currentScope: () => Scope | undefined): void {
  if (installed) return;
  installed = true;
  process.on('uncaughtExceptionMonitor', (error) => {
    try {
      const ctx = currentScope()?.ctx;
      // isNativeError, not instanceof: Jest's test files throw Errors of another realm.
      if (ctx === null || ctx === undefined || !ctx.ended || !types.isNativeError(error)) return;
      const entry = entryOf(executionAsyncResource());
      let what = 'async work';
      let where = '';
      if (entry !== undefined) {
        const record = toRecord(entry, 10, realClock.now());
        what = `${record.description} (${KINDS[kindOf(entry)].label[0]})`;
        if (record.where !== undefined) where = `, created at ${record.where}`;
      }
      const note = `loose-ends: Thrown by ${what} that ${ctx.kind === 'file' ? 'the file' : 'test'} "${ctx.title}" left running${where}; it is not from the test running now.`;
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
  });
}
