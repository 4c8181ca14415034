import { editModelOfLatent, newEditState } from '../../plugin/core/editState';
import { PROTOCOL_HEADER, type DragStepsRequest } from '../../plugin/remote/protocol';
import { RemoteDragSession } from '../../plugin/remote/remoteDragSession';
import { encodeDragState } from '../../plugin/remote/stateCodec';
import { hp, pairs, startTestServer, w0, type TestServer } from './harness';

let server: TestServer;
// what a DragGAN client sends: a server without a token takes work only with the protocol header
const json = { 'content-type': 'application/json', 'draggan-protocol': '1' };

beforeAll(async () => {
  server = await startTestServer({ concurrency: 1, queueCapacity: 1 });
});
afterAll(async () => {
  await server.shutdown();
  await server.release();
});

function body(steps: number, maxSteps = 100): string {
  const s = newEditState(w0, { ...hp, maxSteps }, editModelOfLatent(w0));
  s.pairs = pairs;
  s.tracked = pairs.map((p) => p.handle);
  const req: DragStepsRequest = { model: 'tiny128', state: encodeDragState(s), steps, preview: 'none' };
  return JSON.stringify(req);
}

test('a full queue answers 429 with Retry-After and a JSON error; the admitted requests succeed', async () => {
  const send = () =>
    fetch(`${server.url}/v1/drag-steps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'draggan-protocol': '1' },
      body: body(2),
    });
  // one runs, one waits, the rest are refused at once (how many get in depends on timing: each takes a while)
  const answers = await Promise.all(
    [0, 1, 2, 3, 4, 5].map(async () => {
      const res = await send();
      return {
        status: res.status,
        retryAfter: res.headers.get('retry-after'),
        version: res.headers.get(PROTOCOL_HEADER),
        text: await res.text(),
      };
    }),
  );
  const ok = answers.filter((a) => a.status === 200);
  const refused = answers.filter((a) => a.status === 429);
  expect(ok.length).toBeGreaterThanOrEqual(2);
  expect(refused.length).toBeGreaterThanOrEqual(1);
  expect(ok.length + refused.length).toBe(answers.length);
  for (const r of refused) {
    expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(r.version).toBe('1');
    expect(JSON.parse(r.text)).toMatchObject({
      protocol: 1,
      error: { code: 'busy', message: expect.stringMatching(/busy/) },
    });
  }
  for (const a of ok)
    expect(JSON.parse(a.text.trim().split('\n').pop()!)).toMatchObject({
      type: 'result',
      reason: 'steps-done',
      steps: 2,
    });
});

test('a request over the time limit returns the state it reached, and the client carries on from it', async () => {
  const slow = await startTestServer({ timeLimitMs: 600, warmUp: false });
  try {
    // far more steps than fit in the limit, even windowed ones on the tiny model (~10 ms each)
    const res = await fetch(`${slow.url}/v1/drag-steps`, { method: 'POST', headers: json, body: body(5000, 5000) });
    const last = JSON.parse((await res.text()).trim().split('\n').pop()!) as { reason: string; steps: number };
    expect(last.reason).toBe('time-limit');
    expect(last.steps).toBeLessThan(5000);
  } finally {
    await slow.shutdown();
    await slow.release();
  }
});

test('SIGTERM-style shutdown: running work ends with its state (reason shutdown), new work gets 503, then the port closes', async () => {
  const s = await startTestServer({ drainMs: 300, warmUp: false });
  const remote = new RemoteDragSession({
    endpoints: [s.url],
    modelId: 'tiny128',
    state: newEditState(w0, { ...hp, maxSteps: 100 }, editModelOfLatent(w0)),
    stepsPerRequest: 100,
    maxAttempts: 1,
  });
  remote.setPoints(pairs);
  let stopping: Promise<void> | undefined;
  const run = remote.run({
    onStep: (r) => {
      if (r.step === 1) stopping ??= s.shutdown();
    },
  });
  // the run's next request finds the replica gone (or, in a close race, still refusing): the client says so,
  // and keeps the steps it got
  await expect(run).rejects.toThrow(/cannot reach the DragGAN endpoint|stayed busy/);
  await stopping;
  expect(remote.steps).toBeGreaterThanOrEqual(1);
  expect(remote.steps).toBeLessThan(100);
  const line = s.logs.find((l) => l.msg === 'request' && l.path === '/v1/drag-steps');
  expect(line).toMatchObject({ status: 200, reason: 'shutdown' });
  expect(s.logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
  await s.release();
});

test('readiness reports draining during shutdown while liveness stays up', async () => {
  // A long request keeps the server draining (not yet closed) for the whole drain period while we probe it.
  const s = await startTestServer({ drainMs: 3000, warmUp: false });
  const busy = fetch(`${s.url}/v1/drag-steps`, { method: 'POST', headers: json, body: body(5000, 5000) }).then((r) =>
    r.text(),
  );
  await new Promise((r) => setTimeout(r, 100));
  const stopping = s.shutdown();
  const ready = await fetch(`${s.url}/readyz`);
  expect(ready.status).toBe(503);
  expect(await ready.json()).toMatchObject({ status: 'draining' });
  expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
  const refused = await fetch(`${s.url}/v1/drag-steps`, { method: 'POST', headers: json, body: body(1) });
  expect(refused.status).toBe(503);
  expect(refused.headers.get('retry-after')).toBe('1');
  const result = JSON.parse((await busy).trim().split('\n').pop()!) as { type: string; reason: string; steps: number };
  expect(result).toMatchObject({ type: 'result', reason: 'shutdown' });
  expect(result.steps).toBeGreaterThanOrEqual(1);
  await stopping;
  await s.release();
});
