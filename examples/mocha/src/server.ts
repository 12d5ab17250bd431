import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RefreshingCache } from './cache.js';

export interface PriceServer {
  readonly url: string;
  readonly server: http.Server;
  close(): Promise<void>;
}

/** GET /health and GET /prices, served from the cache. */
export async function startServer(cache: RefreshingCache<Record<string, number>>): Promise<PriceServer> {
  const server = http.createServer((request, response) => {
    if (request.url === '/health') return void response.end('ok');
    if (request.url === '/prices') {
      response.setHeader('content-type', 'application/json');
      return void response.end(JSON.stringify(cache.get()));
    }
    response.statusCode = 404;
    response.end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
