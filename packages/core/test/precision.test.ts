import assert from 'node:assert/strict';
import { AsyncResource } from 'node:async_hooks';
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { describe, test } from 'node:test';
import timers from 'node:timers';
import { stripVTControlCharacters as plain } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { getEngine, resolveOptions } from '../src/index.js';
import { kinds, runAsTest } from './helpers.js';

const noop = () => {};

async function listening(handler: http.RequestListener = (_req, res) => res.end('ok')): Promise<http.Server> {
  const server = http.createServer(handler).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

const portOf = (server: net.Server) => (server.address() as net.AddressInfo).port;

function get(port: number, agent: http.Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, agent }, (res) => res.resume().on('end', resolve))
      .on('error', reject);
  });
}

/** What real suites showed: work that cannot run any more is never reported. */
describe('only work that can still run is reported', () => {
  test('an AsyncResource that only carries a context is not a leak by default', async () => {
    const kept: AsyncResource[] = [];
    const { result } = await runAsTest('context carrier', () => {
      kept.push(new AsyncResource('on-finished'));
    });
    assert.equal(result.status, 'clean');
  });

  test('a timer created under an AsyncResource still names it as a parent', async () => {
    const { result } = await runAsTest('timer under a carrier', () => {
      const carrier = new AsyncResource('QueuedRequest');
      const timer = carrier.runInAsyncScope(() => setTimeout(noop, 10_000));
      return () => clearTimeout(timer);
    });
    assert.deepEqual(kinds(result), ['timeout']);
    assert.equal(result.leaks[0]!.ancestry.length, 1);
  });

  test('a keep-alive socket reused by several requests is one socket, and not a leak once idle', async () => {
    const server = await listening();
    const agent = new http.Agent({ keepAlive: true });
    const { result } = await runAsTest('keep-alive reuse', async () => {
      for (let i = 0; i < 4; i++) await get(portOf(server), agent);
    });
    assert.equal(result.status, 'clean', JSON.stringify(result.leaks.map((leak) => leak.description)));
    agent.destroy();
    server.close();
  });

  test('requests queued by maxSockets leave nothing behind', async () => {
    const server = await listening();
    const { result } = await runAsTest('queued requests', async () => {
      const agent = new http.Agent({ maxSockets: 1 });
      await Promise.all([get(portOf(server), agent), get(portOf(server), agent), get(portOf(server), agent)]);
      agent.destroy();
    });
    assert.equal(result.status, 'clean', JSON.stringify(result.leaks.map((leak) => leak.description)));
    server.close();
  });

  test('a client socket whose host lookup never answers holds no descriptor and is not reported', async () => {
    const sockets: net.Socket[] = [];
    const { result } = await runAsTest('lookup never answers', () => {
      sockets.push(net.connect({ host: 'example.invalid', port: 1, lookup: noop as never }));
    });
    assert.equal(result.status, 'clean', JSON.stringify(result.leaks.map((leak) => leak.description)));
    for (const socket of sockets) socket.destroy();
  });

  test('a timer due within the grace period is waited for, one due later is reported at once', async () => {
    // Due after the few event-loop turns that closing handles need: counting turns alone misses it.
    const soon = await runAsTest('cleanup timer due in 30 ms', () => {
      setTimeout(noop, 30);
    });
    assert.equal(soon.result.status, 'clean');

    const started = performance.now();
    const later = await runAsTest('timer due in 5 s', () => {
      const timer = setTimeout(noop, 5000);
      return () => clearTimeout(timer);
    });
    assert.deepEqual(kinds(later.result), ['timeout']);
    assert.ok(
      performance.now() - started < 4000,
      'the check did not wait for a timer due after the grace period',
    );
  });

  test('graceMs: 0 reports a timer due a moment later', async () => {
    const { result } = await runAsTest(
      'timer due in 50 ms, no grace',
      () => {
        const timer = setTimeout(noop, 50);
        return () => clearTimeout(timer);
      },
      { graceMs: 0 },
    );
    assert.deepEqual(kinds(result), ['timeout']);
  });

  test('promises: true reports no promise that nothing keeps', async () => {
    const dropped = await runAsTest(
      'dropped promise',
      () => {
        new Promise(noop);
      },
      { promises: true },
    );
    assert.equal(dropped.result.status, 'clean');

    const kept: Promise<unknown>[] = [];
    const pending = await runAsTest(
      'kept promise',
      () => {
        kept.push(new Promise(noop));
      },
      { promises: true },
    );
    assert.deepEqual(kinds(pending.result), ['promise']);
  });

  test('nothing loose-ends keeps holds a resource the test dropped', async () => {
    const registry = new FinalizationRegistry<string>(() => {
      collected = true;
    });
    let collected = false;
    const engine = getEngine();
    const options = resolveOptions({}, 'test options', {});
    engine.applySettings(options);
    const ctx = engine.createContext({ title: 'collectable' });
    await engine.run(ctx, async () => {
      (() => {
        // Created in a constructor: the timer's creation stack has the request as a frame's receiver.
        class Request {
          readonly body = Buffer.alloc(1024);
          readonly timer = setTimeout(noop, 10_000);
        }
        const request = new Request();
        registry.register(request, 'request');
        clearTimeout(request.timer);
      })();
      v8.setFlagsFromString('--expose-gc');
      const gc = vm.runInNewContext('gc') as () => void;
      for (let i = 0; i < 20 && !collected; i++) {
        gc();
        await new Promise((resolve) => timers.setImmediate(resolve));
      }
    });
    assert.equal(collected, true, 'the request was collected while the test ran');
    assert.equal((await engine.check(ctx, options)).status, 'clean');
  });
});

