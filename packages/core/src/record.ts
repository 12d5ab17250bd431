import type { Entry } from './hook.js';
import { isRefed, stackHolderOf } from './hook.js';
import type { ResourceKind } from './kinds.js';
import { KINDS, kindOfInstance } from './kinds.js';
import type { NodeResource } from './node-handles.js';
import { ownerOf } from './node-handles.js';
import { kListenStack } from './patches.js';
import type { CleanStack, SourceLocation, StackHolder } from './stack.js';
import { cleanStack, formatLocation, stackText } from './stack.js';

/** One leftover resource, as reported: plain data, safe to serialise. */
export interface LeakRecord {
  readonly asyncId: number;
  /** async_hooks type, e.g. `Timeout`, `TCPSERVERWRAP`, or the name of a user's AsyncResource. */
  readonly type: string;
  readonly kind: ResourceKind;
  /** `setInterval every 1000 ms`, `net.Server listening on 127.0.0.1:41233`… */
  readonly description: string;
  /** What is still going on: `an interval is still scheduled`. */
  readonly still: string;
  /** How it is usually cleaned up. */
  readonly hint: string;
  /** Whether it keeps the event loop alive; `undefined` for kinds that cannot tell. */
  readonly refed: boolean | undefined;
  readonly ageMs: number;
  /** Where in the test it was created: `test`, `beforeEach hook`, `module scope`… */
  readonly phase: string;
  readonly test: string;
  readonly file: string | undefined;
  /** Cleaned creation stack (`    at …` lines). */
  readonly stack: string;
  readonly location: SourceLocation | undefined;
  /** `test/a.test.ts:12:5`. */
  readonly where: string | undefined;
  /** asyncIds of the resources whose callbacks led here, nearest first. */
  readonly ancestry: readonly number[];
  /** Why its state could not be read, when it could not (it then counts as still running). */
  readonly unreadable?: string;
}

const MAX_ANCESTRY = 32;

const cleanedStacks = new WeakMap<Entry, { depth: number; stack: CleanStack }>();

/** The entry's own creation stack, cleaned to `depth` frames: formatted and cleaned once per entry. */
export function ownStack(entry: Entry, depth: number): CleanStack {
  let cached = cleanedStacks.get(entry);
  if (cached === undefined || cached.depth !== depth) {
    cached = { depth, stack: cleanStack(stackText(stackHolderOf(entry)), depth) };
    cleanedStacks.set(entry, cached);
  }
  return cached.stack;
}

/** Whether the entry's stack was already formatted (formatting is what costs). */
export function hasOwnStackCleaned(entry: Entry): boolean {
  return cleanedStacks.has(entry);
}

/** The stack of the user's `listen()` call, for a server handle created a tick after it. */
function listenStackOf(entry: Entry): StackHolder | undefined {
  const handle = entry.resource.deref();
  return handle === undefined ? undefined : ownerOf(handle)?.[kListenStack];
}

/** The kind as reported: a `Timeout` that repeats is an interval. */
export function kindOf(entry: Entry): ResourceKind {
  const resource = entry.resource.deref();
  return resource === undefined ? entry.kind : kindOfInstance(entry.kind, resource);
}

function describe(entry: Entry, kind: ResourceKind): string {
  const resource = entry.resource.deref() as NodeResource | undefined;
  return resource === undefined ? entry.type : KINDS[kind].describe(resource, entry.type);
}

function creationStack(entry: Entry, stackDepth: number): CleanStack {
  const own = ownStack(entry, stackDepth);
  // A server's handle is created a tick after the user's listen() call; that call was recorded.
  if (own.location !== undefined || !entry.type.endsWith('SERVERWRAP')) return own;
  return cleanStack(stackText(listenStackOf(entry)), stackDepth);
}

export function toRecord(entry: Entry, stackDepth: number, now: number): LeakRecord {
  const kind = kindOf(entry);
  const { still, hint } = KINDS[kind];
  let stack = creationStack(entry, stackDepth);
  // Created in a callback with no user frame (a socket accepted by a server, a handle created after
  // a DNS lookup): borrow the stack of the nearest ancestor that has one.
  for (
    let parent = entry.parent;
    stack.location === undefined && parent !== undefined;
    parent = parent.parent
  ) {
    const borrowed = creationStack(parent, stackDepth);
    if (borrowed.location !== undefined) stack = borrowed;
  }
  const ancestry: number[] = [];
  for (
    let parent = entry.parent;
    parent !== undefined && ancestry.length < MAX_ANCESTRY;
    parent = parent.parent
  ) {
    ancestry.push(parent.asyncId);
  }
  return {
    asyncId: entry.asyncId,
    type: entry.type,
    kind,
    description: describe(entry, kind),
    still,
    hint,
    refed: isRefed(entry),
    ageMs: Math.round(now - entry.createdAt),
    phase: entry.phase,
    test: entry.ctx.title,
    file: entry.ctx.file,
    stack: stack.frames.join('\n'),
    location: stack.location,
    where: stack.location === undefined ? undefined : formatLocation(stack.location),
    ancestry,
    ...(entry.unreadable === undefined ? {} : { unreadable: entry.unreadable }),
  };
}
