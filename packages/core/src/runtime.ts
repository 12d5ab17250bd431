import asyncHooks from 'node:async_hooks';

export interface RuntimeSupport {
  readonly supported: boolean;
  /** Why detection is off, written for the user. */
  readonly reason?: string;
}

/** Detection needs Node's async_hooks and AsyncLocalStorage; Bun, Deno and browsers only mimic them. */
export function detectRuntime(): RuntimeSupport {
  const versions = (globalThis as { process?: NodeJS.Process }).process?.versions as
    | Record<string, string>
    | undefined;
  const name = versions?.bun ? 'Bun' : versions?.deno || 'Deno' in globalThis ? 'Deno' : undefined;
  if (name !== undefined) {
    return {
      supported: false,
      reason: `${name} does not run async_hooks init callbacks for timers and handles`,
    };
  }
  if (versions?.node === undefined) return { supported: false, reason: 'this runtime is not Node.js' };
  if (typeof asyncHooks?.createHook !== 'function' || typeof asyncHooks.AsyncLocalStorage !== 'function') {
    return { supported: false, reason: 'node:async_hooks is not available' };
  }
  return { supported: true };
}

let warned = false;

/** Said once per process, so a suite never passes silently while pretending to have checked. */
export function warnUnsupported(reason: string): void {
  if (warned) return;
  warned = true;
  const message = `loose-ends: Leak detection is OFF: ${reason}. Tests will run, but leftover async work is not checked. Run the suite on Node.js 20 or later to check it.\n`;
  if (typeof process !== 'undefined' && process.stderr?.write) process.stderr.write(message);
  else console.warn(message);
}
