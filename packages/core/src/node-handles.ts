/**
 * Reading Node's native handles from JavaScript: the few internal fields loose-ends relies on,
 * in one place. None of them is public API; each read tolerates its absence.
 */

/** A resource as async_hooks hands it over: a timer, a native wrap, or a user's AsyncResource. */
export type NodeResource = Record<string | symbol, any>;

/** Node keeps the JS object behind a native handle (the `net.Socket`, the `Server`) under `owner_symbol`. */
export function ownerOf(handle: NodeResource): NodeResource | undefined {
  const symbol = Object.getOwnPropertySymbols(handle).find((s) => s.description === 'owner_symbol');
  return symbol === undefined ? undefined : handle[symbol];
}

/** `127.0.0.1:41233` or `[::1]:41233`, from a TCP or UDP handle. */
export function address(handle: NodeResource, method: 'getsockname' | 'getpeername'): string | undefined {
  if (typeof handle[method] !== 'function') return undefined;
  const out: { address?: string; port?: number; family?: string | number } = {};
  try {
    if (handle[method](out) !== 0 || out.address === undefined) return undefined;
  } catch {
    // A handle closed meanwhile: the description then goes without an address.
    return undefined;
  }
  return out.family === 'IPv6' || out.family === 6
    ? `[${out.address}]:${out.port}`
    : `${out.address}:${out.port}`;
}

/**
 * When a keep-alive agent hands an idle socket to a new request, Node re-emits the socket's handle
 * to async_hooks wrapped in a `ReusedHandle` (lib/_http_agent.js, `asyncResetHandle`). It is the
 * same connection: the native handle inside is what to look at.
 */
export function reusedHandleOf(resource: NodeResource): NodeResource | undefined {
  return resource.constructor?.name === 'ReusedHandle' && typeof resource.handle === 'object'
    ? resource.handle
    : undefined;
}

/**
 * A `Timeout`'s due time on libuv's clock (`_idleStart` is libuv's "now" when it was scheduled),
 * or `undefined` for one that repeats or is not scheduled.
 */
export function timerDueAt(timer: NodeResource): number | undefined {
  if (typeof timer._repeat === 'number') return undefined;
  const start = timer._idleStart;
  const delay = timer._idleTimeout;
  return typeof start === 'number' && typeof delay === 'number' && delay >= 0 ? start + delay : undefined;
}
