import { editModelOfLatent, newEditState } from '../../plugin/core/editState';
import { PROTOCOL_HEADER, type DragStepsRequest } from '../../plugin/remote/protocol';
import { encodeDragState } from '../../plugin/remote/stateCodec';
import { startDragServer } from '../../plugin/hosts/server/dragServer';
import { servedModel } from '../../plugin/hosts/server/servedModel';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';
import { hp, pairs, pkg, startTestServer, w0, type TestServer } from './harness';
import { corsHeaders, rawRequest } from './rawHttp';

const TOKEN = 'cors-test-token';
const PAGE = 'http://page.example:3000';
const auth = { authorization: `Bearer ${TOKEN}` };
let server: TestServer;
let closed: TestServer;

beforeAll(async () => {
  // the second listed with a trailing slash and upper case, as people paste it: it must still match
  server = await startTestServer({ token: TOKEN, allowOrigins: [PAGE, 'HTTP://Other.example:8443/'], warmUp: false });
  closed = await startTestServer({ token: TOKEN, warmUp: false });
});
afterAll(async () => {
  for (const s of [server, closed]) {
    await s.shutdown();
    await s.release();
  }
});

const preflight = (url: string, origin: string) =>
  rawRequest(`${url}/v1/drag-steps`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': `authorization, content-type, ${PROTOCOL_HEADER}`,
    },
  });

function dragBody(): string {
  const s = newEditState(w0, { ...hp, maxSteps: 2 }, editModelOfLatent(w0));
  s.pairs = pairs;
  s.tracked = pairs.map((p) => p.handle);
  const req: DragStepsRequest = { model: 'tiny128', state: encodeDragState(s), steps: 1, preview: 'none' };
  return JSON.stringify(req);
}

test('a preflight from an allowed origin is answered 204 with the allow headers, without a token', async () => {
  const r = await preflight(server.url, PAGE);
  expect(r.status).toBe(204);
  expect(r.headers['access-control-allow-origin']).toBe(PAGE);
  expect(r.headers.vary).toMatch(/Origin/);
  expect(r.headers['access-control-allow-methods']).toMatch(/POST/);
  const allowed = String(r.headers['access-control-allow-headers']).split(/, */);
  expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type', PROTOCOL_HEADER]));
  expect(Number(r.headers['access-control-max-age'])).toBeGreaterThan(0);
  // an origin configured as 'HTTP://Other.example:8443/' is the browser's 'http://other.example:8443'
  expect((await preflight(server.url, 'http://other.example:8443')).status).toBe(204);
});

test('every reply to an allowed origin is readable by the page: 401s, 404s, the models list and the NDJSON stream', async () => {
  const headers = { origin: PAGE };
  const wrongToken = await rawRequest(`${server.url}/v1/models`, {
    headers: { ...headers, authorization: 'Bearer nope' },
  });
  const noSuchRoute = await rawRequest(`${server.url}/v1/nothing`, { headers: { ...headers, ...auth } });
  const models = await rawRequest(`${server.url}/v1/models`, { headers: { ...headers, ...auth } });
  const stream = await rawRequest(`${server.url}/v1/drag-steps`, {
    method: 'POST',
    headers: { ...headers, ...auth, 'content-type': 'application/json' },
    body: dragBody(),
  });
  expect([wrongToken.status, noSuchRoute.status, models.status, stream.status]).toEqual([401, 404, 200, 200]);
  expect(JSON.parse(wrongToken.text)).toMatchObject({ error: { code: 'token-refused' } });
  expect(stream.headers['content-type']).toMatch(/ndjson/);
  expect(stream.text.trim().split('\n').pop()).toMatch(/"type":"result"/);
  for (const r of [wrongToken, noSuchRoute, models, stream]) {
    expect(r.headers['access-control-allow-origin']).toBe(PAGE);
    // the client reads the protocol version and the request id, and honours Retry-After
    expect(String(r.headers['access-control-expose-headers']).split(/, */)).toEqual(
      expect.arrayContaining(['x-request-id', PROTOCOL_HEADER, 'retry-after']),
    );
  }
});

test('GET /v1/models names each model by the id clients send, with its display name', async () => {
  const r = await rawRequest(`${server.url}/v1/models`, { headers: auth });
  const { models } = JSON.parse(r.text) as { models: { id: string; name: string }[] };
  expect(models.map((m) => [m.id, m.name])).toEqual([['tiny128', pkg.config.name]]);
});

