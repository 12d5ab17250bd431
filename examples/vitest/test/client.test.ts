import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { getJson } from '../src/client.js';

/** A service that is down (503) for its first `failures` requests. */
async function flakyService(failures: number) {
  let requests = 0;
  let firstRequest!: () => void;
  const firstSeen = new Promise<void>((resolve) => {
    firstRequest = resolve;
  });
  const server = http.createServer((_req, res) => {
    requests += 1;
    firstRequest();
    if (requests <= failures) res.writeHead(503).end();
    else res.setHeader('content-type', 'application/json').end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { url, firstSeen, close, requests: () => requests };
}

let closeService: (() => Promise<void>) | undefined;
afterEach(() => closeService?.());

test('retries until the service is back', async () => {
  const service = await flakyService(2);
  closeService = service.close;
  await expect(getJson(service.url, { retries: 3, delayMs: 5 })).resolves.toEqual({ ok: true });
  expect(service.requests()).toBe(3);
});

// LEAK: a floating promise — nobody awaits the retry, whose 30 s timer is still pending.
test('keeps retrying while the service is down', async () => {
  const service = await flakyService(10);
  closeService = service.close;
  getJson(service.url, { retries: 5, delayMs: 30_000 }).catch(() => {});
  await service.firstSeen;
  expect(service.requests()).toBe(1);
});
