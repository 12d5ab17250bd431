import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import { track } from '../src/index.js';
import { sleep } from './helpers.js';

const noop = () => {};

describe('the programmatic tracker, for code outside a test runner', () => {
  test('settled() resolves once everything the function started, through callbacks, has finished', async () => {
    let finished = false;
    const run = track('cell 1', () => {
      setTimeout(() => {
        setTimeout(() => {
          finished = true;
        }, 10);
      }, 5);
      return 'returned';
    });
    assert.equal(run.result, 'returned');
    assert.equal(run.pending().length, 1);
    const outcome = await run.settled({ timeoutMs: 5000 });
    assert.equal(outcome.settled, true);
    assert.equal(finished, true);
    const tree = run.tree({ colors: false });
    assert.match(tree, /^cell 1: started 2, 0 still pending/);
    assert.match(
      tree,
      /\n {2}settled setTimeout for 5 ms at test\/tracker\.test\.ts:\d+:\d+\n {4}settled setTimeout for 10 ms/,
    );
  });

  test('tree() still describes and places settled work after the garbage collector took it', async () => {
    const run = track('cell 4', () => {
      setTimeout(noop, 1);
    });
    await run.settled({ timeoutMs: 5000 });
    v8.setFlagsFromString('--expose-gc');
    // A WeakRef read in this turn keeps its target until the turn ends.
    await new Promise(setImmediate);
    (vm.runInNewContext('gc') as () => void)();
    assert.match(
      run.tree({ colors: false }),
      /\n {2}settled setTimeout for 1 ms at test\/tracker\.test\.ts:\d+:\d+$/,
    );
  });

  test('with a timeout, settled() reports what is still pending', async () => {
    let interval: NodeJS.Timeout | undefined;
    const run = track('cell 2', async () => {
      await sleep(1);
      interval = setInterval(noop, 1000);
    });
    await run.result;
    const outcome = await run.settled({ timeoutMs: 30 });
    const tree = run.tree({ colors: false });
    clearInterval(interval);
    assert.equal(outcome.settled, false);
    assert.deepEqual(
      outcome.pending.map((leak) => leak.description),
      ['setInterval every 1000 ms'],
    );
    assert.match(tree, /pending setInterval every 1000 ms at test\/tracker\.test\.ts/);
  });

  test('bad arguments say what to pass', () => {
    assert.throws(() => track('', noop), /needs a non-empty string label, e\.g\. track\("cell 3", run\)/);
    assert.throws(() => track('x', 42 as never), /needs a function to run/);
    assert.throws(() => track('x', noop, { stackDepth: -1 }), /option "stackDepth" in track\(\) options/);
  });
});
