/**
 * Which async_hooks resource types are worth tracking, and what each is called for a human.
 * Everything not listed is ignored, except user-defined AsyncResources (kind `custom`).
 */
export type ResourceKind =
  | 'timeout'
  | 'interval'
  | 'immediate'
  | 'server'
  | 'socket'
  | 'pipe'
  | 'child-process'
  | 'fs-watcher'
  | 'stat-watcher'
  | 'worker'
  | 'message-port'
  | 'signal'
  | 'udp'
  | 'tty'
  | 'histogram'
  | 'custom'
  | 'promise';

export const RESOURCE_KINDS: readonly ResourceKind[] = [
  'timeout',
  'interval',
  'immediate',
  'server',
  'socket',
  'pipe',
  'child-process',
  'fs-watcher',
  'stat-watcher',
  'worker',
  'message-port',
  'signal',
  'udp',
  'tty',
  'histogram',
  'custom',
  'promise',
];

/** Tracked Node types and their kind. `Timeout` may become `interval` once we look at it. */
export const TRACKED_TYPES: ReadonlyMap<string, ResourceKind> = new Map<string, ResourceKind>([
  ['Timeout', 'timeout'],
  ['Immediate', 'immediate'],
  ['TCPSERVERWRAP', 'server'],
  ['PIPESERVERWRAP', 'server'],
  ['TCPWRAP', 'socket'],
  ['PIPEWRAP', 'pipe'],
  ['TTYWRAP', 'tty'],
  ['UDPWRAP', 'udp'],
  ['PROCESSWRAP', 'child-process'],
  ['FSEVENTWRAP', 'fs-watcher'],
  ['STATWATCHER', 'stat-watcher'],
  ['SIGNALWRAP', 'signal'],
  ['MESSAGEPORT', 'message-port'],
  ['WORKER', 'worker'],
  ['ELDHISTOGRAM', 'histogram'],
]);

/**
 * Short-lived requests that are never reported themselves, but are kept as causal parents:
 * a server listening on a host name is created in a DNS callback, so its own creation stack
 * holds no user frame and the report borrows the stack of the lookup the user's `listen()` started.
 */
export const PARENT_ONLY_TYPES: ReadonlySet<string> = new Set([
  'GETADDRINFOREQWRAP',
  'TCPCONNECTWRAP',
  'PIPECONNECTWRAP',
]);

/**
 * Node's own types that are known and deliberately ignored: per-turn work (ticks, microtasks,
 * fs and write requests), process-wide singletons (DNS channel), objects destroyed only by GC
 * (FILEHANDLE, ZLIB, STREAM_END_OF_STREAM) and HTTP bookkeeping whose socket is tracked anyway.
 * Listed so an unknown type can be told apart from a user's own AsyncResource.
 */
export const IGNORED_NODE_TYPES: ReadonlySet<string> = new Set([
  'PROMISE',
  'TickObject',
  'Microtask',
  'FSREQCALLBACK',
  'FSREQPROMISE',
  'FILEHANDLE',
  'FILEHANDLECLOSEREQ',
  'WRITEWRAP',
  'SHUTDOWNWRAP',
  'UDPSENDWRAP',
  'GETNAMEINFOREQWRAP',
  'QUERYWRAP',
  'HTTPINCOMINGMESSAGE',
  'HTTPCLIENTREQUEST',
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
