/**
 * The parts of Mocha's objects this adapter touches, typed structurally so the package does not
 * depend on one Mocha version's type definitions. Underscored fields are Mocha internals that have
 * been stable from Mocha 10 to 12; every use of them is guarded.
 */

export type RunnableFn = (this: any, ...args: any[]) => unknown;

export interface MochaSuite {
  title: string;
  file?: string;
  root?: boolean;
  parent?: MochaSuite;
  suites: MochaSuite[];
  tests?: MochaTest[];
  _beforeAll?: MochaHook[];
  _afterAll?: MochaHook[];
  _beforeEach?: MochaHook[];
  _afterEach?: MochaHook[];
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

export interface MochaHook extends MochaRunnable {
  /** Records an error that the runner then reports as the current test's failure (`Runner#hook`). */
  error?(err?: unknown): unknown;
}

/** `this` inside a root hook. */
export interface HookContext {
  currentTest?: MochaTest;
  test?: MochaHook;
  runnable?(): MochaHook;
}

export interface MochaRootHooks {
  beforeAll: RunnableFn;
  beforeEach: RunnableFn;
  afterEach: RunnableFn;
}

/** What Mocha looks for in a module given to `--require`: a root hook plugin and global fixtures. */
export interface MochaPlugin {
  mochaHooks: MochaRootHooks;
  mochaGlobalSetup: () => void;
  mochaGlobalTeardown: () => void;
}
