import assert from 'node:assert/strict';
import net from 'node:net';
import { RefreshingCache } from '../src/cache.js';
import { type PriceServer, startServer } from '../src/server.js';

const prices = async () => ({ apple: 1.2 });

describe('price server', () => {
  let cache: RefreshingCache<Record<string, number>>;
  let shared: PriceServer;

  before(async () => {
    cache = new RefreshingCache(prices, 60_000);
    await cache.start();
    shared = await startServer(cache);
  });
  after(async () => {
    await shared.close();
    cache.stop();
  });

  it('answers /health', async () => {
    const response = await fetch(`${shared.url}/health`);
    assert.equal(await response.text(), 'ok');
  });

  it('answers /prices from its own server (never closes it)', async () => {
    const own = await startServer(cache);
    const response = await fetch(`${own.url}/prices`);
    assert.deepEqual(await response.json(), { apple: 1.2 });
  });

  it('answers /prices from its own server, then closes it', async () => {
    const own = await startServer(cache);
    const response = await fetch(`${own.url}/prices`);
    assert.deepEqual(await response.json(), { apple: 1.2 });
    await own.close();
  });

  it('accepts raw TCP connections (leaves the socket open)', async () => {
    const socket = net.connect(Number(new URL(shared.url).port), '127.0.0.1'); // LEAK: raw-socket
    await new Promise((resolve) => socket.once('connect', resolve));
    assert.ok(socket.remotePort);
  });
});
