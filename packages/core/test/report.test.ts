import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { stripVTControlCharacters as plain } from 'node:util';
import {
  AsyncLeakError,
  addRetried,
  addToSummary,
  allowLeaks,
  createTestContext,
  emptySummary,
  finishRun,
  leakAllowed,
  mergeSummaries,
  renderLeaks,
  resolveOptions,
  tallyOf,
  verdictOf,
} from '../src/index.js';
import { formatSummary } from '../src/summary.js';
import { detectingEngine, kinds, runAsTest } from './helpers.js';

const noop = () => {};

describe('the report a developer acts on', () => {
  test('AsyncLeakError: count and kinds in the message, the creation line as the top stack frame', async () => {
    const { result } = await runAsTest('cache refreshes', () => {
      const interval = setInterval(noop, 1000);
      const timer = setTimeout(noop, 5000);
      return () => {
        clearInterval(interval);
        clearTimeout(timer);
      };
    });
    const error = result.error!;
    assert.ok(error instanceof AsyncLeakError);
    assert.equal(error.name, 'AsyncLeakError');
    assert.match(
      plain(error.message),
      /^Test "cache refreshes" left 2 async tasks running: 1 interval, 1 timeout\./,
    );
    assert.match(plain(error.message), /setInterval every 1000 ms — an interval is still scheduled\./);
    assert.match(plain(error.message), /Fix: keep the handle and call clearInterval\(handle\)/);
    const firstFrame = error.stack!.split('\n').find((line) => line.startsWith('    at '));
    assert.match(
      firstFrame!,
      /report\.test\.ts:\d+:\d+/,
      'no loose-ends or node: frames before the user line',
    );
    assert.equal(error.leaks.length, 2);
    const json = JSON.parse(JSON.stringify(error));
    assert.equal(json.test, 'cache refreshes');
    assert.deepEqual(json.leaks.map((leak: { kind: string }) => leak.kind).sort(), ['interval', 'timeout']);
  });

  test('the text rendering can carry a code frame of the creation line', async () => {
    const { result } = await runAsTest('framed', () => {
      const interval = setInterval(noop, 250); // the line the frame shows
      return () => clearInterval(interval);
    });
    const text = renderLeaks(result.leaks, { codeFrames: true, colors: false });
    assert.match(text, /> \d+ \|\s+const interval = setInterval\(noop, 250\); \/\/ the line the frame shows/);
  });

  test('the phase a leak was created in is named', async () => {
    const engine = detectingEngine();
    const ctx = engine.createContext({ title: 'hooked' });
    const interval = engine.run(ctx, () => setInterval(noop, 1000), 'beforeEach hook');
    const result = await engine.check(ctx, resolveOptions({}, 'test options', {}));
    clearInterval(interval);
    assert.equal(result.leaks[0]!.phase, 'beforeEach hook');
    assert.match(plain(result.error!.message), /Created in the beforeEach hook at /);
  });

  test('mode warn reports without failing; mode off does not look', async () => {
    const warn = await runAsTest(
      'warned',
      () => {
        const interval = setInterval(noop, 1000);
        return () => clearInterval(interval);
      },
      { mode: 'warn' },
    );
    assert.equal(warn.result.status, 'leaked');
    assert.equal(warn.result.shouldFail, false);
    assert.ok(warn.result.error);
    const off = await runAsTest(
      'off',
      () => {
        const interval = setInterval(noop, 1000);
        return () => clearInterval(interval);
      },
      { mode: 'off' },
    );
    assert.equal(off.result.status, 'off');
    assert.equal(off.result.leaks.length, 0);
  });

  test('a test can allow itself leaks: all, by kind, or by predicate', async () => {
    const byKind = await runAsTest('allows intervals', () => {
      allowLeaks('interval');
      const interval = setInterval(noop, 1000);
      const timer = setTimeout(noop, 5000);
      return () => {
        clearInterval(interval);
        clearTimeout(timer);
      };
    });
    assert.deepEqual(kinds(byKind.result), ['timeout']);
    assert.deepEqual(
      byKind.result.allowed.map((leak) => leak.kind),
      ['interval'],
    );

    const byPredicate = await runAsTest('allows long timers', () => {
      allowLeaks((leak) => leak.description.includes('5000'));
      const timer = setTimeout(noop, 5000);
      return () => clearTimeout(timer);
    });
    assert.equal(byPredicate.result.status, 'allowed');

    let interval: NodeJS.Timeout | undefined;
    const declared = await runAsTest(
      'declared',
      leakAllowed(() => {
        interval = setInterval(noop, 1000);
      }),
    );
    clearInterval(interval);
    assert.equal(declared.result.status, 'allowed');
    assert.equal(declared.result.shouldFail, false);
  });

  test('allowLeaks outside a test says where to call it', () => {
    detectingEngine();
    assert.throws(
      () => allowLeaks(),
      /allowLeaks\(\) was called where no test is running \(at module scope, in a describe body, or in code no test started\)\. Call it inside a test body or a beforeEach hook/,
    );
    assert.throws(() => allowLeaks([]), /allowLeaks\(filter\) takes nothing \(allow all\)/);
  });

  test('allowLeaks at module scope or in a describe body is an error; in a hook it is allowed', () => {
    const engine = detectingEngine();
    const file = engine.createContext({ kind: 'file', title: 'a.test.js' });
    assert.throws(
      () => engine.run(file, () => allowLeaks('interval'), 'module scope'),
      /allowLeaks\(\) was called where no test is running \(at module scope, in a describe body, or in code no test started\)\. Call it inside a test body/,
    );
    assert.doesNotThrow(() => engine.run(file, () => allowLeaks('interval'), 'beforeAll hook'));
    const test = engine.createContext({ title: 'hooked' });
    assert.doesNotThrow(() => engine.run(test, () => allowLeaks('server'), 'beforeEach hook'));
  });

  test('an unknown kind given to allowLeaks or leakAllowed is an error with a suggestion', () => {
    const engine = detectingEngine();
    const ctx = engine.createContext({ title: 'typo' });
    assert.throws(
      () => engine.run(ctx, () => allowLeaks('intervals' as 'interval')),
      (error: Error) =>
        error instanceof TypeError &&
        error.message.startsWith(
          'loose-ends: "intervals" is not a resource kind. Did you mean "interval"? ',
        ) &&
        error.message.includes(
          'allowLeaks(filter) takes nothing (allow all), one of the resource kinds (timeout, interval,',
        ),
    );
    assert.throws(
      () => leakAllowed(noop, ['server', 'sockets' as 'socket']),
      /"sockets" is not a resource kind\. Did you mean "socket"\? leakAllowed\(fn, filter\) takes/,
    );
    assert.throws(() => allowLeaks('tcpwrap' as 'TCPWRAP'), /Did you mean "TCPWRAP"\?/);
    // async_hooks types and names far from every kind (an AsyncResource of the user's own) are accepted.
    assert.doesNotThrow(() => engine.run(ctx, () => allowLeaks(['TCPWRAP', 'Timeout', 'MY_POOL_QUERY'])));
  });

  test('config-level ignores by kind, by raw type and by creation-stack pattern', async () => {
    const make = () => {
      const interval = setInterval(noop, 1000);
      const timer = setTimeout(noop, 5000);
      return () => {
        clearInterval(interval);
        clearTimeout(timer);
      };
    };
    const byKind = await runAsTest('ignore kind', make, { ignoreTypes: ['interval'] });
    assert.deepEqual(kinds(byKind.result), ['timeout']);
    const byType = await runAsTest('ignore type', make, { ignoreTypes: ['Timeout'] });
    assert.equal(byType.result.status, 'clean');
    const byStack = await runAsTest('ignore stack', make, { ignoreStacks: [/report\.test\.ts/] });
    assert.equal(byStack.result.status, 'clean');
  });

  test('promises are ignored by default and reported when asked for', async () => {
    const kept: Promise<void>[] = [];
    const quiet = await runAsTest('promise, default', () => {
      kept.push(new Promise(noop));
    });
    assert.equal(quiet.result.status, 'clean');
    const loud = await runAsTest(
      'promise, reported',
      () => {
        kept.push(new Promise(noop));
      },
      { promises: true },
    );
    assert.deepEqual(kinds(loud.result), ['promise']);
    assert.match(
      loud.result.leaks[0]!.where!,
      /report\.test\.ts:\d+:\d+/,
      'a promise leak points at its creation line',
    );
    const settled = await runAsTest('settled promise', () => Promise.resolve(1).then(noop), {
      promises: true,
    });
    assert.equal(settled.result.status, 'clean');
  });

  test('one summary line for a run', () => {
    const summary = emptySummary();
    addToSummary(summary, { status: 'clean', leaks: [] });
    assert.equal(formatSummary(summary), 'loose-ends: no async work left running (1 test checked).');
    addToSummary(summary, {
      status: 'leaked',
      leaks: [{ kind: 'interval' }, { kind: 'interval' }, { kind: 'server' }] as never,
    });
    assert.equal(
      formatSummary(summary),
      'loose-ends: 1 of 2 tests left 3 async tasks running (2 intervals, 1 server).',
    );
    addToSummary(summary, { status: 'leaked', kind: 'file', leaks: [{ kind: 'timeout' }] as never });
    assert.equal(
      formatSummary(summary),
      'loose-ends: 1 of 2 tests and 1 test file (module scope or before-all hooks) left 4 async tasks running (2 intervals, 1 timeout, 1 server).',
      'a leaking file is not counted as a test; kinds with equal counts keep a fixed order',
    );
  });

  test('a test counts once, by its last attempt; leaking attempts that were retried are said apart', () => {
    const summary = emptySummary();
    addRetried(summary, tallyOf({ status: 'leaked', leaks: [{ kind: 'interval' }] } as never, false));
    addRetried(summary, tallyOf({ status: 'clean', leaks: [] } as never, false));
    addToSummary(summary, { status: 'clean', leaks: [] });
    assert.equal(
      formatSummary(mergeSummaries([summary, emptySummary()])),
      'loose-ends: no async work left running (1 test checked). Each test is counted by its last attempt; 1 attempt that was retried also left work running.',
    );
  });
});

