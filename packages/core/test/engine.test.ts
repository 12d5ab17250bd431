import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { getEngine } from '../src/index.js';

const require = createRequire(import.meta.url);
const distCjs = fileURLToPath(new URL('../dist/index.cjs', import.meta.url));
const distEsm = new URL('../dist/index.js', import.meta.url).href;

/** Runs `source` in a new worker thread (an engine of its own) and returns what it posted, once it exited. */
async function messageFromWorker(source: string): Promise<Record<string, unknown>> {
  const worker = new Worker(source, { eval: true });
  const [message] = await Promise.all([
    new Promise((resolve) => worker.once('message', resolve)),
    new Promise((resolve) => worker.once('exit', resolve)),
  ]);
  return message as Record<string, unknown>;
}

describe('one hook per thread, however core is loaded', () => {
  test('source, ESM build, CJS build and a fresh module instance all share one engine', async () => {
    const fromSource = getEngine();
    const fromEsm = (await import(distEsm)).getEngine();
    const fromCjs = require(distCjs).getEngine();
    // A runner with its own module registry (Jest, Vitest) evaluates core again from scratch.
    delete require.cache[distCjs];
    const fromFreshInstance = require(distCjs).getEngine();
    assert.equal(fromEsm, fromSource);
    assert.equal(fromCjs, fromSource);
    assert.equal(fromFreshInstance, fromSource);
  });

  test('a worker thread gets an engine of its own: with mode off it hooks nothing, once on it finds the worker’s leaks', async () => {
    // This thread's engine is detecting already; a worker's starts afresh.
    const message = await messageFromWorker(`
      const { parentPort } = require('node:worker_threads');
      const { allowLeaks, getEngine, resolveOptions } = require(${JSON.stringify(distCjs)});
      const engine = getEngine();
      const off = resolveOptions({ mode: 'off' }, 'worker', {});
      engine.applySettings(off);
      const attempt = (fn) => { try { fn(); return 'ok'; } catch (error) { return error.message; } };
      const whileOff = { detecting: engine.detecting, allowLeaks: attempt(() => allowLeaks()) };
      const on = resolveOptions({}, 'worker', {});
      engine.applySettings(on);
      const ctx = engine.createContext({ title: 'in worker' });
      const interval = engine.run(ctx, () => setInterval(() => {}, 1000));
      engine.check(ctx, on).then((result) => {
        clearInterval(interval);
        parentPort.postMessage({
          whileOff,
          detecting: engine.detecting,
          found: { status: result.status, kinds: result.leaks.map((l) => l.kind), test: result.leaks[0]?.test },
          allowLeaksOutside: attempt(() => allowLeaks()),
        });
      });
    `);
    assert.deepEqual(message.whileOff, { detecting: false, allowLeaks: 'ok' });
    // A later caller with the mode on starts detection, and the usual rules apply again.
    assert.equal(message.detecting, true);
    assert.deepEqual(message.found, { status: 'leaked', kinds: ['interval'], test: 'in worker' });
    assert.match(String(message.allowLeaksOutside), /allowLeaks\(\) was called where no test is running/);
  });

  test('allowLeaks() where no adapter ever created an engine says so and where to call it', async () => {
    const message = await messageFromWorker(`
      const { parentPort } = require('node:worker_threads');
      const { allowLeaks } = require(${JSON.stringify(distCjs)});
      try { allowLeaks('interval'); parentPort.postMessage({ error: 'none' }); }
      catch (error) { parentPort.postMessage({ error: error.message }); }
    `);
    assert.equal(
      message.error,
      'loose-ends: allowLeaks() was called where no test is running (no loose-ends adapter is loaded in this process: ' +
        "in a test run, set up the one for your runner as its README says). Call it inside a test body or a beforeEach hook, or wrap the test function: test('…', leakAllowed(fn)).",
    );
  });
});

describe('start-up cost', () => {
  test('the report dependencies load only when a leak is reported, and slow built-ins not at all', () => {
    // Every test worker loads core (Vitest starts one per test file): a clean run must not pay for them.
    const fixture = fileURLToPath(new URL('./fixtures/report-dependencies.ts', import.meta.url));
    const output = execFileSync(process.execPath, ['--import', 'tsx', fixture], { encoding: 'utf8' });
    const after = (label: string) =>
      JSON.parse(
        output
          .split('\n')
          .find((line) => line.startsWith(`${label} `))!
          .slice(label.length + 1),
      );
    assert.deepEqual(after('AFTER-CLEAN'), { status: 'clean', loaded: [], builtins: [] });
    assert.deepEqual(after('AFTER-LEAK'), {
      status: 'leaked',
      loaded: ['stack-utils', '@babel/code-frame', 'picocolors'],
    });
  });
});
