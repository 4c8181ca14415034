import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, describeWithBrowser } from '../e2e/browser';
import { startTestServer, type TestServer } from './harness';

/**
 * The remote endpoint from a real page: a page served from one loopback origin calls `draggan serve` on another
 * port, as the web page and the Photopea page do. Chromium, not a hand-made request, judges the CORS headers.
 */
const TOKEN = 'browser-token';
let pages: Server;
let pageOrigin: string;
let api: TestServer;
let browser: Browser;

describeWithBrowser('CORS in Chromium', () => {
  beforeAll(async () => {
    pages = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>page</title>');
    });
    await new Promise<void>((r) => pages.listen(0, '127.0.0.1', r));
    const port = (pages.address() as AddressInfo).port;
    pageOrigin = `http://127.0.0.1:${port}`;
    api = await startTestServer({ token: TOKEN, allowOrigins: [pageOrigin], warmUp: false });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await api.shutdown();
    await api.release();
    await new Promise((r) => pages.close(r));
  });

  /** Runs fetches in a page loaded from `origin`; each returns its status and body, or the error's name. */
  async function fromPage(
    origin: string,
    token: string,
  ): Promise<{ models: string; models2: string; generate: string; protocol: string | null }> {
    const page = await browser.newPage();
    try {
      await page.goto(`${origin}/`);
      return await page.evaluate(
        async ({ url, token }) => {
          const headers = { authorization: `Bearer ${token}`, 'draggan-protocol': '1' };
          const show = async (p: Promise<Response>) => {
            try {
              const r = await p;
              return `${r.status} ${await r.text()}`;
            } catch (e) {
              return `threw ${(e as Error).name}`;
            }
          };
          let protocol: string | null = null;
          const models = await show(
            fetch(`${url}/v1/models`, { headers }).then((r) => {
              protocol = r.headers.get('draggan-protocol');
              return r;
            }),
          );
          const models2 = await show(fetch(`${url}/v1/models`, { headers }));
          const generate = await show(
            fetch(`${url}/v1/generate`, {
              method: 'POST',
              headers: { ...headers, 'content-type': 'application/json' },
              body: JSON.stringify({ model: 'tiny128', seed: 1, preview: 'none' }),
            }),
          );
          return { models, models2, generate, protocol };
        },
        { url: api.url, token },
      );
    } finally {
      await page.close();
    }
  }

  test('an allowed page reads answers, and a wrong token reads as a 401, not a network error', async () => {
    const ok = await fromPage(pageOrigin, TOKEN);
    expect(ok.models).toMatch(/^200 .*"id":"tiny128"/);
    expect(ok.models2).toMatch(/^200 /);
    expect(ok.generate).toMatch(/^200 .*"latent"/);
    expect(ok.protocol).toBe('1');
    const wrong = await fromPage(pageOrigin, 'wrong-token');
    expect(wrong.models).toMatch(/^401 .*token-refused/);
    expect(wrong.generate).toMatch(/^401 .*token-refused/);
  }, 30_000);

  test('the tokenless local engine (npm run serve) computes nothing for a page: not for a simple no-cors POST, a form-type POST or a preflighted one', async () => {
    const local = await startTestServer({ warmUp: false });
    const page = await browser.newPage();
    try {
      await page.goto(`${pageOrigin}/`);
      const outcomes = await page.evaluate(async (url) => {
        const body = JSON.stringify({ model: 'tiny128', seed: 1, preview: 'none' });
        const tries: [string, RequestInit][] = [
          // a simple request: no preflight; the page cannot read the answer, but the server would act on it
          // a Blob without a type: the browser sends no Content-Type at all
          ['no-cors, no content type', { method: 'POST', mode: 'no-cors', body: new Blob([body]) }],
          ['no-cors, text/plain', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body }],
          // needs a preflight (JSON and the client header), which a server without --allow-origin refuses
          [
            'cors, JSON with the client header',
            { method: 'POST', headers: { 'content-type': 'application/json', 'draggan-protocol': '1' }, body },
          ],
        ];
        const out: string[] = [];
        for (const [name, init] of tries) {
          try {
            const r = await fetch(`${url}/v1/generate`, init);
            out.push(`${name}: ${r.type} ${r.status}`);
          } catch (e) {
            out.push(`${name}: threw ${(e as Error).name}`);
          }
        }
        return out;
      }, local.url);
      expect(outcomes).toEqual([
        'no-cors, no content type: opaque 0',
        'no-cors, text/plain: opaque 0',
        'cors, JSON with the client header: threw TypeError',
      ]);
      // what the server did with them: every POST that reached it was refused before any work
      const posts = local.logs.filter((e) => e.msg === 'request' && e.path === '/v1/generate' && e.method === 'POST');
      expect(posts.length).toBe(2);
      expect(posts.map((e) => e.status)).toEqual([403, 403]);
      const preflights = local.logs.filter((e) => e.msg === 'request' && e.method === 'OPTIONS');
      expect(preflights.map((e) => e.status)).toEqual([403]);
      // and a DragGAN client (it sends the header) is served as before
      const r = await fetch(`${local.url}/v1/generate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'draggan-protocol': '1' },
        body: JSON.stringify({ model: 'tiny128', seed: 1, preview: 'none' }),
      });
      expect(r.status).toBe(200);
    } finally {
      await page.close();
      await local.shutdown();
      await local.release();
    }
  }, 60_000);

  test('a page from another origin cannot read anything', async () => {
    // localhost and 127.0.0.1 are different origins to a browser
    const other = await fromPage(pageOrigin.replace('127.0.0.1', 'localhost'), TOKEN);
    expect([other.models, other.generate]).toEqual(['threw TypeError', 'threw TypeError']);
  }, 30_000);
});
