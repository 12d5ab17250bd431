import net from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RefreshingCache } from '../src/cache.js';
import { type RunningServer, startServer } from '../src/server.js';

describe('HTTP service', () => {
  const cache = new RefreshingCache(async () => ({ greeting: 'hello' }), 60_000);
  let service: RunningServer;

  beforeAll(async () => {
    await cache.start();
    service = await startServer(cache);
  });

  afterAll(async () => {
    await service.close();
    cache.stop();
  });

  test('serves the cached value', async () => {
    const body = await fetch(`${service.url}/value`).then((res) => res.json());
    expect(body).toEqual({ value: { greeting: 'hello' } });
  });

  test('answers 404 elsewhere', async () => {
    const res = await fetch(`${service.url}/nope`);
    expect(res.status).toBe(404);
  });

  // LEAK: the client socket is never destroyed.
  test('accepts raw TCP connections', async () => {
    const socket = net.connect(Number(new URL(service.url).port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    expect(socket.remoteAddress).toBe('127.0.0.1');
  });

  test('a second instance, closed properly', async () => {
    const second = await startServer(cache);
    const res = await fetch(`${second.url}/value`);
    expect(res.status).toBe(200);
    await second.close();
  });

  // LEAK: the second server is never closed.
  test('a second instance, left listening', async () => {
    const second = await startServer(cache);
    const res = await fetch(`${second.url}/value`);
    expect(res.status).toBe(200);
  });
});
