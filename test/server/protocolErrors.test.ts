import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import { editModelOfLatent, newEditState } from '../../plugin/core/editState';
import { PROTOCOL_HEADER, type DragStepsRequest } from '../../plugin/remote/protocol';
import { RemoteDragSession } from '../../plugin/remote/remoteDragSession';
import {
  EndpointUnreachableError,
  ProtocolMismatchError,
  RemoteRequestError,
  TokenRefusedError,
  UnknownModelError,
} from '../../plugin/core/errors';
import { RemoteGenerator } from '../../plugin/remote/remoteGenerator';
import { encodeDragState } from '../../plugin/remote/stateCodec';
import { f32ToBase64 } from '../../plugin/remote/wireArrays';
import { hp, pairs, startTestServer, w0, type TestServer } from './harness';

const TOKEN = 'correct-horse-battery-staple';
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ token: TOKEN, maxBodyBytes: 256 << 10, warmUp: false });
});
afterAll(async () => {
  await server.shutdown();
  await server.release();
});

function request(): DragStepsRequest {
  const s = newEditState(w0, { ...hp, maxSteps: 2 }, editModelOfLatent(w0));
  s.pairs = pairs;
  s.tracked = pairs.map((p) => p.handle);
  return { model: 'tiny128', state: encodeDragState(s), steps: 1, preview: 'none' };
}

const auth = { authorization: `Bearer ${TOKEN}` };

async function post(
  path: string,
  body: string,
  headers: Record<string, string> = auth,
): Promise<{ status: number; body: { error?: { code: string; message: string; field?: string } }; headers: Headers }> {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await res.text();
  return {
    status: res.status,
    body: res.headers.get('content-type')?.startsWith('application/json')
      ? (JSON.parse(text) as { error?: { code: string; message: string } })
      : {},
    headers: res.headers,
  };
}

const withState = (patch: Record<string, unknown>) =>
  JSON.stringify({ ...request(), state: { ...request().state, ...patch } });