test('a client that sends a display name instead of the id is told which id it means', async () => {
  // served from a folder named 'faces', the model keeps its display name
  const model = servedModel('faces', pkg, await ortNodeCpu.create());
  const s = await startDragServer({ models: [model], port: 0, warmUp: false, log: () => undefined });
  try {
    const list = JSON.parse((await rawRequest(`${s.url}/v1/models`)).text) as {
      models: { id: string; name: string }[];
    };
    expect(list.models.map((m) => [m.id, m.name])).toEqual([['faces', pkg.config.name]]);
    const r = await rawRequest(`${s.url}/v1/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'draggan-protocol': '1' },
      body: JSON.stringify({ model: pkg.config.name, seed: 1 }),
    });
    expect(r.status).toBe(404);
    expect(JSON.parse(r.text)).toMatchObject({
      error: {
        code: 'unknown-model',
        field: 'model',
        message: `'${pkg.config.name}' is the display name of model 'faces'; requests name a model by its id (GET /v1/models lists both)`,
      },
    });
  } finally {
    await s.shutdown();
    await model.engine.release();
  }
});

test('an origin not on the list gets no CORS headers: its preflight is refused and its replies are unreadable', async () => {
  const evil = 'http://evil.example';
  const pre = await preflight(server.url, evil);
  expect(pre.status).toBe(403);
  expect(JSON.parse(pre.text)).toMatchObject({
    error: { code: 'origin-not-allowed', message: expect.stringContaining(`--allow-origin ${evil}`) },
  });
  const get = await rawRequest(`${server.url}/v1/models`, { headers: { origin: evil, ...auth } });
  expect(get.status).toBe(200);
  for (const r of [pre, get]) expect(corsHeaders(r)).toEqual({});
});

test('without --allow-origin no CORS header is ever sent, and a preflight says how to allow the page', async () => {
  const pre = await preflight(closed.url, PAGE);
  expect(pre.status).toBe(403);
  expect(JSON.parse(pre.text)).toMatchObject({
    error: { message: expect.stringContaining(`start draggan serve with --allow-origin ${PAGE}`) },
  });
  const replies = [
    pre,
    await rawRequest(`${closed.url}/v1/models`, { headers: { origin: PAGE, ...auth } }),
    await rawRequest(`${closed.url}/v1/models`, { headers: { origin: PAGE } }),
  ];
  for (const r of replies) {
    expect(corsHeaders(r)).toEqual({});
    expect(r.headers.vary).toBeUndefined();
  }
});

test("'*' allows every page, but only with a token", async () => {
  await expect(startTestServer({ allowOrigins: ['*'], warmUp: false })).rejects.toThrow(
    /--allow-origin '\*' lets every web page use this server, so it needs a token/,
  );
  const any = await startTestServer({ token: TOKEN, allowOrigins: ['*'], warmUp: false });
  try {
    const r = await rawRequest(`${any.url}/v1/models`, {
      headers: { origin: 'https://anywhere.example', authorization: 'Bearer wrong' },
    });
    expect(r.status).toBe(401);
    expect(r.headers['access-control-allow-origin']).toBe('https://anywhere.example');
  } finally {
    await any.shutdown();
    await any.release();
  }
});

test.each(['example.com', 'https://example.com/app', 'ftp://example.com', 'https://example.com?x=1'])(
  '--allow-origin %s is refused with what an origin looks like',
  async (origin) => {
    await expect(startTestServer({ token: TOKEN, allowOrigins: [origin], warmUp: false })).rejects.toThrow(
      /takes a web page's origin: scheme, host and port/,
    );
  },
);

test('the tokenless local engine answers a client whose Origin no web page can have (a plugin), and still no page', async () => {
  const local = await startTestServer({ warmUp: false });
  try {
    // a UXP panel, should its fetch send a preflight with an Origin of its own scheme
    const plugin = 'plugin:draggan-photoshop';
    const pre = await preflight(local.url, plugin);
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe(plugin);
    const post = await rawRequest(`${local.url}/v1/generate`, {
      method: 'POST',
      headers: { origin: plugin, 'content-type': 'application/json', [PROTOCOL_HEADER]: '1' },
      body: JSON.stringify({ model: 'tiny128', seed: 1, preview: 'none' }),
    });
    expect(post.status).toBe(200);
    expect(post.headers['access-control-allow-origin']).toBe(plugin);
    // pages: an http(s) origin, and the opaque "null" of sandboxed frames and file pages
    for (const page of [PAGE, 'https://evil.example', 'null', 'file://']) {
      const refused = await preflight(local.url, page);
      expect([page, refused.status]).toEqual([page, 403]);
      expect(corsHeaders(refused)).toEqual({});
    }
  } finally {
    await local.shutdown();
    await local.release();
  }
});
