import { AsyncResource } from 'node:async_hooks';
import net from 'node:net';
import { kEmittedDestroy } from './kinds.js';
import { captureStack } from './stack.js';
/** Lazy stack of the user's `server.listen()` call. */
export const kListenStack: unique symbol = Symbol('loose-ends.listenStack');

let patched = false;

/**
 * Two facts Node does not expose without a destroy hook or a stack from the caller:
 * - a user's `asyncResource.emitDestroy()`: a destroy hook would see it, but any destroy hook makes
 *   Node < 24.14 track every promise for GC (docs/internals.md), so mark the resource;
 * - where `server.listen(port, host)` was called: Node creates the handle a tick later, after a host
 *   lookup, so the handle's own creation stack holds no user frame.
 * `shouldCapture` says whether a test is running, so code outside tests pays nothing.
 */
export function patchNodeForObservability(shouldCapture: () => boolean, stackLimit: () => number): void {
  if (patched) return;
  patched = true;
  const emitDestroy = AsyncResource.prototype.emitDestroy;
  AsyncResource.prototype.emitDestroy = function (this: AsyncResource) {
    (this as unknown as Record<symbol, boolean>)[kEmittedDestroy] = true;
    return emitDestroy.call(this);
  };
  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
    if (shouldCapture()) {
      (this as unknown as Record<symbol, unknown>)[kListenStack] = captureStack(
        stackLimit(),
        net.Server.prototype.listen,
      );
    }
    return (listen as (...a: unknown[]) => net.Server).apply(this, args);
  } as typeof listen;
}
