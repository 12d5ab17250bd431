import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { describe, test } from 'node:test';
import { stripVTControlCharacters as plain } from 'node:util';
import { bindToContext, resolveOptions } from '../src/index.js';
import { detectingEngine, kinds, sleep } from './helpers.js';

const noop = () => {};
const options = resolveOptions({}, 'test options', {});

describe('attribution follows causality, not timing', () => {
  test('two interleaved contexts each get their own leaks', async () => {
    const engine = detectingEngine();
    const a = engine.createContext({ title: 'A' });
    const b = engine.createContext({ title: 'B' });
    let interval: NodeJS.Timeout | undefined;
    let timer: NodeJS.Timeout | undefined;
    await Promise.all([
      engine.run(a, async () => {
        await sleep(6);
        interval = setInterval(noop, 1000);
      }),
      engine.run(b, async () => {
        await sleep(2);
        timer = setTimeout(noop, 10_000);
        await sleep(8);
      }),
    ]);
    const [resultA, resultB] = [await engine.check(a, options), await engine.check(b, options)];
    clearInterval(interval);
    clearTimeout(timer);
    assert.deepEqual(kinds(resultA), ['interval']);
    assert.deepEqual(kinds(resultB), ['timeout']);
    assert.equal(resultA.leaks[0]!.test, 'A');
    assert.equal(resultB.leaks[0]!.test, 'B');
  });

  test("work scheduled by A's interval while B runs stays A's", async () => {
    const engine = detectingEngine();
    const a = engine.createContext({ title: 'A' });
    const b = engine.createContext({ title: 'B' });
    const later: NodeJS.Timeout[] = [];
    const interval = engine.run(a, () =>
      setInterval(() => {
        if (later.length === 0) later.push(setTimeout(noop, 10_000));
      }, 5),
    );
    await engine.run(b, () => sleep(30));
    const resultB = await engine.check(b, options);
    const resultA = await engine.check(a, options);
    clearInterval(interval);
    for (const timer of later) clearTimeout(timer);
    assert.equal(resultB.status, 'clean');
    assert.deepEqual(kinds(resultA), ['interval', 'timeout']);
    // The timeout was created by the interval's callback: it hangs under it in the causal tree.
    const timeout = resultA.leaks.find((leak) => leak.kind === 'timeout')!;
    const intervalLeak = resultA.leaks.find((leak) => leak.kind === 'interval')!;
    assert.equal(timeout.ancestry[0], intervalLeak.asyncId);
    assert.match(
      plain(resultA.error!.message),
      /- setInterval every 5 ms[\s\S]*\n {4}↳ setTimeout for 10000 ms/,
    );
  });

  test("a socket accepted by A's server belongs to A, even when B connected", async () => {
    const engine = detectingEngine();
    const a = engine.createContext({ title: 'A' });
    const b = engine.createContext({ title: 'B' });
    const accepted: net.Socket[] = [];
    const server = await engine.run(a, async () => {
      const s = net.createServer((socket) => accepted.push(socket));
      await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
      return s;
    });
    const { port } = server.address() as net.AddressInfo;
    await engine.run(b, async () => {
      const client = net.connect(port, '127.0.0.1');
      await once(client, 'connect');
      await sleep(5);
      client.destroy();
      await once(client, 'close');
    });
    const resultB = await engine.check(b, options);
    const resultA = await engine.check(a, options);
    for (const socket of accepted) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
    assert.equal(resultB.status, 'clean');
    assert.deepEqual(kinds(resultA), ['server']);
  });

  test('an accepted socket borrows the creation line of the listen() call', async () => {
    const engine = detectingEngine();
    const a = engine.createContext({ title: 'A' });
    const server = await engine.run(a, async () => {
      const s = net.createServer();
      await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
      return s;
    });
    const { port } = server.address() as net.AddressInfo;
    const client = engine.runOutside(() => net.connect(port, '127.0.0.1'));
    await Promise.all([once(client, 'connect'), once(server, 'connection')]);
    const result = await engine.check(a, options);
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
    assert.deepEqual(kinds(result), ['server', 'socket']);
    const socket = result.leaks.find((leak) => leak.kind === 'socket')!;
    assert.match(socket.where!, /attribution\.test\.ts:\d+:\d+/);
    assert.match(plain(result.error!.message), /- net\.Server listening[\s\S]*\n {4}↳ socket 127\.0\.0\.1/);
  });

  test("the runner's work after a callback-style done() is not blamed on the test", async () => {
    const engine = detectingEngine();
    const ctx = engine.createContext({ title: 'done-style' });
    let runnerTimer: NodeJS.Timeout | undefined;
    const testFn = (done: () => void) => {
      setTimeout(done, 5);
    };
    const wrapped = bindToContext(engine, ctx, testFn);
    assert.equal(wrapped.length, 1, 'arity is kept so the runner still sees a done-style test');
    await new Promise<void>((resolve) => {
      wrapped(() => {
        // What a runner does next: e.g. start the next hook's timeout timer.
        runnerTimer = setTimeout(noop, 10_000);
        resolve();
      });
    });
    const result = await engine.check(ctx, options);
    clearTimeout(runnerTimer);
    assert.equal(result.status, 'clean');
  });

  test('bindToContext keeps `this`, arguments and return values', async () => {
    const engine = detectingEngine();
    const ctx = engine.createContext({ title: 'this' });
    const self = { value: 42 };
    const wrapped = bindToContext(engine, ctx, function (this: typeof self) {
      return [this.value, engine.currentContext()?.title];
    });
    assert.deepEqual(wrapped.call(self), [42, 'this']);
    assert.equal(wrapped.length, 0);
    function* generator() {}
    assert.equal(bindToContext(engine, ctx, generator as never), generator, 'generators are left alone');
  });

  test('unref’d handles are not reported unless asked for', async () => {
    const engine = detectingEngine();
    const ctx = engine.createContext({ title: 'unref' });
    const interval = engine.run(ctx, () => setInterval(noop, 1000).unref());
    const quiet = await engine.check(ctx, options);
    const loud = await engine.check(ctx, resolveOptions({ reportUnref: true }, 'test options', {}));
    clearInterval(interval);
    assert.equal(quiet.status, 'clean');
    assert.deepEqual(kinds(loud), ['interval']);
    assert.equal(loud.leaks[0]!.refed, false);
  });

  test('resources created outside any context are never attributed', async () => {
    const engine = detectingEngine();
    const ctx = engine.createContext({ title: 'empty' });
    const interval = setInterval(noop, 1000);
    const result = await engine.check(ctx, options);
    clearInterval(interval);
    assert.equal(result.status, 'clean');
  });
});
