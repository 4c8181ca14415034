/** A model folder fetched by URL (the pages' ?model=) is refused past its size cap before it is downloaded whole. */
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import { ModelConfigError } from '../../plugin/core/errors';
import { loadModelSource, MODEL_DOWNLOAD_LIMITS } from '../../plugin/engine/modelSource';

let server: Server;
let base: string;
let sent = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url?.endsWith('model.json')) return res.end('{}');
    if (req.url?.startsWith('/declared/')) {
      // says 1.5 GB and would send it: only the header is needed to refuse
      res.writeHead(200, { 'content-length': String(1.5 * 2 ** 30) });
      return res.write(new Uint8Array(1024));
    }
    // no length: 64 KB chunks until the client stops reading
    res.writeHead(200);
    const chunk = new Uint8Array(64 * 1024);
    const pump = (): void => {
      while (!res.destroyed && sent < 2 ** 30) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

test('a weights file declaring 1.5 GB is refused from its Content-Length', async () => {
  await expect(loadModelSource({ kind: 'url', dir: `${base}/declared/` })).rejects.toThrow(ModelConfigError);
  await expect(loadModelSource({ kind: 'url', dir: `${base}/declared/` })).rejects.toThrow(
    /weights\.safetensors is larger than 512 MB, more than a model's file takes/,
  );
});

test('a weights file of no stated length is cut off once it passes the cap', async () => {
  const cap = MODEL_DOWNLOAD_LIMITS.weightsBytes;
  MODEL_DOWNLOAD_LIMITS.weightsBytes = 8 * 2 ** 20;
  try {
    await expect(loadModelSource({ kind: 'url', dir: `${base}/chunked/` })).rejects.toThrow(/is larger than 8 MB/);
    // the server was stopped soon after the cap, not read to its end
    expect(sent).toBeLessThan(64 * 2 ** 20);
  } finally {
    MODEL_DOWNLOAD_LIMITS.weightsBytes = cap;
  }
});
