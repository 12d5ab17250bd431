import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchWithRetry } from '../src/client.js';

describe('client with retries', () => {
  let server: http.Server;
  let url: string;
  let calls = 0;

  before(async () => {
    // Fails every other request with 503.
    server = http.createServer((_request, response) => {
      calls += 1;
      response.statusCode = calls % 2 === 1 ? 503 : 200;
      response.end('fresh');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('retries a 503 and returns the body', async () => {
    assert.equal(await fetchWithRetry(url, { retries: 2, delayMs: 5 }), 'fresh');
  });

  it('starts a background refresh it never awaits (floating promise)', () => {
    // Nothing listens on port 9, so the client fails and sleeps 30 s before retrying.
    void fetchWithRetry('http://127.0.0.1:9/', { retries: 5, delayMs: 30_000 }).catch(() => {});
  });
});
