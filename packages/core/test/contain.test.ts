import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { describe, test } from 'node:test';
import { leakSite } from '@loose-ends-fixtures/leak-site';
import { resolveOptions } from '../src/index.js';
import { runAsTest } from './helpers.js';

const noop = () => {};

/** After a leak is reported, it is taken out of the run (option `contain`), never throwing. */
describe('containment of reported leaks', () => {
  test("contain: 'close' (the default in mode fail) clears an interval and closes a server", async () => {
    let interval: NodeJS.Timeout | undefined;
    let server: net.Server | undefined;
    const { result } = await runAsTest(
      'leaks an interval and a server',
      async () => {
        interval = setInterval(noop, 1000);
        server = net.createServer().listen(0, '127.0.0.1');
        await once(server, 'listening');
      },
      { contain: 'close' },
    );
    assert.equal(result.status, 'leaked');
    assert.match(result.error!.message, /has cleared, closed or killed these/);
    assert.equal((interval as unknown as { _destroyed: boolean })._destroyed, true);
    assert.equal(server!.listening, false);
  });

  test('a child process that ignores SIGTERM is killed with SIGKILL before the verdict is given', async () => {
    let child: ReturnType<typeof spawn> | undefined;
    const { result } = await runAsTest(
      'leaks a stubborn child',
      async () => {
        child = spawn(process.execPath, [
          '-e',
          "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); console.log('ready')",
        ]);
        await once(child.stdout!, 'data');
      },
      { contain: 'close' },
    );
    assert.equal(result.status, 'leaked');
    // The check waits for it: a runner may end the worker that ran the test right after.
    assert.equal(child!.exitCode, null);
    assert.equal(child!.signalCode, 'SIGKILL');
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

  test("the default is 'close' in mode fail and 'none' in mode warn", () => {
    assert.equal(resolveOptions({}, 'options', {}).contain, 'close');
    assert.equal(resolveOptions({ mode: 'warn' }, 'options', {}).contain, 'none');
    assert.equal(resolveOptions({ mode: 'warn', contain: 'unref' }, 'options', {}).contain, 'unref');
    assert.equal(resolveOptions({}, 'options', { LOOSE_ENDS_MODE: 'warn' }).contain, 'none');
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
    const { result } = await runAsTest(
      'close throws',
      async () => {
        socket = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
        await once(socket, 'connect');
        socket.destroy = () => {
          throw new Error('destroy boom');
        };
      },
      { contain: 'close' },
    );
    assert.equal(result.status, 'leaked');
    assert.match(result.error!.message, /Could not close: TCPWRAP: destroy boom/);
    delete (socket as Partial<net.Socket>).destroy;
    socket!.destroy();
    server.close();
    server.unref();
  });
});

/**
 * Runs a fixture in which test A leaves a timer that fails after A has ended; returns the lines of
 * the message its handler caught, and `<name>:<line>:<column>` of the fixture's `// LEAK: late-timer`.
 */
async function runLateFixture(name: string): Promise<{ lines: string[]; where: string }> {
  const { execFileSync } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
  const where = leakSite(name, 'late-timer', { root: fixtures, call: 'setTimeout' });
  const fixture = `${fixtures}${name}`;
  const output = execFileSync(process.execPath, ['--import', 'tsx', fixture], { encoding: 'utf8' });
  const caught = output.split('\n').find((l) => l.startsWith('CAUGHT '));
  assert.ok(caught, output);
  return { lines: (JSON.parse(caught.slice('CAUGHT '.length)) as string).split('\n'), where };
}

test('an error thrown by work a test left running names that test and where the work began', async () => {
  const { lines, where } = await runLateFixture('late-error.ts');
  assert.equal(lines[0], 'late boom');
  assert.match(
    lines[1]!,
    new RegExp(
      `^loose-ends: Thrown by setTimeout for 30 ms \\(timeout\\) that test "A" left running, created at .*${where.replace(/[.]/g, '\\.')}; it is not from the test running now\\.$`,
    ),
  );
});

test('an unhandled rejection by work a test left running names that test', async () => {
  const { lines, where } = await runLateFixture('late-rejection.ts');
  const [first, note, ...rest] = lines;
  assert.equal(first, 'late rejection');
  assert.deepEqual(rest, []);
  // Node < 24 says which callback created the promise; from 24 on only its context is known.
  const origin = `setTimeout for 30 ms \\(timeout\\) that test "A" left running, created at .*${where.replace(/[.]/g, '\\.')}`;
  assert.match(
    note!,
    new RegExp(
      `^loose-ends: Rejected by (?:${origin}|async work that test "A" left running); it is not from the test running now\\.$`,
    ),
  );
});
