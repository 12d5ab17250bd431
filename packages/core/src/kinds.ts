/**
 * The kind table: one row per kind of async work loose-ends can report. A row says which
 * async_hooks types it covers, what it is called, how to describe one instance, how to tell
 * whether it can still run (read off the resource itself, libuv's view, never off a past event),
 * what is usually left undone, and whether it is reported without being asked for.
 * Adding or changing a kind is one row here.
 */
import { basename } from 'node:path';
import { address, type NodeResource, ownerOf } from './node-handles.js';
import { realClock, withinLimit } from './real-clock.js';

/**
 * Who reports a kind: always (it keeps the event loop alive or calls back into the test later),
 * or only when the user asks for it with the option of that name (JS objects that hold no handle).
 */
export type ReportedWhen = 'always' | 'asyncResources' | 'promises';

export interface KindRow {
  /** async_hooks types of this kind. `interval` has none: it is a `Timeout` that repeats. */
  readonly types: readonly string[];
  readonly label: readonly [singular: string, plural: string];
  /** What is still going on: `an interval is still scheduled`. */
  readonly still: string;
  /** How it is usually cleaned up. */
  readonly hint: string;
  readonly reported: ReportedWhen;
  /** Whether it can still run: the resource is not destroyed, closed, or inactive in libuv. */
  readonly isRunning: (resource: NodeResource) => boolean;
  /** `setInterval every 1000 ms`, `net.Server listening on 127.0.0.1:41233`… */
  readonly describe: (resource: NodeResource, type: string) => string;
  /** Only garbage collection ends it: forcing a GC can change the verdict. */
  readonly endsByGc?: boolean;
  /**
   * It finishes by itself (a request in flight, an immediate: a queue processed one turn at a time
   * usually drains), so the check waits for it within the grace period.
   */
  readonly finishesByItself?: boolean;
  /**
   * Takes it out of the run once reported (option `contain: 'close'`): clears, closes, destroys,
   * terminates or kills it. Absent for what cannot be stopped from outside (a request in flight).
   */
  readonly close?: (resource: NodeResource) => void | Promise<void>;
}

/** Timers and immediates carry `_destroyed` once they ran or were cleared. */
const timerRunning = (timer: NodeResource): boolean => timer._destroyed !== true;

const IS_WINDOWS = process.platform === 'win32';

/**
 * A native handle runs until it is closed: Node frees the wrap then, and `getAsyncId()` answers -1.
 * A socket handle with no file descriptor (a client whose host lookup never answered, a dgram
 * socket never bound) is not active in libuv either: it keeps nothing alive and runs nothing.
 * Windows reports no descriptors, so there only the first rule applies.
 */
function handleRunning(handle: NodeResource): boolean {
  if (typeof handle.getAsyncId === 'function' && handle.getAsyncId() === -1) return false;
  return IS_WINDOWS || typeof handle.fd !== 'number' || handle.fd >= 0;
}

/**
 * A DNS request wrap is freed once its callback ran, so the same test tells it is still in flight.
 * Crypto jobs are not requests here: `crypto.randomBytes(16)` without a callback runs one
 * synchronously, and its wrap lives on until garbage collection as if it were still in flight.
 */
const requestInFlight = (request: NodeResource): boolean => request.getAsyncId?.() !== -1;

