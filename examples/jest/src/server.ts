import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RefreshingCache } from './cache';

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves the cached value as JSON. */
export async function startServer(cache: RefreshingCache<unknown>): Promise<RunningServer> {
  const server = http.createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ value: cache.get() }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
