import type { AsyncHook, HookCallbacks } from 'node:async_hooks';
import { AsyncResource, createHook, executionAsyncId } from 'node:async_hooks';
import type { LeakContext, Scope } from './context.js';
import { historyOf } from './context.js';
import { reportInternalError } from './internal-error.js';
import type { ResourceKind } from './kinds.js';
import { IGNORED_NODE_TYPES, KIND_OF_TYPE, KINDS, PARENT_ONLY_TYPES } from './kinds.js';
import type { NodeResource } from './node-handles.js';
import { reusedHandleOf } from './node-handles.js';
import { patchNodeForObservability } from './patches.js';
import { realClock } from './real-clock.js';
import type { ScopeStorage } from './scope-storage.js';
import { carryScope, createScopeStorage } from './scope-storage.js';
import type { StackHolder } from './stack.js';
import { captureStack } from './stack.js';

/** One async resource created under a context. Holds nothing of the user's strongly. */
export interface Entry {
  readonly asyncId: number;
  readonly type: string;
  /** From the kind table; a `timeout` may turn out to be an interval when reported. */
  readonly kind: ResourceKind;
  readonly ctx: LeakContext;
  readonly phase: string;
  /**
   * Weak, like everything loose-ends keeps: a test that asserts through FinalizationRegistry that
   * something was collected must pass. While a timer or handle can still run, Node itself holds it.
   */
  readonly resource: WeakRef<NodeResource>;
  /** The nearest tracked resource whose callback created this one. */
  readonly parent: Entry | undefined;
  readonly createdAt: number;
  readonly parentOnly: boolean;
  /** Some entry names it as its parent: its stack may still be borrowed after it has ended. */
  hasChildren: boolean;
  /** For promises: set by the `promiseResolve` hook. */
  settled: boolean;
  /** Why its state could not be read, if it could not: it then counts as still running. */
  unreadable?: string;
}

/**
 * Creation stacks, by resource. A captured stack that is not formatted yet holds the receiver and
 * function of every frame (the request being built, the test's `this`), so it is kept in a WeakMap
 * keyed by the resource: it lives exactly as long as the resource, and keeps nothing alive itself.
 */
const stacks = new WeakMap<object, StackHolder>();

/** The creation stack of a resource still alive, captured lazily (see stack.ts). */
export function stackHolderOf(entry: Entry): StackHolder | undefined {
  const resource = entry.resource.deref();
  return resource === undefined ? undefined : stacks.get(resource);
}

/** Whether the resource can still run: read off the resource itself (there is no destroy hook). */
export function isAlive(entry: Entry): boolean {
  const resource = entry.resource.deref();
  if (resource === undefined) return false;
  if (entry.kind === 'promise') return !entry.settled;
  try {
    return KINDS[entry.kind].isRunning(resource);
  } catch (error) {
    return unreadable(entry, error);
  }
}

/** Whether it keeps the event loop alive; read at check time, since handles start unref'd. */
export function isRefed(entry: Entry): boolean | undefined {
  const resource = entry.resource.deref();
  if (resource === undefined || typeof resource.hasRef !== 'function') return undefined;
  try {
    return resource.hasRef() === true;
  } catch (error) {
    return unreadable(entry, error);
  }
}

/** Fails closed: a resource whose state cannot be read counts as still running, and says why. */
function unreadable(entry: Entry, error: unknown): true {
  entry.unreadable ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return true;
}

export interface HookSettings {
  /** Frames kept after cleaning; capture takes a few more to leave room for Node's own. */
  stackDepth: number;
}

const INTERNAL_FRAMES_ABOVE_USER = 8;

/**
 * Capturing a stack is most of what tracking a resource costs (V8 walks the runner's deep stack), so
 * skip it where it can only hold Node's frames: a connection a server accepted arrives from libuv
 * with no context (its report borrows the server's `listen()` line; where the hook carries the
 * scope, Node < 24, it arrives with the server's scope and is captured as before), and a connect
 * request is created by the socket it connects, a tick later (the socket's
 * stack is the one to show).
 */
function hasOwnUserStack(type: string, scope: Scope | undefined, trigger: Entry | undefined): boolean {
  if (type === 'TCPCONNECTWRAP' || type === 'PIPECONNECTWRAP') return false;
  return !(scope === undefined && trigger !== undefined && trigger.type.endsWith('SERVERWRAP'));
}

/** What the hook does with a type: record it as a kind, keep it as a parent only, or ignore it. */
const PARENT_ONLY = 'parent-only';
const IGNORED = 'ignored';
type Role = ResourceKind | typeof PARENT_ONLY | typeof IGNORED;