const KIND_TABLE = {
  timeout: {
    types: ['Timeout'],
    label: ['timeout', 'timeouts'],
    still: 'a timer is still pending',
    hint: 'clearTimeout(handle), or await whatever the timer is waiting for before the test ends',
    reported: 'always',
    isRunning: timerRunning,
    describe: (timer) => `setTimeout for ${timer._idleTimeout} ms`,
    close: clearTimer,
  },
  interval: {
    types: [],
    label: ['interval', 'intervals'],
    still: 'an interval is still scheduled',
    hint: 'keep the handle and call clearInterval(handle) in the test or an afterEach hook (often a setInterval whose handle was never kept)',
    reported: 'always',
    isRunning: timerRunning,
    describe: (timer) => `setInterval every ${timer._repeat} ms`,
    close: clearTimer,
  },
  immediate: {
    types: ['Immediate'],
    label: ['immediate', 'immediates'],
    still: 'a setImmediate callback keeps rescheduling itself',
    hint: 'stop the loop that calls setImmediate again, or clearImmediate(handle)',
    reported: 'always',
    isRunning: timerRunning,
    describe: () => 'setImmediate callback',
    // Runs on the next turn: one still there after the grace period is a loop that does not end.
    finishesByItself: true,
    close: (immediate) => realClock.clearImmediate(immediate as never),
  },
  server: {
    types: ['TCPSERVERWRAP', 'PIPESERVERWRAP'],
    label: ['server', 'servers'],
    still: 'a server is still listening',
    hint: 'await new Promise((resolve) => server.close(resolve)); for http, call server.closeAllConnections() first',
    reported: 'always',
    isRunning: handleRunning,
    describe: describeServer,
    close: closeServer,
  },
  socket: {
    types: ['TCPWRAP'],
    label: ['socket', 'sockets'],
    still: 'a socket is still open',
    hint: 'socket.destroy() or socket.end() on the client, and close the server (server.closeAllConnections()) on the other side',
    reported: 'always',
    isRunning: handleRunning,
    describe: describeSocket,
    close: destroyOwner,
  },
  pipe: {
    types: ['PIPEWRAP'],
    label: ['pipe', 'pipes'],
    still: 'a pipe is still open',
    hint: 'end or destroy the stream, or kill the child process it belongs to',
    reported: 'always',
    isRunning: handleRunning,
    describe: () => 'pipe (often a child process stdio stream or a Unix socket)',
    close: destroyOwner,
  },
  'child-process': {
    types: ['PROCESSWRAP'],
    label: ['child process', 'child processes'],
    still: 'a child process is still running',
    hint: "child.kill() and await once(child, 'exit')",
    reported: 'always',
    isRunning: handleRunning,
    describe: describeChildProcess,
    close: killChildProcess,
  },
  'fs-watcher': {
    types: ['FSEVENTWRAP'],
    label: ['file watcher', 'file watchers'],
    still: 'a file watcher is still watching',
    hint: 'watcher.close()',
    reported: 'always',
    isRunning: handleRunning,
    describe: () => 'fs.watch watcher',
    close: closeOwner,
  },
  'stat-watcher': {
    types: ['STATWATCHER'],
    label: ['stat watcher', 'stat watchers'],
    still: 'a polling file watcher is still watching',
    hint: 'fs.unwatchFile(path, listener)',
    reported: 'always',
    isRunning: handleRunning,
    describe: () => 'fs.watchFile watcher',
    close: closeOwner,
  },
  worker: {
    types: ['WORKER'],
    label: ['worker', 'workers'],
    still: 'a worker thread is still running',
    hint: 'await worker.terminate(), or let the worker exit on its own before the test ends',
    reported: 'always',
    isRunning: handleRunning,
    describe: (worker) => {
      const threadId = worker.threadId ?? ownerOf(worker)?.threadId;
      return threadId === undefined ? 'Worker thread' : `Worker thread (threadId ${threadId})`;
    },
    close: (worker) => void ownerOf(worker)?.terminate(),
  },
  'message-port': {
    types: ['MESSAGEPORT'],
    label: ['message port', 'message ports'],
    still: 'a message port is still open',
    hint: 'port.close() on one side of the channel',
    reported: 'always',
    isRunning: handleRunning,
    describe: () => 'MessagePort',
    endsByGc: true,
    close: (port) => port.close(),
  },
  signal: {
    types: ['SIGNALWRAP'],
    label: ['signal listener', 'signal listeners'],
    still: 'a signal listener is still installed',
    hint: "process.off('SIGxxx', listener)",
    reported: 'always',
    isRunning: handleRunning,
    describe: () => 'signal listener',
  },
  udp: {
    types: ['UDPWRAP'],
    label: ['UDP socket', 'UDP sockets'],
    still: 'a UDP socket is still open',
    hint: 'socket.close()',
    reported: 'always',
    isRunning: handleRunning,
    describe: (socket) => {
      const bound = address(socket, 'getsockname');
      return bound === undefined ? 'dgram socket' : `dgram socket bound to ${bound}`;
    },
    close: closeOwner,
  },
  tty: {
    types: ['TTYWRAP'],
    label: ['TTY stream', 'TTY streams'],
    still: 'a TTY stream is still open',
    hint: 'destroy the tty.ReadStream or tty.WriteStream you created',
    reported: 'always',
    isRunning: handleRunning,
    describe: () => 'TTY stream',
    close: destroyOwner,
  },
  histogram: {
    types: ['ELDHISTOGRAM'],
    label: ['delay monitor', 'delay monitors'],
    still: 'an event loop delay monitor is still enabled',
    hint: 'histogram.disable()',
    reported: 'always',
    isRunning: handleRunning,
    describe: () => 'event loop delay monitor',
    close: (histogram) => (ownerOf(histogram) ?? histogram).disable?.(),
  },
  request: {
    types: ['GETADDRINFOREQWRAP', 'GETNAMEINFOREQWRAP', 'QUERYWRAP'],
    label: ['request in flight', 'requests in flight'],
    still: 'a request is still in flight and will call back later',
    hint: 'await the operation (or its callback) before the test ends',
    reported: 'always',
    isRunning: requestInFlight,
    describe: (_request, type) => REQUEST_NAMES[type] ?? `${type.toLowerCase()} request`,
    finishesByItself: true,
  },
  custom: {
    types: [],
    label: ['AsyncResource', 'AsyncResources'],
    still: 'an AsyncResource was never destroyed',
    hint: 'call asyncResource.emitDestroy() when the work it stands for is done',
    reported: 'asyncResources',
    isRunning: (resource) => resource[kEmittedDestroy] !== true,
    describe: (_resource, type) => `AsyncResource "${type}"`,
    endsByGc: true,
  },
  promise: {
    types: ['PROMISE'],
    label: ['promise', 'promises'],
    still: 'a promise is still pending',
    hint: 'await it, or make sure whatever it waits for resolves or rejects before the test ends',
    reported: 'promises',
    // Settled promises are told by the promiseResolve hook, which the hook records on the entry.
    isRunning: () => true,
    describe: () => 'pending promise',
    endsByGc: true,
  },
} as const satisfies Record<string, KindRow>;

