import { createServer, request, type Server } from 'http';
import type { AddressInfo } from 'net';

export interface Proxy {
  url: string;
  /** The upstream the most recent request went to. */
  last(): string | undefined;
  close(): Promise<void>;
}

/**
 * The simplest load balancer: each request to the next upstream in turn, bodies piped both ways. A dead upstream
 * gives 502; one dying mid-answer cuts the client's connection, exactly what a real balancer does.
 */
export async function roundRobinProxy(upstreams: readonly string[]): Promise<Proxy> {
  let next = 0;
  let last: string | undefined;
  const server: Server = createServer((req, res) => {
    const target = new URL(req.url ?? '/', upstreams[next++ % upstreams.length]);
    last = target.origin;
    const up = request(target, { method: req.method, headers: req.headers }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
      upRes.on('error', () => res.destroy());
      upRes.on('aborted', () => res.destroy());
    });
    up.on('error', () => {
      if (res.headersSent) res.destroy();
      else res.writeHead(502, { 'content-type': 'text/plain' }).end('bad gateway: upstream unreachable');
    });
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    last: () => last,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
