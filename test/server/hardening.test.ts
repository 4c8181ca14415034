import { ROUTES } from '../../plugin/remote/protocol';
import { startTestServer, type TestServer } from './harness';
import { postHead, rawClient, rawRequest, sleep, until, type RawClient } from './rawHttp';

/**
 * Resource limits against slow and hostile clients (issue 14): every test is bounded in sockets and time, and
 * measures what a user of the server would notice: health answers, refusals that come at once, sockets let go.
 */
const TOKEN = 'hardening-token';
const LIMITS = {
  token: TOKEN,
  warmUp: false,
  concurrency: 1,
  queueCapacity: 2,
  bodyIdleMs: 400,
  bodyTimeoutMs: 1500,
  headersTimeoutMs: 1000,
  drainMs: 1000,
};
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer(LIMITS);
});
afterAll(async () => {
  await server.shutdown();
  await server.release();
});

const statusOf = (c: RawClient) => Number(/^HTTP\/1\.1 (\d{3})/.exec(c.received())?.[1] ?? 0);

async function timedHealth(): Promise<number> {
  const t0 = Date.now();
  const r = await rawRequest(`${server.url}${ROUTES.healthz}`);
  expect(r.status).toBe(200);
  return Date.now() - t0;
}

test('a slow-body flood from one client: /healthz answers within 1 s, the server holds at most 32 of its sockets and lets all go', async () => {
  const port = server.port;
  const flood: RawClient[] = [];
  // 300 clients from another loopback address, half with the token, each sending its body a byte at a time
  for (let i = 0; i < 300; i++) flood.push(await rawClient(port, '127.0.0.2'));
  for (const [i, c] of flood.entries())
    c.socket.write(`${postHead(ROUTES.dragSteps, 10_000, i % 2 ? TOKEN : undefined)}{`);
  const trickle = setInterval(() => {
    for (const c of flood) if (!c.isClosed()) c.socket.write(' ');
  }, 300);
  try {
    const health: number[] = [];
    for (let i = 0; i < 6; i++) {
      health.push(await timedHealth());
      await sleep(300);
    }
    expect(Math.max(...health)).toBeLessThan(1000);
    const turnedAway = flood.filter((c) => statusOf(c) === 503 && c.received().includes('too-many-connections'));
    expect(turnedAway.length).toBeGreaterThanOrEqual(300 - 32);
    // the ones it took: refused (401), answered 429 (the queue holds 1 running + 2), or timed out (408)
    for (const c of flood.filter((c) => !turnedAway.includes(c)))
      await until(() => statusOf(c) !== 0, 3000, 'an answer to a served flood client');
    expect(new Set(flood.map(statusOf))).toEqual(new Set([401, 408, 429, 503]));
    // every flood socket is closed by the server, though the clients go on sending
    await until(() => flood.every((c) => c.isClosed()), 5000, 'the server to close every flood socket');
    expect(await timedHealth()).toBeLessThan(1000);
  } finally {
    clearInterval(trickle);
    for (const c of flood) c.socket.destroy();
  }
}, 20_000);

test('bodies are read only after a place in the queue: with every place held by stalled bodies, the next request is refused at once', async () => {
  const stalled = await Promise.all([0, 1, 2].map(() => rawClient(server.port)));
  for (const c of stalled) c.socket.write(`${postHead(ROUTES.generate, 1000, TOKEN)}{"model":`);
  await sleep(100);
  const t0 = Date.now();
  const r = await rawRequest(`${server.url}${ROUTES.generate}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: '{"model":"tiny128","seed":1}',
  });
  expect(r.status).toBe(429);
  expect(JSON.parse(r.text)).toMatchObject({ error: { code: 'busy' } });
  expect(Date.now() - t0).toBeLessThan(500);
  // the stalled bodies are given up after a pause of bodyIdleMs, with a 408 that says why
  await until(() => stalled.every((c) => statusOf(c) !== 0), 2000, 'the stalled bodies to time out');
  for (const c of stalled) {
    expect(statusOf(c)).toBe(408);
    expect(c.received()).toMatch(/request body stopped arriving \(nothing for 0\.4 s\)/);
  }
  for (const c of stalled) c.socket.destroy();
});

test('bodies held at once are capped at four of the largest: a fifth large request is refused before it is read', async () => {
  const s = await startTestServer({ ...LIMITS, queueCapacity: 8, maxBodyBytes: 100_000, bodyIdleMs: 5000 });
  const stalled = await Promise.all([0, 1, 2, 3].map(() => rawClient(s.port)));
  try {
    for (const c of stalled) c.socket.write(`${postHead(ROUTES.generate, 100_000, TOKEN)}{`);
    await sleep(100);
    const r = await rawRequest(`${s.url}${ROUTES.generate}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'content-length': '100000' },
      body: ' '.repeat(100_000),
    });
    expect(r.status).toBe(429);
    expect(JSON.parse(r.text)).toMatchObject({
      error: { code: 'busy', message: expect.stringMatching(/holding .* MB of other large requests/) },
    });
    expect(stalled.map(statusOf)).toEqual([0, 0, 0, 0]);
  } finally {
    for (const c of stalled) c.socket.destroy();
    await s.shutdown();
    await s.release();
  }
});