describe('the shared end of a run', () => {
  const leaked = (kind: string) => ({ status: 'leaked', leaks: [{ kind }] }) as never;

  test("a test's tally carries the attempts retried before it, each counted once", () => {
    const first = tallyOf(leaked('interval'), false);
    const second = tallyOf(leaked('server'), false);
    addRetried(second, first);
    const last = tallyOf({ status: 'clean', leaks: [] } as never, false);
    addRetried(last, second);
    assert.deepEqual([last.checked, last.leakyTests, last.leakyRetries], [1, 0, 2]);
  });

  test('finishRun: the line, the hint when no test was checked, nothing when every file was off', () => {
    const run = { runner: 'test', runnerVersion: undefined, root: process.cwd(), reportFile: undefined };
    const hint = 'Is the adapter set up?';
    assert.equal(
      finishRun(tallyOf(leaked('interval'), false), { ...run, noTestCheckedHint: hint }),
      'loose-ends: 1 of 1 test left 1 async task running (1 interval).',
    );
    assert.equal(
      finishRun(emptySummary(), { ...run, noTestCheckedHint: hint }),
      `loose-ends: no async work left running (0 tests checked). ${hint}`,
    );
    assert.equal(finishRun(emptySummary(), run), undefined);
    assert.equal(
      finishRun({ ...emptySummary(), filesOff: 2 }, { ...run, noTestCheckedHint: hint }),
      undefined,
    );
  });

  test("createTestContext: the runner's opt-out allows every leak, some kinds, or none", async () => {
    const engine = detectingEngine();
    const resolved = resolveOptions({ contain: 'none' }, 'test options', {});
    for (const [allow, status] of [
      [true, 'allowed'],
      ['interval', 'allowed'],
      [['server'], 'leaked'],
      [false, 'leaked'],
    ] as const) {
      const ctx = createTestContext(['polls'], 'test', allow);
      const interval = engine.run(ctx, () => setInterval(noop, 1000));
      const result = await engine.check(ctx, resolved);
      clearInterval(interval);
      assert.equal(result.status, status, `allow ${JSON.stringify(allow)}`);
    }
  });
});

