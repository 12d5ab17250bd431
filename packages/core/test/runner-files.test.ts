import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolveOptions } from '../src/index.js';
import { scheduleStatusUpdate } from './fixtures/runner-bookkeeping.js';
import { detectingEngine, kinds } from './helpers.js';

const noop = () => {};

/** Runs a test body that starts the runner's bookkeeping and one interval of its own, then checks it. */
async function check(runnerFiles: RegExp | undefined) {
  const engine = detectingEngine();
  const options = { ...resolveOptions({}, 'test options', {}), runnerFiles };
  const ctx = engine.createContext({ title: 'runner work', file: 'test' });
  const cleanups = engine.run(ctx, () => {
    const interval = setInterval(noop, 1000);
    return [scheduleStatusUpdate(), () => clearInterval(interval)];
  });
  // Counts the creation stacks formatted during the check (they are plain objects, not errors).
  const formatter = Error.prepareStackTrace;
  let stacksFormatted = 0;
  Error.prepareStackTrace = (error, callSites) => {
    if (!(error instanceof Error)) stacksFormatted++;
    return formatter?.(error, callSites);
  };
  try {
    const result = await engine.check(ctx, options);
    return { result, stacksFormatted };
  } finally {
    Error.prepareStackTrace = formatter;
    for (const cleanup of cleanups) cleanup();
  }
}

describe('runnerFiles: what the runner itself starts while a test runs', () => {
  test('is not reported, and its stack is never formatted (a runner formatter looks up source maps)', async () => {
    const { result, stacksFormatted } = await check(/runner-bookkeeping/);
    assert.deepEqual(kinds(result), ['interval']);
    assert.equal(stacksFormatted, 1, "only the test's own interval had its stack formatted");
    assert.match(
      result.leaks[0]!.where!,
      /runner-files\.test\.ts:\d+:\d+/,
      'the reported stack was formatted by the formatter in force, as V8 would have',
    );
  });

  test('without it, the same timer is the test’s', async () => {
    const { result } = await check(undefined);
    assert.deepEqual(kinds(result), ['interval', 'timeout']);
    const timer = result.leaks.find((leak) => leak.kind === 'timeout');
    assert.match(timer!.stack, /runner-bookkeeping\.ts/);
  });
});