const cases: [string, () => string, Record<string, string> | undefined, number, string, RegExp][] = [
  ['no token', () => JSON.stringify(request()), {}, 401, 'token-missing', /needs a bearer token/],
  [
    'a wrong token',
    () => JSON.stringify(request()),
    { authorization: 'Bearer nope' },
    401,
    'token-refused',
    /token was refused/,
  ],
  ['malformed JSON', () => '{"model": "tiny128", ', undefined, 400, 'malformed-json', /not valid JSON/],
  ['a NaN literal', () => '{"model": "tiny128", "steps": NaN}', undefined, 400, 'malformed-json', /not valid JSON/],
  ['a body that is not an object', () => '[1, 2]', undefined, 400, 'invalid-field', /body: must be an object/],
  [
    'an unknown model',
    () => JSON.stringify({ ...request(), model: 'ffhq' }),
    undefined,
    404,
    'unknown-model',
    /no model 'ffhq' \(it serves: tiny128\)/,
  ],
  [
    'a path as model id',
    () => JSON.stringify({ ...request(), model: '../../etc/passwd' }),
    undefined,
    400,
    'bad-model-id',
    /plain names .* not paths/,
  ],
  [
    'an absolute path as model id',
    () => JSON.stringify({ ...request(), model: '/models/tiny128' }),
    undefined,
    400,
    'bad-model-id',
    /not paths/,
  ],
  [
    'a latent of the wrong shape',
    () => withState({ w0: { shape: [1, 11, 64], data: f32ToBase64(new Float32Array(11 * 64)) } }),
    undefined,
    400,
    'invalid-field',
    /state\.w0\.shape: is \[1, 11, 64\]; this model needs \[1, 12, 64\]/,
  ],
  [
    'data that does not match its shape',
    () => withState({ params: f32ToBase64(new Float32Array(10)) }),
    undefined,
    400,
    'invalid-field',
    /state\.params: has 10 float32 values; expected 384/,
  ],
  [
    'a NaN in a float array',
    () => withState({ params: f32ToBase64(new Float32Array(384).fill(NaN)) }),
    undefined,
    400,
    'invalid-field',
    /state\.params: value 0 is NaN; every value must be a finite number/,
  ],
  [
    'bad base64',
    () => withState({ params: 'not base64!' }),
    undefined,
    400,
    'invalid-field',
    /state\.params: must be base64/,
  ],
  [
    'a handle outside the image',
    () => withState({ pairs: [{ handle: { x: 200, y: 3 }, target: { x: 3, y: 3 } }], tracked: [{ x: 3, y: 3 }] }),
    undefined,
    400,
    'invalid-field',
    /state\.pairs\[0\]\.handle\.x: must be within 0\.\.127, got 200/,
  ],
  [
    'a string for a number',
    () => withState({ steps: '3' }),
    undefined,
    400,
    'invalid-field',
    /state\.steps: must be a finite number, got the string "3"/,
  ],
  [
    'an unknown field',
    () => JSON.stringify({ ...request(), stpes: 3 }),
    undefined,
    400,
    'invalid-field',
    /unknown field 'stpes'/,
  ],
  [
    'zero steps',
    () => JSON.stringify({ ...request(), steps: 0 }),
    undefined,
    400,
    'invalid-field',
    /steps: must be within 1\.\.100000/,
  ],
  ['no points', () => withState({ pairs: [], tracked: [] }), undefined, 400, 'invalid-field', /no points/],
  [
    'a mask of the wrong size',
    () => withState({ fixed: f32ToBase64(new Float32Array(10)) }),
    undefined,
    400,
    'invalid-field',
    /state\.fixed: has 40 bytes; expected 16384/,
  ],
  [
    'an oversized body',
    () => JSON.stringify({ ...request(), pad: 'x'.repeat(300 << 10) }),
    undefined,
    413,
    'body-too-large',
    /larger than the server's limit of 262144 bytes/,
  ],
  [
    'another protocol version',
    () => JSON.stringify(request()),
    { ...auth, [PROTOCOL_HEADER]: '2' },
    400,
    'protocol-version',
    /speaks DragGAN protocol 1 but the client speaks 2/,
  ],
];

test.each(cases)(
  '%s: a clear 4xx, and the server keeps serving',
  async (_name, body, headers, status, code, message) => {
    const r = await post('/v1/drag-steps', body(), headers);
    expect(r.status).toBe(status);
    expect(r.body.error?.code).toBe(code);
    expect(r.body.error?.message).toMatch(message);
    expect(r.headers.get(PROTOCOL_HEADER)).toBe('1');
    expect((await fetch(`${server.url}/v1/models`, { headers: auth })).status).toBe(200);
  },
);

test('after all that, drags are still served', async () => {
  expect((await post('/v1/drag-steps', JSON.stringify(request()))).status).toBe(200);
});

test('every request is one JSON log line with its status', () => {
  const lines = server.logs.filter((l) => l.msg === 'request');
  expect(lines.length).toBe(2 * cases.length + 1);
  expect(lines.filter((l) => l.status === 200).length).toBe(cases.length + 1);
  expect(lines.filter((l) => l.path === '/v1/drag-steps' && (l.status as number) >= 400).length).toBe(cases.length);
  expect(lines.every((l) => typeof l.id === 'string' && typeof l.ms === 'number')).toBe(true);
});

test('invert: the image is checked like every other field', async () => {
  const bad = await post(
    '/v1/invert',
    JSON.stringify({ model: 'tiny128', image: { width: 2, height: 2, channels: 3, data: 'AAAA' } }),
  );
  expect(bad.status).toBe(400);
  expect(bad.body.error?.message).toMatch(/image\.data: has 3 bytes; expected 12/);
  const grey = await post('/v1/invert', JSON.stringify({ model: 'tiny128', image: { png: 'iVBORw0KGgo=' } }));
  expect(grey.status).toBe(400);
  expect(grey.body.error?.message).toMatch(/image\.png: is not a readable PNG/);
});