/** A kind's name: `'timeout' | 'interval' | 'server' | …`, one per row of the table. */
export type ResourceKind = keyof typeof KIND_TABLE;

/** An async_hooks type some kind covers: `'Timeout' | 'TCPWRAP' | …`. */
export type KindTypeName = (typeof KIND_TABLE)[ResourceKind]['types'][number];

/**
 * What `ignoreTypes` and `allowLeaks` take: a kind, an async_hooks type of the table, or another
 * all-caps async_hooks type name (an `AsyncResource` type of your own in mixed case needs a cast).
 * A plain `string` would let a typo such as `'intervals'` through.
 */
export type KindOrTypeName = ResourceKind | KindTypeName | Uppercase<string>;

export const KINDS: Readonly<Record<ResourceKind, KindRow>> = KIND_TABLE;

export const RESOURCE_KINDS: readonly ResourceKind[] = Object.keys(KINDS) as ResourceKind[];

/** Set on a user AsyncResource when `emitDestroy()` is called (patches.ts): there is no destroy hook. */
export const kEmittedDestroy: unique symbol = Symbol('loose-ends.emittedDestroy');

const REQUEST_NAMES: Readonly<Record<string, string>> = {
  GETADDRINFOREQWRAP: 'DNS lookup',
  GETNAMEINFOREQWRAP: 'DNS reverse lookup',
  QUERYWRAP: 'DNS query',
};

/** The kind of each async_hooks type in the table. */
export const KIND_OF_TYPE: ReadonlyMap<string, ResourceKind> = new Map(
  RESOURCE_KINDS.flatMap((kind) => KINDS[kind].types.map((type): [string, ResourceKind] => [type, kind])),
);

/** The kind of one instance: a `Timeout` that repeats is an interval. */
export function kindOfInstance(kind: ResourceKind, resource: NodeResource): ResourceKind {
  return kind === 'timeout' && typeof resource._repeat === 'number' ? 'interval' : kind;
}

export function isResourceKind(value: string): value is ResourceKind {
  return Object.hasOwn(KINDS, value);
}

/**
 * Node's own types that are not kinds but are kept as causal parents: a connect request is created
 * by the socket it connects, whose stack is the one to show.
 */
export const PARENT_ONLY_TYPES: ReadonlySet<string> = new Set(['TCPCONNECTWRAP', 'PIPECONNECTWRAP']);

/**
 * Node's own types that are known and deliberately ignored: per-turn work (ticks, microtasks, write
 * requests, fs requests: a callback-style fs operation finishes by itself, and recording each one
 * would cost fs-heavy suites a creation stack per call; crypto jobs, which may have run
 * synchronously), process-wide singletons (DNS channel), objects only GC ends (FILEHANDLE, ZLIB,
 * STREAM_END_OF_STREAM), and protocol bookkeeping whose socket is tracked anyway (HTTP, HTTP/2,
 * TLS). Listed so an unknown type can be told apart from a user's own AsyncResource.
 */
