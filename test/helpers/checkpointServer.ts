/**
 * A local HTTP file server for download tests: serves the given files with Range support (206, 416) and injects the
 * faults a real download meets: a connection dropped part-way, answers with an error status, a server that ignores
 * Range. Records every request (path and Range header) so a test can assert how the client resumed.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';

export interface Faults {
  /** Each 200/206 answer in turn sends only this many bytes of its body, then the connection is destroyed. */
  dropAfter?: number[];
  /** Status codes to answer the next requests with, in turn, before serving normally (503, 500, ...). */
  statuses?: number[];
  /** Each 200/206 answer in turn sends only this many bytes, then stalls: the connection stays open, silent. */
  stallAfter?: number[];
  /** Answer Range requests with bytes from this offset instead of the one asked (a broken server or proxy). */
  wrongRangeStart?: number;
  /** Ignore Range headers (answer 200 with the whole file), as some servers do. */
  noRange?: boolean;
  /** After this many requests for a file, serve these bytes in its place (the file changed on the server). */
  replaceAfter?: { requests: number; bytes: Uint8Array };
  /** Send no CORS headers: a site that does not let web pages download from it. */
  noCors?: boolean;
}

export interface CheckpointServer {
  readonly base: string;
  url(name: string): string;
  readonly requests: { path: string; range: string | undefined }[];
  faults: Faults;
  close(): Promise<void>;
}

/** What lets a web page on another origin read the answers, ranges included. */
const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Content-Range, Content-Length, Accept-Ranges',
};

function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string | number>,
  body: Uint8Array,
  dropAfter: number | undefined,
  stallAfter?: number,
): void {
  res.writeHead(status, {
    'Content-Type': 'application/octet-stream',
    'Accept-Ranges': 'bytes',
    ...headers,
    'Content-Length': body.length,
  });
  if (stallAfter !== undefined) {
    res.write(Buffer.from(body.subarray(0, stallAfter)));
    return;
  }
  if (dropAfter === undefined) {
    res.end(Buffer.from(body));
    return;
  }
  // the promised length is not delivered: the client sees the connection end mid-body
  res.write(Buffer.from(body.subarray(0, dropAfter)), () => setTimeout(() => res.socket?.destroy(), 20));
}

export async function startCheckpointServer(files: Record<string, Uint8Array>): Promise<CheckpointServer> {
  const requests: CheckpointServer['requests'] = [];
  const state: { faults: Faults } = { faults: {} };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    const range = req.headers.range;
    requests.push({ path, range });
    const f = state.faults;
    if (!f.noCors) for (const [k, v] of Object.entries(CORS)) res.setHeader(k, v);
    if (req.method === 'OPTIONS') {
      if (!f.noCors) res.setHeader('Access-Control-Allow-Headers', 'Range');
      res.writeHead(204).end();
      return;
    }
    const status = f.statuses?.shift();
    if (status !== undefined) {
      res.writeHead(status, { 'Content-Type': 'text/plain' }).end(`fault ${status}`);
      return;
    }
    const name = path.replace(/^\/+/, '');
    if (f.replaceAfter && requests.filter((r) => r.path === path).length > f.replaceAfter.requests)
      files[name] = f.replaceAfter.bytes;
    const body = files[name];
    if (body === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const m = f.noRange || range === undefined ? null : /^bytes=(\d+)-(\d*)$/.exec(range);
    if (m) {
      const start = f.wrongRangeStart ?? Number(m[1]);
      if (start >= body.length) {
        res.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end();
        return;
      }
      const end = m[2] === '' ? body.length - 1 : Math.min(Number(m[2]), body.length - 1);
      send(
        res,
        206,
        { 'Content-Range': `bytes ${start}-${end}/${body.length}` },
        body.subarray(start, end + 1),
        f.dropAfter?.shift(),
        f.stallAfter?.shift(),
      );
      return;
    }
    send(res, 200, {}, body, f.dropAfter?.shift(), f.stallAfter?.shift());
  };
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    url: (name) => `${base}/${name}`,
    requests,
    get faults() {
      return state.faults;
    },
    set faults(f: Faults) {
      state.faults = f;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