/** One lookup per init decides what a type is; an unknown type may still be a user's AsyncResource. */
const ROLE_BY_TYPE: ReadonlyMap<string, Role> = new Map<string, Role>([
  ...KIND_OF_TYPE,
  ...[...PARENT_ONLY_TYPES].map((type): [string, Role] => [type, PARENT_ONLY]),
  ...[...IGNORED_NODE_TYPES].map((type): [string, Role] => [type, IGNORED]),
]);
/**
 * Dead entries are dropped in batches. Early and often: an entry that survives a few scavenges is
 * promoted to the old generation with its captured stack, which made GC the largest cost on I/O.
 */
const FIRST_SWEEP_AT = 256;

/**
 * The async_hooks wiring: one instance per thread (see registry.ts).
 *
 * There is deliberately no `destroy` hook: on Node < 24.14 any destroy hook makes Node track every
 * promise for GC (docs/internals.md). Liveness is read off the resource itself when a test ends
 * (the kind table's `isRunning`), and dead entries are swept in batches. The hook never does async
 * work.
 */
export class ResourceHook {
  readonly storage: ScopeStorage = createScopeStorage();
  private readonly carriesScope = this.storage.propagatedByHook;
  readonly settings: HookSettings = { stackDepth: 10 };
  /** Tracked resources by asyncId; used to find the owner of a resource created with no store. */
  private readonly entries = new Map<number, Entry>();
  private nextSweepAt = FIRST_SWEEP_AT;
  /** Entries recorded since the last sweep of either kind (see `sweepRecent`). */
  private recent: Entry[] = [];
  /** A child's stdio pipes are created right after its process handle, in the same callback. */
  private lastProcess: { entry: Entry; executionId: number } | undefined;
  /** The init callback; also the boundary creation stacks are captured below. */
  private readonly onInit = (asyncId: number, type: string, triggerAsyncId: number, resource: object): void =>
    this.init(asyncId, type, triggerAsyncId, resource);
  /**
   * `trackPromises: false` (Node >= 24.14; ignored before) keeps promises from reaching the hook at
   * all. Only possible when AsyncLocalStorage needs no hook: where the hook carries the scope, it
   * must see every promise.
   */
  private readonly hook = createHook({
    init: this.onInit,
    ...(this.carriesScope ? {} : { trackPromises: false }),
  } as HookCallbacks);
  /**
   * Created only when promises are tracked (option `promises`): their promiseResolve, and their init
   * where the main hook does not see promises (Node 24+).
   */
  private promiseHook: AsyncHook | undefined;
  private promisesInMainHook = false;

  constructor() {
    patchNodeForObservability(
      () => (this.storage.getStore()?.ctx ?? null) !== null,
      () => this.settings.stackDepth + INTERNAL_FRAMES_ABOVE_USER,
    );
    this.hook.enable();
  }

  /** The entry of a tracked resource still in the table, by its asyncId. */
  entryById(asyncId: number): Entry | undefined {
    return this.entries.get(asyncId);
  }

  trackPromises(): void {
    if (this.promiseHook !== undefined) return;
    // Where the main hook already sees every promise (it carries the scope), it records them too: a
    // second init hook would cost every promise in the suite one more callback.
    this.promisesInMainHook = this.carriesScope;
    const onPromiseInit = (asyncId: number, type: string, triggerAsyncId: number, resource: object): void => {
      if (type !== 'PROMISE') return;
      const scope = this.storage.getStore();
      this.record(asyncId, type, triggerAsyncId, resource, scope, 'promise', onPromiseInit);
    };
    this.promiseHook = createHook({
      ...(this.promisesInMainHook ? {} : { init: onPromiseInit }),
      promiseResolve: (asyncId) => this.promiseResolve(asyncId),
    }).enable();
  }

  private init(asyncId: number, type: string, triggerAsyncId: number, resource: object): void {
    // Hot path: runs for every promise in the user's suite. Return before allocating anything.
    const carried = this.carriesScope ? carryScope(resource) : undefined;
    // Promises first, by identity of the interned type string: cheaper than the map lookup below.
    if (type === 'PROMISE') {
      if (this.promisesInMainHook)
        this.record(asyncId, type, triggerAsyncId, resource, carried, 'promise', this.onInit);
      return;
    }
    let role = ROLE_BY_TYPE.get(type);
    if (role === IGNORED) return;
    if (role === undefined) {
      if (!(resource instanceof AsyncResource)) return;
      role = 'custom';
    } else if ((role === 'socket' || role === 'pipe') && reusedHandleOf(resource) !== undefined) {
      // A keep-alive socket handed to another request: the same connection, already recorded.
      return;
    }
    this.record(
      asyncId,
      type,
      triggerAsyncId,
      resource,
      this.carriesScope ? carried : this.storage.getStore(),
      role,
      this.onInit,
    );
  }

