import { basename } from 'node:path';
import type { Entry } from './hook.js';
import { kEmittedDestroy, kListenStack } from './patches.js';
import type { ResourceKind } from './resource-types.js';
import { TRACKED_TYPES } from './resource-types.js';
import type { StackHolder } from './stack.js';

type AnyResource = Record<string | symbol, any>;

/**
 * Is the resource still doing something? Read off the resource itself (there is no destroy hook):
 * timers carry `_destroyed`; Node's native wraps answer `getAsyncId() === -1` once closed or freed.
 */
export function isAlive(entry: Entry): boolean {
  const resource = entry.resource.deref() as AnyResource | undefined;
  if (resource === undefined) return false;
  if (entry.type === 'PROMISE') return !entry.settled;
  if (entry.custom) return resource[kEmittedDestroy] !== true;
  if (entry.type === 'Timeout' || entry.type === 'Immediate') return resource._destroyed !== true;
  if (typeof resource.getAsyncId === 'function') return resource.getAsyncId() !== -1;
  return true;
}

/** Does it keep the event loop alive? Read at check time: handles report `false` until started. */
export function isRefed(entry: Entry): boolean | undefined {
  const resource = entry.resource.deref() as AnyResource | undefined;
  if (resource === undefined || typeof resource.hasRef !== 'function') return undefined;
  return resource.hasRef() === true;
}

export function kindOf(entry: Entry): ResourceKind {
  if (entry.type === 'PROMISE') return 'promise';
  if (entry.custom) return 'custom';
  const kind = TRACKED_TYPES.get(entry.type) ?? 'custom';
  if (kind === 'timeout' && isRepeating(entry.resource.deref() as AnyResource | undefined)) return 'interval';
  return kind;
}

function isRepeating(timer: AnyResource | undefined): boolean {
  return typeof timer?._repeat === 'number';
}

/** Node keeps the JS object behind a native handle under an internal `owner_symbol`. */
function ownerOf(resource: AnyResource): AnyResource | undefined {
  const symbol = Object.getOwnPropertySymbols(resource).find((s) => s.description === 'owner_symbol');
  return symbol === undefined ? undefined : resource[symbol];
}

function address(handle: AnyResource, method: 'getsockname' | 'getpeername'): string | undefined {
  if (typeof handle[method] !== 'function') return undefined;
  const out: { address?: string; port?: number; family?: string } = {};
  try {
    if (handle[method](out) !== 0 || out.address === undefined) return undefined;
  } catch {
    return undefined;
  }
  return out.family === 'IPv6' || out.family === (6 as unknown)
    ? `[${out.address}]:${out.port}`
    : `${out.address}:${out.port}`;
}

/** The stack of the user's `listen()` call, for a server handle created a tick after it. */
export function listenStackOf(entry: Entry): StackHolder | undefined {
  const resource = entry.resource.deref() as AnyResource | undefined;
  return resource === undefined ? undefined : ownerOf(resource)?.[kListenStack];
}

function className(value: AnyResource | undefined): string | undefined {
  return value?.constructor?.name;
}