test('health and readiness need no token; other routes do', async () => {
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  expect(await (await fetch(`${server.url}/readyz`)).json()).toMatchObject({ status: 'ready' });
  expect((await fetch(`${server.url}/v1/models`)).status).toBe(401);
  expect((await fetch(`${server.url}/v1/nothing`, { headers: auth })).status).toBe(404);
  expect((await fetch(`${server.url}/v1/models`, { method: 'POST', headers: auth })).status).toBe(405);
});

describe('the client says plainly what is wrong', () => {
  const state = () => {
    const s = newEditState(w0, hp, editModelOfLatent(w0));
    s.pairs = pairs;
    s.tracked = pairs.map((p) => p.handle);
    return s;
  };
  const fast = { retryDelayMs: 1, maxAttempts: 2 };

  test('a refused token', async () => {
    const s = new RemoteDragSession({
      endpoints: [server.url],
      token: 'wrong',
      modelId: 'tiny128',
      state: state(),
      ...fast,
    });
    await expect(s.run({ steps: 1 })).rejects.toThrow(TokenRefusedError);
    await expect(new RemoteGenerator({ endpoints: [server.url], modelId: 'tiny128' }).info()).rejects.toThrow(
      /needs a bearer token/,
    );
  });

  test('an unknown model', async () => {
    const s = new RemoteDragSession({
      endpoints: [server.url],
      token: TOKEN,
      modelId: 'ffhq',
      state: state(),
      ...fast,
    });
    await expect(s.run({ steps: 1 })).rejects.toThrow(UnknownModelError);
    await expect(
      new RemoteGenerator({ endpoints: [server.url], token: TOKEN, modelId: 'cats' }).info(),
    ).rejects.toThrow(/no model 'cats' \(it serves: tiny128\)/);
  });

  test('an unreachable endpoint', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const s = new RemoteDragSession({
      endpoints: [`http://127.0.0.1:${port}`],
      modelId: 'tiny128',
      state: state(),
      ...fast,
    });
    await expect(s.run({ steps: 1 })).rejects.toThrow(EndpointUnreachableError);
    await expect(s.run({ steps: 1 })).rejects.toThrow(/cannot reach the DragGAN endpoint .*ECONNREFUSED/);
  });

  test('another protocol version, or not a DragGAN server at all', async () => {
    let version = '2';
    const other: Server = createServer((_req, res) =>
      res.writeHead(200, version ? { [PROTOCOL_HEADER]: version } : {}).end('{}'),
    );
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    try {
      const g = new RemoteGenerator({ endpoints: [url], modelId: 'tiny128' });
      await expect(g.info()).rejects.toThrow(ProtocolMismatchError);
      await expect(g.info()).rejects.toThrow(/speaks DragGAN protocol 2, this client speaks 1; update the plugin/);
      version = '';
      await expect(g.info()).rejects.toThrow(/is not a DragGAN endpoint/);
    } finally {
      other.closeAllConnections();
      await new Promise<void>((r) => other.close(() => r()));
    }
  });

  test('a state the server refuses (a bug, not a network problem) is not retried', async () => {
    // the client checks a state with the same validator as the server, so only a client that believes in another
    // model (here: one more synthesis block) can send one the server refuses
    const bad = state();
    bad.hp = { ...bad.hp, featureIdx: 6 };
    const model = { ...editModelOfLatent(w0), resolution: 256, numBlocks: 7 };
    const s = new RemoteDragSession({
      endpoints: [server.url],
      token: TOKEN,
      modelId: 'tiny128',
      state: bad,
      model,
      ...fast,
    });
    await expect(s.run({ steps: 1 })).rejects.toThrow(RemoteRequestError);
    await expect(s.run({ steps: 1 })).rejects.toThrow(/featureIdx|feature_idx/);
  });
});

test('drag-steps streams server-sent events when asked to', async () => {
  const res = await fetch(`${server.url}/v1/drag-steps`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify(request()),
  });
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const text = await res.text();
  expect(
    text
      .split('\n\n')
      .filter(Boolean)
      .map((e) => /^event: (\w+)/.exec(e)?.[1]),
  ).toEqual(['start', 'step', 'result']);
});