describe('bounded reports', () => {
  test('leaks created at one place are one line with a count; past 20 groups, "and N more"', async () => {
    const timers: NodeJS.Timeout[] = [];
    const { result } = await runAsTest('10 000 timers', () => {
      for (let i = 0; i < 10_000; i++) timers.push(setTimeout(() => {}, 60_000));
      for (let i = 0; i < 25; i++) timers.push(setTimeout(() => {}, 70_000 + i));
      return () => timers.forEach(clearTimeout);
    });
    assert.equal(result.leaks.length, 10_025, 'every leak stays in the machine-readable list');
    const message = plain(result.error!.message);
    assert.match(message, /^ {2}- 10000 × setTimeout for 60000 ms — a timer is still pending\.$/m);
    assert.match(message, /^ {2}… and 6 more \(every leak is in the error's `leaks`\)\.$/m);
    assert.ok(message.split('\n').length < 100, `${message.split('\n').length} lines`);
  });
});

test('verdictOf: a failure in mode fail, a warning in mode warn, nothing for a clean result', () => {
  const error = new Error('Test "t" left 1 async task running: 1 interval.');
  assert.deepEqual(verdictOf({ error, shouldFail: true }), { failure: error });
  assert.deepEqual(verdictOf({ error, shouldFail: false }), {
    warning: 'loose-ends: warning: Test "t" left 1 async task running: 1 interval.',
  });
  assert.deepEqual(verdictOf({ error: undefined, shouldFail: false }), {});
});
