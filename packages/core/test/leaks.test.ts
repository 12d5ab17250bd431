import assert from 'node:assert/strict';
import { AsyncResource } from 'node:async_hooks';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { startPolling } from './fixtures/polling-helper.js';
import { kinds, runAsTest, sleep } from './helpers.js';

const here = path.basename(fileURLToPath(import.meta.url));
const noop = () => {};

/**
 * Each resource kind: the leaky version is reported with the right kind, description and creation
 * line; its cleaned-up twin is not reported.
 */
describe('each kind of leftover work is found, and its cleaned-up twin is not', () => {
  test('setTimeout', async () => {
    const leaky = await runAsTest('leaky timeout', () => {
      const timer = setTimeout(noop, 10_000);
      return () => clearTimeout(timer);
    });
    assert.deepEqual(kinds(leaky.result), ['timeout']);
    assert.equal(leaky.result.leaks[0]!.description, 'setTimeout for 10000 ms');
    assert.match(leaky.result.leaks[0]!.where!, new RegExp(`${here}:\\d+:\\d+`));
    assert.equal(leaky.result.shouldFail, true);

    const clean = await runAsTest('clean timeout', async () => {
      await sleep(5);
      clearTimeout(setTimeout(noop, 10_000));
    });
    assert.equal(clean.result.status, 'clean');
  });

  test('setInterval', async () => {
    const leaky = await runAsTest('leaky interval', () => {
      const interval = setInterval(noop, 1000);
      return () => clearInterval(interval);
    });
    assert.deepEqual(kinds(leaky.result), ['interval']);
    assert.equal(leaky.result.leaks[0]!.description, 'setInterval every 1000 ms');
    assert.match(leaky.result.leaks[0]!.hint, /clearInterval/);

    const clean = await runAsTest('clean interval', () => clearInterval(setInterval(noop, 1000)));
    assert.equal(clean.result.status, 'clean');
  });

  test('self-rescheduling setImmediate', async () => {
    const leaky = await runAsTest(
      'leaky immediate loop',
      () => {
        let stopped = false;
        const tick = () => {
          if (!stopped) setImmediate(tick);
        };
        tick();
        return () => {
          stopped = true;
        };
      },
      { graceMs: 20 },
    );
    assert.deepEqual(kinds(leaky.result), ['immediate']);

    const clean = await runAsTest('bounded immediate loop', async () => {
      for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
    });
    assert.equal(clean.result.status, 'clean');
  });

  test('net.Server', async () => {
    const leaky = await runAsTest('leaky net server', async () => {
      const server = net.createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return () => new Promise((resolve) => server.close(resolve));
    });
    assert.deepEqual(kinds(leaky.result), ['server']);
    assert.match(leaky.result.leaks[0]!.description, /^net\.Server listening on 127\.0\.0\.1:\d+$/);
    // listen() on a host completes a tick later; the stack must still lead to the listen() call.
    assert.match(leaky.result.leaks[0]!.where!, new RegExp(`${here}:\\d+:\\d+`));

    const clean = await runAsTest('clean net server', async () => {
      const server = net.createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      await new Promise((resolve) => server.close(resolve));
    });
    assert.equal(clean.result.status, 'clean');
  });

  test('http.Server with a keep-alive connection', async () => {
    const leaky = await runAsTest('leaky http server', async () => {
      const server = http.createServer((_req, res) => res.end('ok'));
      await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
      return () => new Promise((resolve) => server.close(resolve));
    });
    assert.deepEqual(kinds(leaky.result), ['server']);
    assert.match(leaky.result.leaks[0]!.description, /^http\.Server listening on /);
    assert.match(leaky.result.leaks[0]!.where!, new RegExp(`${here}:\\d+:\\d+`));

    const clean = await runAsTest('clean http server', async () => {
      const server = http.createServer((_req, res) => res.end('ok'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as net.AddressInfo;
      const agent = new http.Agent({ keepAlive: true });
      const res = await new Promise<http.IncomingMessage>((resolve) =>
        http.get({ host: '127.0.0.1', port, agent }, resolve),
      );
      res.resume();
      await once(res, 'end');
      agent.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });
    assert.equal(clean.result.status, 'clean');
  });

  test('client socket', async () => {
    const accepted: net.Socket[] = [];
    const server = net.createServer((socket) => accepted.push(socket.on('error', noop)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      const leaky = await runAsTest('leaky client socket', async () => {
        const socket = net.connect(port, '127.0.0.1');
        await once(socket, 'connect');
        return () => socket.destroy();
      });
      assert.deepEqual(kinds(leaky.result), ['socket']);
      assert.match(leaky.result.leaks[0]!.description, /^socket 127\.0\.0\.1:\d+ → 127\.0\.0\.1:\d+$/);

      const clean = await runAsTest('clean client socket', async () => {
        const socket = net.connect(port, '127.0.0.1');
        await once(socket, 'connect');
        socket.destroy();
        await once(socket, 'close');
      });
      assert.equal(clean.result.status, 'clean');
    } finally {
      for (const socket of accepted) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('child_process.spawn', async () => {
    const script = 'setTimeout(() => {}, 20000)';
    const leaky = await runAsTest('leaky child', () => {
      const child = spawn(process.execPath, ['-e', script]);
      return async () => {
        child.kill();
        await once(child, 'exit');
      };
    });
    // The child's stdio pipes are part of the child, not separate leaks.
    assert.deepEqual(kinds(leaky.result), ['child-process']);
    assert.match(leaky.result.leaks[0]!.description, /^child process pid \d+: .*node.* -e setTimeout/);
    assert.match(leaky.result.leaks[0]!.hint, /child\.kill\(\)/);

    const clean = await runAsTest('clean child', async () => {
      const child = spawn(process.execPath, ['-e', 'process.exit(0)']);
      await once(child, 'close');
    });
    assert.equal(clean.result.status, 'clean');
  });

  test('fs.watch', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loose-ends-watch-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const leaky = await runAsTest('leaky watcher', () => {
      const watcher = fs.watch(dir);
      return () => watcher.close();
    });
    assert.deepEqual(kinds(leaky.result), ['fs-watcher']);
    assert.match(leaky.result.leaks[0]!.hint, /watcher\.close\(\)/);

    const clean = await runAsTest('clean watcher', () => fs.watch(dir).close());
    assert.equal(clean.result.status, 'clean');
  });

  test('fs.watchFile', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loose-ends-watchfile-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'f.txt');
    fs.writeFileSync(file, 'x');
    const listener = noop;
    const leaky = await runAsTest('leaky watchFile', () => {
      fs.watchFile(file, { interval: 50 }, listener);
      return () => fs.unwatchFile(file, listener);
    });
    assert.deepEqual(kinds(leaky.result), ['stat-watcher']);

    const clean = await runAsTest('clean watchFile', () => {
      fs.watchFile(file, { interval: 50 }, listener);
      fs.unwatchFile(file, listener);
    });
    assert.equal(clean.result.status, 'clean');
  });

  test('Worker', async () => {
    const code = 'setInterval(() => {}, 1000)';
    const leaky = await runAsTest('leaky worker', async () => {
      const worker = new Worker(code, { eval: true });
      await once(worker, 'online');
      return () => worker.terminate();
    });
    assert.deepEqual(kinds(leaky.result), ['worker']);
    assert.match(leaky.result.leaks[0]!.description, /^Worker thread \(threadId \d+\)$/);

    const clean = await runAsTest('clean worker', async () => {
      const worker = new Worker(code, { eval: true });
      await once(worker, 'online');
      await worker.terminate();
    });
    assert.equal(clean.result.status, 'clean');
  });

  test('custom AsyncResource, with asyncResources: true', async () => {
    const kept: AsyncResource[] = [];
    const leaky = await runAsTest(
      'leaky async resource',
      () => {
        kept.push(new AsyncResource('DatabaseQuery'));
        return () => kept.pop()?.emitDestroy();
      },
      { asyncResources: true },
    );
    assert.deepEqual(kinds(leaky.result), ['custom']);
    assert.equal(leaky.result.leaks[0]!.description, 'AsyncResource "DatabaseQuery"');
    assert.equal(leaky.result.leaks[0]!.type, 'DatabaseQuery');

    const clean = await runAsTest(
      'clean async resource',
      () => {
        const resource = new AsyncResource('DatabaseQuery');
        kept.push(resource);
        resource.emitDestroy();
      },
      { asyncResources: true },
    );
    assert.equal(clean.result.status, 'clean');
  });

  test('floating promise chain waiting on a timer', async () => {
    let release = noop;
    const leaky = await runAsTest('floating chain', () => {
      void (async () => {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 10_000);
          release = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      })();
      return () => release();
    });
    assert.deepEqual(kinds(leaky.result), ['timeout']);
    assert.match(leaky.result.leaks[0]!.where!, new RegExp(`${here}:\\d+:\\d+`));

    const clean = await runAsTest('awaited chain', async () => {
      await (async () => {
        await sleep(5);
      })();
    });
    assert.equal(clean.result.status, 'clean');
  });

  test('two-hop chain: an immediate that starts an interval', async () => {
    let interval: NodeJS.Timeout | undefined;
    const leaky = await runAsTest('two hops', async () => {
      setImmediate(() => {
        interval = setInterval(noop, 1000);
      });
      return () => clearInterval(interval);
    });
    assert.deepEqual(kinds(leaky.result), ['interval']);
    assert.equal(leaky.result.leaks[0]!.test, 'two hops');

    const clean = await runAsTest('two hops, cleaned', async () => {
      await new Promise<void>((resolve) =>
        setImmediate(() => {
          clearInterval(setInterval(noop, 1000));
          resolve();
        }),
      );
    });
    assert.equal(clean.result.status, 'clean');
  });

  test('a leak created inside a helper module points at the helper', async () => {
    const leaky = await runAsTest('helper leak', () => {
      const interval = startPolling(noop);
      return () => clearInterval(interval);
    });
    assert.deepEqual(kinds(leaky.result), ['interval']);
    assert.match(leaky.result.leaks[0]!.where!, /polling-helper\.ts:\d+:\d+/);
    assert.match(leaky.result.leaks[0]!.stack, new RegExp(here));

    const clean = await runAsTest('helper, cleaned', () => clearInterval(startPolling(noop)));
    assert.equal(clean.result.status, 'clean');
  });
});
