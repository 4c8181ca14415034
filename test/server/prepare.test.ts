import { remoteEngine } from '../../plugin/engine/remoteEngine';
import type { Engine } from '../../plugin/engine/engine';
import { PROTOCOL_HEADER, PROTOCOL_VERSION, ROUTES } from '../../plugin/remote/protocol';
import { startDragServer, type DragServer } from '../../plugin/hosts/server/dragServer';
import { servedModel, type ServedModel } from '../../plugin/hosts/server/servedModel';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';
import { encodeSettings } from '../../plugin/remote/settingsCodec';
import { hp, pkg, w0 } from './harness';

/**
 * POST /v1/prepare: a served engine builds ahead while the user places points, as a worker does (Engine.prepareDrag),
 * so the drag that follows builds nothing on its first step.
 */
let server: DragServer;
let model: ServedModel;
let engine: Engine;
/** The sessions the server's runtime has built, by label, in order. */
const built: string[] = [];

beforeAll(async () => {
  const rt = await ortNodeCpu.create();
  model = servedModel('tiny128', pkg, {
    ...rt,
    createSession: async (bytes, options) => (built.push(String(options?.label)), rt.createSession(bytes, options)),
  });
  server = await startDragServer({ models: [model], host: '127.0.0.1', port: 0, log: () => undefined, drainMs: 2000 });
  await server.ready;
  engine = await remoteEngine({ endpoints: [server.url], modelId: 'tiny128' });
}, 120_000);

afterAll(async () => {
  await server.shutdown();
  await model.engine.release();
});

const post = (body: unknown) =>
  fetch(`${server.url}${ROUTES.prepare}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
    body: JSON.stringify(body),
  });

test('a drag prepared on the endpoint builds nothing when it runs', async () => {
  // the warm-up built the one-handle drag; three handles (and a mask) need their own sessions
  const handles = [
    { x: 20, y: 20 },
    { x: 60, y: 90 },
    { x: 100, y: 40 },
  ];
  for (const masked of [false, true]) {
    const before = built.length;
    await engine.prepareDrag?.(handles, masked, hp);
    expect(built.length).toBeGreaterThan(before);
    const afterPrepare = built.length;
    const session = await engine.openDrag(w0, hp);
    // elsewhere than prepared: only the number of handles matters
    session.setPoints(
      handles.map((p) => ({ handle: { x: p.x + 5, y: p.y + 3 }, target: { x: p.x + 15, y: p.y + 10 } })),
    );
    if (masked) session.setMask({ width: 128, height: 128, data: new Float32Array(128 * 128).fill(1) });
    expect(await session.run({ steps: 2 })).toMatchObject({ steps: 2 });
    expect(built.slice(afterPrepare).filter((label) => label.startsWith('vjp'))).toEqual([]);
  }
}, 120_000);

test('a prepare that breaks the protocol is refused with the field and what to do', async () => {
  const good = { model: 'tiny128', handles: [{ x: 10, y: 10 }], masked: false, hp: encodeSettings(hp) };
  const refusal = async (body: unknown) => {
    const res = await post(body);
    return { status: res.status, error: ((await res.json()) as { error: { field?: string; message: string } }).error };
  };
  expect(await refusal({ ...good, handles: [] })).toMatchObject({
    status: 400,
    error: { field: 'handles', message: expect.stringMatching(/at least one/) },
  });
  expect(await refusal({ ...good, handles: [{ x: 500, y: 1 }] })).toMatchObject({
    status: 400,
    error: { field: 'handles[0].x' },
  });
  expect(await refusal({ ...good, masked: 'no' })).toMatchObject({
    status: 400,
    error: { field: 'masked', message: expect.stringMatching(/true or false/) },
  });
  expect(await refusal({ ...good, hp: { ...good.hp, r1: -3 } })).toMatchObject({
    status: 400,
    error: { field: 'hp.r1' },
  });
  expect(await refusal({ ...good, model: 'nope' })).toMatchObject({ status: 404 });
  const ok = await post(good);
  expect(ok.status).toBe(200);
  expect(await ok.json()).toMatchObject({ protocol: PROTOCOL_VERSION, model: 'tiny128', ms: expect.any(Number) });
});

test('an endpoint that predates /v1/prepare is asked once, and the drag goes on without it', async () => {
  const asked: string[] = [];
  // the server as it was before the route: /v1/prepare is a 404 like any unknown route
  const older: typeof fetch = async (input, init) => {
    const url = String(input);
    asked.push(new URL(url).pathname);
    if (url.endsWith(ROUTES.prepare)) {
      return new Response(
        JSON.stringify({ error: { code: 'not-found', message: `no such route ${ROUTES.prepare}` } }),
        { status: 404, headers: { 'content-type': 'application/json', [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) } },
      );
    }
    return fetch(input, init);
  };
  const old = await remoteEngine({ endpoints: [server.url], modelId: 'tiny128', fetch: older });
  await expect(old.prepareDrag?.([{ x: 10, y: 10 }], false, hp)).resolves.toBeUndefined();
  await expect(
    old.prepareDrag?.(
      [
        { x: 10, y: 10 },
        { x: 30, y: 30 },
      ],
      false,
      hp,
    ),
  ).resolves.toBeUndefined();
  expect(asked.filter((p) => p === ROUTES.prepare)).toHaveLength(1);
});
