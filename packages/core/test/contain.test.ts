import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { describe, test } from 'node:test';
import { runAsTest } from './helpers.js';

const noop = () => {};

/** After a leak is reported, it is taken out of the run (option `contain`), never throwing. */
describe('containment of reported leaks', () => {
  test("contain: 'close' (the default in mode fail) clears an interval and closes a server", async () => {
    let interval: NodeJS.Timeout | undefined;
    let server: net.Server | undefined;
    const { result } = await runAsTest('leaks an interval and a server', async () => {
      interval = setInterval(noop, 1000);
      server = net.createServer().listen(0, '127.0.0.1');
      await once(server, 'listening');
    });
    assert.equal(result.status, 'leaked');
    assert.match(result.error!.message, /has cleared, closed or killed these/);
    assert.equal((interval as unknown as { _destroyed: boolean })._destroyed, true);
    assert.equal(server!.listening, false);
  });

  test('a child process that ignores SIGTERM is killed with SIGKILL', async () => {
    let child: ReturnType<typeof spawn> | undefined;
    const { result } = await runAsTest('leaks a stubborn child', async () => {
      child = spawn(process.execPath, [
        '-e',
        "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); console.log('ready')",
      ]);
      await once(child.stdout!, 'data');
    });
    assert.equal(result.status, 'leaked');
    const [code, signal] = await once(child!, 'exit');
    assert.equal(code, null);
    assert.equal(signal, 'SIGKILL');
  });

  test("contain: 'unref' lets the process exit and closes nothing; 'none' leaves it be", async () => {
    let timer: NodeJS.Timeout | undefined;
    const unrefd = await runAsTest(
      'unref policy',
      () => {
        timer = setInterval(noop, 1000);
        return () => clearInterval(timer);
      },
      { contain: 'unref' },
    );
    assert.equal(unrefd.result.status, 'leaked');
    assert.equal(timer!.hasRef(), false);

    const untouched = await runAsTest(
      'none policy',
      () => {
        timer = setInterval(noop, 1000);
        return () => clearInterval(timer);
      },
      { contain: 'none' },
    );
    assert.equal(untouched.result.status, 'leaked');
    assert.equal(timer!.hasRef(), true);
    assert.doesNotMatch(untouched.result.error!.message, /loose-ends has/);
  });

  test('mode warn leaves leaks alone unless contain is given', async () => {
    let timer: NodeJS.Timeout | undefined;
    const { result } = await runAsTest(
      'warn mode',
      () => {
        timer = setInterval(noop, 1000);
        return () => clearInterval(timer);
      },
      { mode: 'warn' },
    );
    assert.equal(result.status, 'leaked');
    assert.equal(timer!.hasRef(), true);
  });

  test('a resource whose close throws is named in the report, and the check goes on', async () => {
    let socket: net.Socket | undefined;
    const server = net.createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { result } = await runAsTest('close throws', async () => {
      socket = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
      await once(socket, 'connect');
      socket.destroy = () => {
        throw new Error('destroy boom');
      };
    });
    assert.equal(result.status, 'leaked');
    assert.match(result.error!.message, /Could not close: TCPWRAP: destroy boom/);
    delete (socket as Partial<net.Socket>).destroy;
    socket!.destroy();
    server.close();
    server.unref();
  });
});