test('a resource whose state cannot be read fails closed: reported, with a note, no internal error', async () => {
  let timer: NodeJS.Timeout | undefined;
  const { result } = await runAsTest('unreadable interval', () => {
    timer = setInterval(noop, 1000);
    timer.hasRef = () => {
      throw new Error('hasRef boom');
    };
    return () => clearInterval(timer);
  });
  assert.deepEqual(kinds(result), ['interval']);
  assert.equal(result.shouldFail, true);
  assert.match(
    plain(result.error!.message),
    /Note: its state could not be read \(Error: hasRef boom\), so it counts as still running\./,
  );
});

test('a synchronous crypto call leaves nothing in flight', async () => {
  const { randomBytes, pbkdf2Sync } = await import('node:crypto');
  const { result } = await runAsTest('sync crypto', () => {
    randomBytes(16);
    pbkdf2Sync('secret', 'salt', 1, 16, 'sha256');
  });
  assert.equal(result.status, 'clean', JSON.stringify(result.leaks.map((leak) => leak.description)));
});

test('a chain of immediates is waited for while it makes progress; an endless one is reported', async () => {
  const finite = await runAsTest('a queue processed one turn at a time', () => {
    let left = 200;
    const next = () => {
      if (--left > 0) setImmediate(next);
    };
    setImmediate(next);
  });
  assert.equal(finite.result.status, 'clean');

  // Each step busy for 5 ms, 40 steps: the queue runs twice the grace period, and progresses all along.
  const busy = await runAsTest(
    'a queue whose steps take a while, as on a busy machine',
    () => {
      let left = 40;
      const next = () => {
        const until = performance.now() + 5;
        while (performance.now() < until);
        if (--left > 0) setImmediate(next);
      };
      setImmediate(next);
    },
    { graceMs: 100 },
  );
  assert.equal(busy.result.status, 'clean');

  // graceMs 20: an endless chain is reported once BUSY_GRACE_PERIODS of them have passed.
  const endless = await runAsTest(
    'an endless immediate loop',
    () => {
      let stopped = false;
      const next = () => {
        if (!stopped) setImmediate(next);
      };
      setImmediate(next);
      return () => {
        stopped = true;
      };
    },
    { graceMs: 20 },
  );
  assert.deepEqual(kinds(endless.result), ['immediate']);
});
