import { newEditState } from '../../plugin/core/editState';
import { DragSession } from '../../plugin/drag/dragSession';
import { remoteEngine } from '../../plugin/engine/remoteEngine';
import { startDragServer, type DragServer } from '../../plugin/hosts/server/dragServer';
import { servedModel, type ServedModel } from '../../plugin/hosts/server/servedModel';
import { importCheckpoint } from '../../plugin/model/importCheckpoint';
import { PROTOCOL_HEADER, PROTOCOL_VERSION, ROUTES, type ModelsResponse } from '../../plugin/remote/protocol';
import { RemoteDragSession } from '../../plugin/remote/remoteDragSession';
import { encodeDragState } from '../../plugin/remote/stateCodec';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';
import { Generator } from '../../plugin/stylegan2/generator';
import { zFromSeed } from '../../plugin/stylegan2/latentSeed';
import { prepareImage } from '../../plugin/invert/prepareImage';
import { psnr } from '../../plugin/invert/psnr';
import { toRgba8 } from '../../plugin/stylegan2/imageConversion';
import { fixture } from '../model/fixtures';
import { hp } from './harness';

/**
 * `draggan serve` with a portrait model (human128: StyleGAN-Human's layout, 64 wide x 128 tall): the wire says its
 * width, generates and drags it as locally, and places points and masks on its 64 x 128 pixels.
 */
const pkg = importCheckpoint(fixture('checkpoints', 'human128.pkl'));
let model: ServedModel;
let server: DragServer;
let gen: Generator;

beforeAll(async () => {
  const rt = await ortNodeCpu.create();
  model = servedModel('human128', pkg, rt);
  server = await startDragServer({ models: [model], host: '127.0.0.1', port: 0, log: () => undefined });
  await server.ready;
  gen = new Generator(pkg, rt);
});
afterAll(async () => {
  await server.shutdown();
  await Promise.all([model.engine.release(), gen.release()]);
});

const headers = { 'content-type': 'application/json', [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) };

test('GET /v1/models says the model is 64 wide and 128 tall', async () => {
  const res = await fetch(`${server.url}${ROUTES.models}`, { headers });
  const body = (await res.json()) as ModelsResponse;
  expect(body.models[0]).toMatchObject({ id: 'human128', resolution: 128, width: 64, numWs: 12 });
});

test('generate, then a drag with its handle in the lower half, as a local session does them', async () => {
  const engine = await remoteEngine({ endpoints: [server.url], modelId: 'human128' });
  expect(engine.model).toMatchObject({ resolution: 128, width: 64 });
  const w = await engine.generate(0, 0.7);
  const image = await engine.render(w);
  expect([image.width, image.height]).toEqual([64, 128]);
  expect(Array.from(image.data)).toEqual(Array.from(toRgba8((await gen.synthesize(w)).img).data));

  // a handle in the lower half (the legs), dragged down and right; the mask lets the lower 96 rows change
  const pairs = [{ handle: { x: 30, y: 100 }, target: { x: 36, y: 108 } }];
  const mask = { width: 64, height: 128, data: new Float32Array(64 * 128).map((_, i) => (i >= 64 * 32 ? 1 : 0)) };
  const settings = { ...hp, maxSteps: 4 };
  const local = new DragSession(gen, w, settings);
  local.setPoints(pairs);
  local.setMask(mask);
  const localResult = await local.run();
  const remote = (await engine.openDrag(w, settings)) as RemoteDragSession;
  remote.setPoints(pairs);
  remote.setMask(mask);
  let size: { width: number; height: number } | undefined;
  const remoteResult = await remote.run({ onPreviewPng: (_png, _step, s) => (size = s) });
  expect(remoteResult).toEqual(localResult);
  expect(remote.points).toEqual(local.points);
  expect(remote.points[0].y).toBeGreaterThan(64);
  expect(Array.from(remote.latent().data)).toEqual(Array.from(local.latent().data));
  expect(size).toEqual({ width: 64, height: 128 });
});

test('a point past the 64 px width is refused with a 400 that names the image size', async () => {
  const w0 = await model.engine.generate(0, 0.7);
  const s = newEditState(w0, { ...hp, maxSteps: 2 }, model.shape);
  s.pairs = [{ handle: { x: 70, y: 100 }, target: { x: 60, y: 100 } }];
  s.tracked = [{ x: 70, y: 100 }];
  const res = await fetch(`${server.url}${ROUTES.dragSteps}`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ model: 'human128', state: encodeDragState(s), steps: 1, preview: 'none' }),
  });
  expect(res.status).toBe(400);
  const body = (await res.json()) as { error: { field: string; message: string } };
  expect(body.error.field).toBe('state.pairs[0].handle.x');
  expect(body.error.message).toMatch(/must be within 0\.\.63, got 70: the model's image is 64 x 128 px/);
});

test('/v1/invert fits a picture into the portrait model, framed by its centred 1:2 box', async () => {
  const w = await gen.mapping(zFromSeed(3, pkg.config.z_dim), 0.7);
  const drawn = toRgba8((await gen.synthesize(w)).img);
  // the model's picture between white bars, 100 x 128: the model sees its centred 64 x 128
  const photo = { width: 100, height: 128, channels: 4 as const, data: new Uint8Array(100 * 128 * 4).fill(255) };
  for (let y = 0; y < 128; y++) photo.data.set(drawn.data.subarray(y * 64 * 4, (y + 1) * 64 * 4), (y * 100 + 18) * 4);
  const engine = await remoteEngine({ endpoints: [server.url], modelId: 'human128' });
  const r = await engine.invert(photo, { steps: 40 });
  expect(r.crop).toEqual({ x: 18, y: 0, size: 128, width: 64 });
  // the latent's image scores that PSNR against the locally framed target: the server cut the same 1:2 box (its
  // plan is fitted to its time limit, so the fit itself is not compared with a local run's)
  const { target } = prepareImage(photo, 128, 64);
  expect(psnr((await gen.synthesize(r.latent)).img, target)).toBeCloseTo(r.psnr, 3);
  expect(r.latent.shape).toEqual([1, 12, pkg.config.w_dim]);
  // measured 15.3 dB in 40 steps; the start (w_avg's image) is about 10 dB
  expect(r.psnr).toBeGreaterThan(13);
});