  private record(
    asyncId: number,
    type: string,
    triggerAsyncId: number,
    resource: object,
    scope: Scope | undefined,
    role: Exclude<Role, typeof IGNORED>,
    /** The hook callback that called us: the stack is captured from its caller down. */
    hookCallback: (...args: never[]) => unknown,
  ): void {
    try {
      const trigger = this.entries.get(triggerAsyncId);
      let ctx: LeakContext | null;
      let phase: string;
      if (scope !== undefined) {
        ctx = scope.ctx;
        phase = scope.phase;
      } else if (trigger !== undefined && type !== 'PROMISE') {
        // No store: sockets accepted by a server, for one. They belong to whoever owns the server.
        // Not for promises: a runner awaiting the test's promise would otherwise be blamed on the test.
        ctx = trigger.ctx;
        phase = trigger.phase;
      } else {
        return;
      }
      if (ctx === null) return;
      // Link to the nearest ancestor still alive, so a self-rescheduling chain does not keep every
      // earlier link reachable.
      let parent = trigger;
      while (parent !== undefined && !isAlive(parent)) parent = parent.parent;
      if (type === 'PIPEWRAP' && this.lastProcess?.executionId === executionAsyncId()) {
        parent = this.lastProcess.entry;
      }
      if (parent !== undefined) parent.hasChildren = true;
      const parentOnly = role === PARENT_ONLY;
      const entry: Entry = {
        asyncId,
        type,
        // A connect request in flight: a request, kept only to link its socket's children to the test.
        kind: parentOnly ? 'request' : role,
        ctx,
        phase,
        resource: new WeakRef(resource),
        parent,
        createdAt: realClock.now(),
        parentOnly,
        hasChildren: false,
        settled: false,
      };
      if (hasOwnUserStack(type, scope, trigger)) {
        stacks.set(
          resource,
          captureStack(this.settings.stackDepth + INTERNAL_FRAMES_ABOVE_USER, hookCallback),
        );
      }
      if (type === 'PROCESSWRAP') this.lastProcess = { entry, executionId: executionAsyncId() };
      // Before the new entry joins: its handle is still being built, and reading its state (a
      // stream's `fd`) now crashes Node.
      if (this.entries.size >= this.nextSweepAt) this.sweep();
      this.entries.set(asyncId, entry);
      this.recent.push(entry);
      ctx.backlog ??= new Set();
      ctx.backlog.add(entry);
      if (ctx.kind === 'task') historyOf(ctx)?.push({ entry, resource });
    } catch (error) {
      reportInternalError(error, 'the async_hooks init callback');
    }
  }

  private promiseResolve(asyncId: number): void {
    const entry = this.entries.get(asyncId);
    if (entry !== undefined) entry.settled = true;
  }

  /** Drops entries whose resource is gone, so a long suite does not accumulate dead records. */
  sweep(): void {
    for (const entry of this.entries.values()) {
      if (!isAlive(entry)) this.forget(entry);
    }
    this.recent = [];
    this.nextSweepAt = Math.max(FIRST_SWEEP_AT, this.entries.size * 2);
  }

  /**
   * Lets go of the stacks of what was recorded since the last sweep and has ended already, whichever
   * context it belongs to: called after each test, when most of what it and the runner started for
   * it is done (a runner's timeout timer belongs to the file, not the test), so those stacks die
   * young instead of being carried through scavenges to the next batch sweep. The entries stay until
   * then: a resource created later may still name one as its trigger, and through it find its owner
   * and an ancestor's stack.
   */
  sweepRecent(): void {
    for (const entry of this.recent) {
      if (!isAlive(entry)) dropStack(entry);
    }
    this.recent = [];
  }

  /** Sweeps one context's backlog and returns what is still alive in it. */
  liveEntries(ctx: LeakContext): Entry[] {
    const live: Entry[] = [];
    const { backlog } = ctx;
    if (backlog === undefined) return live;
    for (const entry of backlog) {
      if (isAlive(entry)) live.push(entry);
      else this.forget(entry);
    }
    if (backlog.size === 0) ctx.backlog = undefined;
    return live;
  }

  private forget(entry: Entry): void {
    this.entries.delete(entry.asyncId);
    entry.ctx.backlog?.delete(entry);
    dropStack(entry);
  }
}

/**
 * An ended entry's stack is read again only for a child (borrowed by a report, or deciding runner
 * work) or for its task's tree. Without either it goes now, not when the resource is collected: a
 * WeakMap keeps the room its largest size needed, and a long file creates more between full collections.
 */
function dropStack(entry: Entry): void {
  if (entry.hasChildren || entry.ctx.kind === 'task') return;
  const resource = entry.resource.deref();
  if (resource !== undefined) stacks.delete(resource);
}