/** A one-line, friendly description: `setInterval every 1000 ms`, `net.Server listening on 127.0.0.1:41233`. */
export function describe(entry: Entry): string {
  const resource = entry.resource.deref() as AnyResource | undefined;
  if (resource === undefined) return entry.type;
  switch (kindOf(entry)) {
    case 'interval':
      return `setInterval every ${resource._repeat} ms`;
    case 'timeout':
      return `setTimeout for ${resource._idleTimeout} ms`;
    case 'immediate':
      return 'setImmediate callback';
    case 'server': {
      const owner = ownerOf(resource);
      const name =
        className(owner) === 'Server' && owner?.constructor !== undefined ? serverName(owner) : 'net.Server';
      const where =
        address(resource, 'getsockname') ??
        (typeof owner?._pipeName === 'string' ? owner._pipeName : undefined);
      return where === undefined ? `${name} listening` : `${name} listening on ${where}`;
    }
    case 'socket': {
      const local = address(resource, 'getsockname');
      const remote = address(resource, 'getpeername');
      if (local !== undefined && remote !== undefined) return `socket ${local} → ${remote}`;
      return remote === undefined ? 'socket (not connected)' : `socket to ${remote}`;
    }
    case 'pipe':
      return 'pipe (often a child process stdio stream or a Unix socket)';
    case 'child-process': {
      const owner = ownerOf(resource);
      const pid = resource.pid ?? owner?.pid;
      const args: string[] | undefined = owner?.spawnargs;
      const command =
        args === undefined ? '' : `: ${truncate([basename(args[0] ?? ''), ...args.slice(1)].join(' '), 80)}`;
      return `child process${pid === undefined ? '' : ` pid ${pid}`}${command}`;
    }
    case 'fs-watcher':
      return 'fs.watch watcher';
    case 'stat-watcher':
      return 'fs.watchFile watcher';
    case 'worker': {
      const owner = ownerOf(resource);
      const threadId = resource.threadId ?? owner?.threadId;
      return threadId === undefined ? 'Worker thread' : `Worker thread (threadId ${threadId})`;
    }
    case 'message-port':
      return 'MessagePort';
    case 'signal':
      return 'signal listener';
    case 'udp':
      return `dgram socket${withSuffix(address(resource, 'getsockname'), ' bound to ')}`;
    case 'tty':
      return 'TTY stream';
    case 'histogram':
      return 'event loop delay monitor';
    case 'custom':
      return `AsyncResource "${entry.type}"`;
    case 'promise':
      return 'pending promise';
  }
}

function serverName(owner: AnyResource): string {
  // http.Server and https.Server extend net.Server; their constructor is named Server too.
  if (typeof owner.closeAllConnections === 'function')
    return typeof owner.addContext === 'function' ? 'https.Server' : 'http.Server';
  return 'net.Server';
}

function withSuffix(value: string | undefined, prefix: string): string {
  return value === undefined ? '' : `${prefix}${value}`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** What is still going on, and the usual cause — the first two parts of a Deno-style message. */
export function explain(kind: ResourceKind): { still: string; hint: string } {
  return EXPLANATIONS[kind];
}

const EXPLANATIONS: Record<ResourceKind, { still: string; hint: string }> = {
  interval: {
    still: 'an interval is still scheduled',
    hint: 'keep the handle and call clearInterval(handle) in the test or an afterEach hook (often a setInterval whose handle was never kept)',
  },
  timeout: {
    still: 'a timer is still pending',
    hint: 'clearTimeout(handle), or await whatever the timer is waiting for before the test ends',
  },
  immediate: {
    still: 'a setImmediate callback keeps rescheduling itself',
    hint: 'stop the loop that calls setImmediate again, or clearImmediate(handle)',
  },
  server: {
    still: 'a server is still listening',
    hint: 'await new Promise((resolve) => server.close(resolve)); for http, call server.closeAllConnections() first',
  },
  socket: {
    still: 'a socket is still open',
    hint: 'socket.destroy() or socket.end() on the client, and close the server (server.closeAllConnections()) on the other side',
  },
  pipe: {
    still: 'a pipe is still open',
    hint: 'end or destroy the stream, or kill the child process it belongs to',
  },
  'child-process': {
    still: 'a child process is still running',
    hint: "child.kill() and await once(child, 'exit')",
  },
  'fs-watcher': {
    still: 'a file watcher is still watching',
    hint: 'watcher.close()',
  },
  'stat-watcher': {
    still: 'a polling file watcher is still watching',
    hint: 'fs.unwatchFile(path, listener)',
  },
  worker: {
    still: 'a worker thread is still running',
    hint: 'await worker.terminate(), or let the worker exit on its own before the test ends',
  },
  'message-port': {
    still: 'a message port is still open',
    hint: 'port.close() on one side of the channel',
  },
  signal: {
    still: 'a signal listener is still installed',
    hint: "process.off('SIGxxx', listener)",
  },
  udp: {
    still: 'a UDP socket is still open',
    hint: 'socket.close()',
  },
  tty: {
    still: 'a TTY stream is still open',
    hint: 'destroy the tty.ReadStream or tty.WriteStream you created',
  },
  histogram: {
    still: 'an event loop delay monitor is still enabled',
    hint: 'histogram.disable()',
  },
  custom: {
    still: 'an AsyncResource was never destroyed',
    hint: 'call asyncResource.emitDestroy() when the work it stands for is done',
  },
  promise: {
    still: 'a promise is still pending',
    hint: 'await it, or make sure whatever it waits for resolves or rejects before the test ends',
  },
};
