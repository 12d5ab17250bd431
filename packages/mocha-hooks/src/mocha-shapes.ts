/**
 * The parts of Mocha's objects this adapter touches, typed structurally so the package does not
 * depend on one Mocha version's type definitions. Mocha's internals are typed, and used, in
 * mocha-internals.ts only.
 */

export type RunnableFn = (this: any, ...args: any[]) => unknown;

export interface MochaSuite {
  title: string;
  file?: string;
  parent?: MochaSuite;
  suites: MochaSuite[];
  afterAll(title: string, fn: RunnableFn): unknown;
}

export interface MochaRunnable {
  title: string;
  fn?: RunnableFn;
  file?: string;
  parent?: MochaSuite;
  /** `passed`, `failed`, `pending`, or unset while running (and for a failed attempt that is retried). */
  state?: string;
  fullTitle(): string;
  titlePath?(): string[];
}

export interface MochaTest extends MochaRunnable {
  /** The attempt this is, from 0; with a number, sets it. */
  currentRetry?(attempt?: number): number;
  /** How many times the test may be retried (`this.retries(n)`, `--retries n`). */
  retries?(): number;
  /** The next attempt: a copy of the test with the same function, context and retry count. */
  clone?(): MochaTest;
}

export type MochaHook = MochaRunnable;

/** `this` inside a root hook. */
export interface HookContext {
  test?: MochaHook;
  runnable?(): MochaHook;
}

export interface MochaRootHooks {
  beforeAll: RunnableFn;
}

/** What Mocha looks for in a module given to `--require`: a root hook plugin and global fixtures. */
export interface MochaPlugin {
  mochaHooks: MochaRootHooks;
  mochaGlobalSetup: () => void;
  mochaGlobalTeardown: () => void;
}
