import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { dropOwnFrames } from '@loose-ends/core';

/**
 * Every part of Jest this package relies on beyond the documented environment and reporter
 * methods, in one place: what it is, where it is known (the peer range is Jest 28–30;
 * `test/older-jest.test.ts` runs the smoke suite on 28 and 29, the other tests run Jest 30), and
 * what happens where it is missing. Nothing missing may let a test pass silently: the work a
 * missing piece would have placed falls to the file's context, which fails the file, or the
 * environment's `teardown` says what was not checked (`uncheckedReason`).
 *
 * jest-circus events, through the environment's `handleTestEvent` (28–30), and its state:
 * - No event at all (another `testRunner`, such as jest-jasmine2): `teardown` says the file was not checked.
 * - `add_test` with `concurrent` (29): Jest 29 calls a `test.concurrent` function before its
 *   `test_start`, so it is wrapped at definition, found as the newest child of
 *   `state.currentDescribeBlock`. Missing: that work falls to the file.
 * - `test_start` and a writable `test.fn`, read when circus calls it: the test runs wrapped in its
 *   context. Missing: tests run unwrapped, and what they leave fails the file.
 * - `hook_start` with a writable `hook.fn`, and `state.currentlyRunningTest`: each hook runs under
 *   its test's context, or the file's for `beforeAll`/`afterAll`. Missing: the hook's work falls to the file.
 * - `test_done`, after every `afterEach` hook, and `test.errors` (entries alone or as circus's
 *   `[error, asyncError]` pairs): the verdict is pushed there, so circus fails the test and
 *   `retryTimes` sees it. A retry runs the same test object again. Missing: `teardown` says tests
 *   were started and never checked.
 * - `run_finish` and `state.unhandledErrors`: the file's check; its failure shows as "Test suite
 *   failed to run". Missing after tests ran: `teardown` says the file's scope was not checked.
 *
 * Jest's runtime:
 * - `getVmContext()`, called right before each module is evaluated, first outside any test: the
 *   file's module scope starts there (environment.ts). Missing: `teardown` says module scope was not checked.
 * - `EnvironmentContext.docblockPragmas` (28–30): the `@loose-ends off|warn|fail` pragma. Missing:
 *   the pragma is ignored, so the file is checked with the config's mode.
 * - `EnvironmentContext.console` with `_buffer` (the default BufferedConsole) or `_formatBuffer`
 *   (CustomConsole, `--verbose`) (28–30): late-logs.ts adds the note naming the test that started
 *   the work to a line logged after it ended. Missing: the line shows without the note; no
 *   verdict depends on it.
 *
 * Reporter (reporter.ts), in Jest's main process (28–30):
 * - `onTestFileStart(test)` with `test.context.config`: options checked once, before any file
 *   runs. Missing: each file's environment fails that file with the same error.
 * - `onRunComplete(testContexts)` with each `context.config.testEnvironmentOptions`, and
 *   `jest/package.json` resolvable from `rootDir` (the report's `runnerVersion`). Missing: no
 *   summary line or report file (the environment says so when `reportFile` is set); verdicts are
 *   given by the environment either way.
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

/** A project's config as the environment (constructor) and the reporter see it. */
export interface ProjectConfigLike {
  readonly rootDir?: string;
  readonly testEnvironmentOptions?: Record<string, unknown>;
}

/** The options and file Jest hands every environment's constructor. */
export interface EnvironmentConfig {
  readonly projectConfig: ProjectConfigLike;
}

export interface EnvironmentContext {
  readonly testPath: string;
  readonly docblockPragmas?: Record<string, string | string[]>;
  /** The file's console, set as its global `console`. */
  readonly console?: unknown;
}

/** A reporter's view of a project (`onRunComplete`) and of a file about to run (`onTestFileStart`). */
export interface TestContextLike {
  readonly config?: ProjectConfigLike;
}

export interface TestFileLike {
  readonly context?: TestContextLike;
}

/** Jest's own files: what they create while a test or file runs (circus's promises) is the runner's. */
export const JEST_FILES =
  /[\\/]node_modules[\\/](?:jest-circus|jest-runner|jest-runtime|@jest[\\/][^\\/]+)[\\/]/;

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

/** Our wrapper's frames out of the stacks Jest prints under a failure (`test.errors`, `state.unhandledErrors`). */
export function dropOwnFramesFrom(errors: readonly unknown[]): void {
  for (const entry of errors) {
    if (Array.isArray(entry)) for (const error of entry) dropOwnFrames(error);
    else dropOwnFrames(entry);
  }
}

/** What the environment saw of circus in one file, for `uncheckedReason`. */
export interface CircusProgress {
  events: number;
  moduleScopeEntered: boolean;
  testsStarted: number;
  testsChecked: number;
  fileChecked: boolean;
}

/**
 * What of a file went unchecked because Jest did not do what this package relies on, said in
 * `teardown`; `undefined` when everything that ran was checked. A file that failed to load stops
 * before its tests: the file's failure says that, and nothing more is said here.
 */
export function uncheckedReason(seen: CircusProgress): string | undefined {
  if (seen.events === 0)
    return "no jest-circus event reached the test environment: a setup file failed, or the testRunner is not jest-circus (Jest's default), which loose-ends needs";
  if (seen.testsStarted > 0 && seen.testsChecked === 0)
    return 'Jest started tests (test_start) but never said they were done (test_done)';
  if (seen.testsChecked > 0 && !seen.fileChecked)
    return "Jest never said the file's tests were all done (run_finish): its module scope and beforeAll/afterAll hooks";
  if (seen.testsChecked > 0 && !seen.moduleScopeEntered)
    return 'Jest evaluated the file without asking for its vm context (getVmContext): its module scope';
  return undefined;
}

/** The Jest the run uses, for the report file, as resolved from the project, else from here. */
export function jestVersion(rootDir: string): string | undefined {
  for (const from of [path.join(rootDir, 'package.json'), import.meta.url]) {
    try {
      const manifest = createRequire(from).resolve('jest/package.json');
      return (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version;
    } catch {
      // Jest run through jest-cli or another wrapper: try the next place, else leave it unnamed.
    }
  }
  return undefined;
}
