/**
 * The few jest-circus shapes the environment touches, typed structurally so one build serves
 * Jest 29 and 30 without importing either version's `@jest/types`.
 */
export type CircusFn = (this: unknown, ...args: any[]) => unknown;

export interface CircusDescribeBlock {
  readonly name: string;
  readonly parent?: CircusDescribeBlock;
  readonly children: readonly (CircusTest | CircusDescribeBlock)[];
}

export interface CircusTest {
  readonly type: 'test';
  readonly name: string;
  readonly parent: CircusDescribeBlock;
  readonly concurrent: boolean;
  fn: CircusFn;
  errors: unknown[];
}

export interface CircusHook {
  readonly type: 'beforeAll' | 'beforeEach' | 'afterAll' | 'afterEach';
  fn: CircusFn;
}

export interface CircusEvent {
  readonly name: string;
  readonly test?: CircusTest;
  readonly hook?: CircusHook;
  readonly concurrent?: boolean;
}

export interface CircusState {
  readonly currentlyRunningTest?: CircusTest | null;
  readonly currentDescribeBlock: CircusDescribeBlock;
  readonly unhandledErrors: unknown[];
}

/** The options and docblock Jest hands every environment's constructor (29 and 30 alike). */
export interface EnvironmentConfig {
  readonly projectConfig: {
    readonly rootDir?: string;
    readonly testEnvironmentOptions?: Record<string, unknown>;
  };
}

export interface EnvironmentContext {
  readonly testPath: string;
  readonly docblockPragmas?: Record<string, string | string[]>;
  /** The file's console, set as its global `console`. */
  readonly console?: unknown;
}

const ROOT_BLOCK = 'ROOT_DESCRIBE_BLOCK';

/** `['cache', 'refreshes every second']`: describe names from the outside in, then the test's. */
export function titlePathOf(test: CircusTest): string[] {
  const path = [test.name];
  for (let block: CircusDescribeBlock | undefined = test.parent; block !== undefined; block = block.parent) {
    if (block.name !== ROOT_BLOCK) path.unshift(block.name);
  }
  return path;
}

/** The test object circus just created for an `add_test` event: the newest child of the open describe block. */
export function lastAddedTest(state: CircusState): CircusTest | undefined {
  const children = state.currentDescribeBlock.children;
  const last = children[children.length - 1];
  return last !== undefined && 'type' in last && last.type === 'test' ? last : undefined;
}
