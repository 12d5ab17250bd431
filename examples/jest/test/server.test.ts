import net from 'node:net';
import { allowLeaks } from '@loose-ends/jest-env';
import { RefreshingCache } from '../src/cache';
import { fetchWithRetry } from '../src/client';
import { type RunningServer, startServer } from '../src/server';

const cache = new RefreshingCache(() => 'hello', 60_000);
// Servers the opted-out tests keep up on purpose: closed once the file is done.
const keptUp: RunningServer[] = [];
afterAll(() => Promise.all(keptUp.map((server) => server.close())));

test('answers over HTTP (and never closes the server)', async () => {
  const server = await startServer(cache);
  expect(await fetchWithRetry(server.url, 50)).toEqual({ value: undefined });
});

test('answers over HTTP and closes the server', async () => {
  const server = await startServer(cache);
  expect(await fetchWithRetry(server.url, 50)).toEqual({ value: undefined });
  await server.close();
});

test('opens a raw socket and leaves it open', async () => {
  const server = await startServer(cache);
  keptUp.push(server);
  const socket = net.connect(Number(new URL(server.url).port), '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  allowLeaks('server'); // this test is about the socket
});

test('retries against a server that is not there (floating retry timer)', () => {
  void fetchWithRetry('http://127.0.0.1:9/', 30_000);
});

test('keeps a debug server up on purpose (opted out)', async () => {
  allowLeaks();
  keptUp.push(await startServer(cache));
});