test('a body that keeps trickling in is cut at the body time limit', async () => {
  const c = await rawClient(server.port);
  c.socket.write(`${postHead(ROUTES.generate, 1000, TOKEN)}{`);
  const t0 = Date.now();
  const trickle = setInterval(() => c.socket.write(' '), 150);
  try {
    await until(() => statusOf(c) !== 0, 3000, 'the body time limit');
    expect(statusOf(c)).toBe(408);
    expect(c.received()).toMatch(/did not arrive within 1\.5 s/);
    expect(Date.now() - t0).toBeGreaterThan(1000);
  } finally {
    clearInterval(trickle);
    c.socket.destroy();
  }
});

test('an oversized Content-Length is refused at once, before any body, and the connection is let go', async () => {
  const c = await rawClient(server.port);
  const t0 = Date.now();
  c.socket.write(postHead(ROUTES.dragSteps, 10 * 2 ** 30, TOKEN));
  await until(() => statusOf(c) !== 0, 1000, 'the 413');
  expect(Date.now() - t0).toBeLessThan(500);
  expect(statusOf(c)).toBe(413);
  expect(c.received()).toMatch(/body-too-large/);
  await until(() => c.isClosed(), 4000, 'the server to close the connection');
});

test('headers that never finish are cut at the header time limit', async () => {
  const c = await rawClient(server.port);
  c.socket.write(`POST ${ROUTES.generate} HTTP/1.1\r\nhost: 127.0.0.1\r\n`);
  await until(() => c.isClosed(), 3500, 'the header time limit');
  expect(statusOf(c)).toBe(408);
});

test('connections over the caps are answered 503 at once, per client address and in total', async () => {
  const capped = await startTestServer({ ...LIMITS, maxConnectionsPerClient: 2, maxConnections: 3 });
  const open: RawClient[] = [];
  try {
    for (let i = 0; i < 3; i++) open.push(await rawClient(capped.port, '127.0.0.3'));
    await until(() => open[2].isClosed(), 2000, 'the third connection of one client to be refused');
    expect(statusOf(open[2])).toBe(503);
    expect(open[2].received()).toMatch(/this client already has 2 connections open to the server \(the limit is 2\)/);
    expect(open[2].received()).toMatch(/retry-after: 1/);
    // another address is still served, up to the total
    for (let i = 0; i < 2; i++) open.push(await rawClient(capped.port, '127.0.0.4'));
    await until(() => open[4].isClosed(), 2000, 'a connection over the total to be refused');
    expect(open[4].received()).toMatch(/the server holds its limit of 3 connections/);
    expect(open.map((c) => c.isClosed())).toEqual([false, false, true, false, true]);
  } finally {
    for (const c of open) c.socket.destroy();
    await capped.shutdown();
    await capped.release();
  }
});

test('shutdown ends within drain + 5 s with a stalled authenticated body, half-sent headers and a client that reads nothing', async () => {
  const s = await startTestServer({ ...LIMITS, bodyIdleMs: 60_000, bodyTimeoutMs: 60_000, headersTimeoutMs: 60_000 });
  const body = await rawClient(s.port);
  body.socket.write(`${postHead(ROUTES.dragSteps, 1000, TOKEN)}{"model":`);
  const head = await rawClient(s.port);
  head.socket.write(`POST ${ROUTES.generate} HTTP/1.1\r\nhost: 127.0.0.1\r\n`);
  const deaf = await rawClient(s.port);
  deaf.socket.pause();
  deaf.socket.write(`${postHead(ROUTES.generate, 100, TOKEN)}{`);
  await sleep(200);
  const t0 = Date.now();
  try {
    await s.shutdown();
    expect(Date.now() - t0).toBeLessThan(LIMITS.drainMs + 5000);
    // the stalled body is queued work: it is told at once to retry elsewhere
    expect(statusOf(body)).toBe(503);
    expect(body.received()).toMatch(/shutting-down/);
    await until(() => body.isClosed() && head.isClosed(), 1000, 'the connections to be closed');
    // the deaf client never reads the close; the server has let it go all the same
    expect(await new Promise((r) => s.server.getConnections((_e, n) => r(n)))).toBe(0);
    expect(s.logs.map((l) => l.msg)).toContain('stopped');
  } finally {
    for (const c of [body, head, deaf]) c.socket.destroy();
    await s.release();
  }
});
