import { request } from 'http';
import { connect, type Socket } from 'net';

export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One HTTP exchange on its own connection, with any headers (Origin included), as a browser or a script sends it. */
export function rawRequest(
  url: string,
  o: { method?: string; headers?: Record<string, string>; body?: string; localAddress?: string } = {},
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: o.method ?? 'GET', headers: o.headers, agent: false, localAddress: o.localAddress },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

/** The access-control-* headers of a reply. */
export function corsHeaders(r: RawReply): Record<string, unknown> {
  return Object.fromEntries(Object.entries(r.headers).filter(([k]) => k.startsWith('access-control-')));
}

/** A raw client socket that collects what the server sends and notes when it closes. */
export interface RawClient {
  socket: Socket;
  received(): string;
  closed: Promise<void>;
  isClosed(): boolean;
}

export function rawClient(port: number, localAddress?: string): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    let got = '';
    let isClosed = false;
    const socket = connect({ port, host: '127.0.0.1', localAddress });
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (got += c));
    // resets are expected: the server closes clients it will not serve
    socket.on('error', () => undefined);
    const closed = new Promise<void>((r) =>
      socket.on('close', () => {
        isClosed = true;
        r();
      }),
    );
    socket.once('connect', () => resolve({ socket, received: () => got, closed, isClosed: () => isClosed }));
    socket.once('error', reject);
  });
}

/** The head of a POST whose body (of `length` bytes) the caller sends, slowly or never. */
export function postHead(path: string, length: number, token?: string): string {
  return [
    `POST ${path} HTTP/1.1`,
    'host: 127.0.0.1',
    'content-type: application/json',
    `content-length: ${length}`,
    ...(token ? [`authorization: Bearer ${token}`] : []),
    '',
    '',
  ].join('\r\n');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `f` is true, polling every 20 ms; fails after `ms`. */
export async function until(f: () => boolean, ms: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!f()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
