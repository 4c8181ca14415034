/**
 * A server on loopback without a token answers only requests addressed to a loopback name: a web page that reached
 * it by DNS rebinding (its own name resolving to 127.0.0.1, so same-origin, no preflight) is refused by its Host.
 */
import { isLoopbackHostHeader } from '../../plugin/hosts/server/loopback';
import { ROUTES } from '../../plugin/remote/protocol';
import { startTestServer, type TestServer } from './harness';
import { rawRequest } from './rawHttp';

test('Host headers that name loopback, and ones that only look like it', () => {
  for (const h of ['127.0.0.1', '127.0.0.1:7860', 'localhost:80', 'LOCALHOST', '[::1]:8080', '127.1.2.3'])
    expect([h, isLoopbackHostHeader(h)]).toEqual([h, true]);
  for (const h of [
    undefined,
    '',
    'evil.example:7860',
    '127.0.0.1.evil.example',
    'localhost.evil.example',
    '[::2]:80',
    '10.0.0.1',
  ])
    expect([h, isLoopbackHostHeader(h)]).toEqual([h, false]);
});

describe('a loopback server without a token', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.shutdown();
    await server.release();
  });

  test('answers requests addressed to 127.0.0.1 or localhost', async () => {
    const port = new URL(server.url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`])
      expect((await rawRequest(`${server.url}${ROUTES.models}`, { headers: { host } })).status).toBe(200);
  });

  test('refuses a request addressed to another name, as a DNS-rebinding page sends it, saying why', async () => {
    const port = new URL(server.url).port;
    const r = await rawRequest(`${server.url}${ROUTES.generate}`, {
      method: 'POST',
      headers: {
        host: `rebind.example:${port}`,
        origin: `http://rebind.example:${port}`,
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(r.status).toBe(403);
    expect(r.text).toMatch(/host-not-allowed/);
    expect(r.text).toMatch(/Host: rebind\.example/);
  });

  test('with a token the name is not checked (the token is the lock)', async () => {
    const s = await startTestServer({ token: 'secret' });
    try {
      const port = new URL(s.url).port;
      const r = await rawRequest(`${s.url}${ROUTES.models}`, {
        headers: { host: `gpu.example:${port}`, authorization: 'Bearer secret' },
      });
      expect(r.status).toBe(200);
    } finally {
      await s.shutdown();
      await s.release();
    }
  });
});