export const IGNORED_NODE_TYPES: ReadonlySet<string> = new Set([
  'TickObject',
  'Microtask',
  'FSREQCALLBACK',
  'PBKDF2REQUEST',
  'SCRYPTREQUEST',
  'RANDOMBYTESREQUEST',
  'RANDOMPRIMEREQUEST',
  'CHECKPRIMEREQUEST',
  'KEYGENREQUEST',
  'KEYPAIRGENREQUEST',
  'KEYEXPORTREQUEST',
  'HASHREQUEST',
  'CIPHERREQUEST',
  'SIGNREQUEST',
  'VERIFYREQUEST',
  'DERIVEBITSREQUEST',
  'ARGON2REQUEST',
  'FSREQPROMISE',
  'FILEHANDLE',
  'FILEHANDLECLOSEREQ',
  'DIRHANDLE',
  'BLOBREADER',
  'WRITEWRAP',
  'SHUTDOWNWRAP',
  'UDPSENDWRAP',
  'HTTPINCOMINGMESSAGE',
  'HTTPCLIENTREQUEST',
  'HTTP2SESSION',
  'HTTP2STREAM',
  'HTTP2PING',
  'HTTP2SETTINGS',
  'STREAMPIPE',
  'ZLIB',
  'DNSCHANNEL',
  'STREAM_END_OF_STREAM',
  'JSSTREAM',
  'JSUDPWRAP',
  'TLSWRAP',
  'SSLCONNECTION',
  'SIGINTWATCHDOG',
  'HEAPSNAPSHOT',
  'WORKERHEAPSNAPSHOT',
  'FIXEDSIZEBLOBCOPY',
  'INSPECTORJSBINDING',
]);

function clearTimer(timer: NodeResource): void {
  realClock.clearTimeout(timer as never);
}

/** The JS object behind a handle (`net.Socket`, `FSWatcher`…), or the handle itself. */
function ownerOrHandle(handle: NodeResource): NodeResource {
  return ownerOf(handle) ?? handle;
}

function destroyOwner(handle: NodeResource): void {
  ownerOrHandle(handle).destroy();
}

function closeOwner(handle: NodeResource): void {
  const owner = ownerOrHandle(handle);
  // A StatWatcher (fs.watchFile) has `stop`; watchers, dgram sockets and plain handles `close`.
  if (typeof owner.stop === 'function') owner.stop();
  else owner.close();
}

/** An http server also drops its open connections, so close() does not wait for them. */
function closeServer(handle: NodeResource): void {
  const server = ownerOrHandle(handle);
  server.close();
  server.closeAllConnections?.();
}

/** How long a child process gets to exit after SIGTERM, and then after SIGKILL. */
const KILL_GRACE_MS = 2000;

/**
 * SIGTERM, then SIGKILL if it has not exited within the grace period. Awaited by the check: a
 * runner may end the worker process or thread that ran the test right after, and a SIGKILL still
 * to come would be lost with it, leaving the child orphaned.
 */
async function killChildProcess(handle: NodeResource): Promise<void> {
  const child = ownerOf(handle);
  if (child === undefined) {
    handle.kill?.(15);
    return;
  }
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<boolean>((resolve) => child.once('exit', () => resolve(true)));
  child.kill('SIGTERM');
  if (await withinLimit(exited, KILL_GRACE_MS, () => false)) return;
  child.kill('SIGKILL');
  await withinLimit(exited, KILL_GRACE_MS, () => false);
}

function describeServer(handle: NodeResource): string {
  const owner = ownerOf(handle);
  const name = owner === undefined ? 'net.Server' : serverName(owner);
  const where =
    address(handle, 'getsockname') ?? (typeof owner?._pipeName === 'string' ? owner._pipeName : undefined);
  return where === undefined ? `${name} listening` : `${name} listening on ${where}`;
}

function serverName(owner: NodeResource): string {
  // http.Server and https.Server extend net.Server; their constructor is named Server too.
  if (typeof owner.closeAllConnections === 'function')
    return typeof owner.addContext === 'function' ? 'https.Server' : 'http.Server';
  return 'net.Server';
}

function describeSocket(handle: NodeResource): string {
  const local = address(handle, 'getsockname');
  const remote = address(handle, 'getpeername');
  if (local !== undefined && remote !== undefined) return `socket ${local} → ${remote}`;
  if (remote !== undefined) return `socket to ${remote}`;
  return ownerOf(handle)?.connecting === true ? 'socket (connecting)' : 'socket (not connected)';
}

function describeChildProcess(handle: NodeResource): string {
  const owner = ownerOf(handle);
  const pid = handle.pid ?? owner?.pid;
  const args: string[] | undefined = owner?.spawnargs;
  const command =
    args === undefined ? '' : `: ${truncate([basename(args[0] ?? ''), ...args.slice(1)].join(' '), 80)}`;
  return `child process${pid === undefined ? '' : ` pid ${pid}`}${command}`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
