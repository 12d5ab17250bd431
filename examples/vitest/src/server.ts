import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RefreshingCache } from './cache.js';

export interface RunningServer {
  readonly url: string;
  readonly server: http.Server;
  close(): Promise<void>;
}

/** Serves the cached value as JSON at `/value`. */
export async function startServer(cache: RefreshingCache<unknown>): Promise<RunningServer> {
  const server = http.createServer((req, res) => {
    if (req.url !== '/value') {
      res.writeHead(404).end();
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ value: cache.get() ?? null }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
