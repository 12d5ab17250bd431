import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { leakLine, leakSite } from '@loose-ends-fixtures/leak-site';
import type { MochaRun } from './run-mocha.js';
import { describeRun, EXAMPLE, failureDetail, runMocha } from './run-mocha.js';

// examples/mocha: TypeScript specs loaded through tsx (`node-option: import=tsx`), plugin by name.
const at = (file: string, site: string, call: string) => leakSite(file, site, { root: EXAMPLE, call });

describe('TypeScript specs via tsx (examples/mocha)', () => {
  let run: MochaRun;
  before(async () => {
    run = await runMocha(EXAMPLE);
  });

  it('fails the six leaking tests once each and passes the rest', () => {
    assert.equal(run.failed.length, 6, describeRun(run));
    assert.equal(new Set(run.failed).size, 6, describeRun(run));
    for (const title of run.failed) assert.ok(!run.passed.includes(title), title);
    assert.ok(run.passed.includes('watches the shared config @allow-leaks'), describeRun(run));
    assert.deepEqual(run.totals, { passing: 8, failing: 6, pending: 0 }, describeRun(run));
    assert.equal(run.code, 6, describeRun(run));
  });

  it('points at the TypeScript source line through source maps', () => {
    const cache = failureDetail(run, 'forgets cache.stop()');
    assert.match(cache, /left 1 async task running: 1 interval\./);
    assert.ok(cache.includes(`Created at ${at('src/cache.ts', 'cache-refresh', 'setInterval')}`), cache);
    const frameLine = leakLine('src/cache.ts', 'cache-refresh', { root: EXAMPLE });
    assert.match(cache, new RegExp(`> ${frameLine} \\|\\s+this\\.timer = setInterval`));
    const socket = failureDetail(run, 'leaves the socket open');
    assert.match(socket, /left 1 async task running: 1 socket\./);
    assert.ok(socket.includes(at('test/server.spec.ts', 'raw-socket', 'connect')), socket);
    assert.match(failureDetail(run, 'floating promise'), /1 timeout\.[\s\S]*setTimeout for 30000 ms/);
    const watcher = failureDetail(run, 'has a watcher ready');
    const where = at('src/watcher.ts', 'config-watcher', 'watch(');
    assert.ok(watcher.includes(`Created in the beforeEach hook at ${where}`), watcher);
  });
});
