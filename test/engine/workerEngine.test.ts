/**
 * The page's engine and the worker's, joined by an in-memory message channel that clones like postMessage: what a
 * page gets from a Web Worker, on onnxruntime-node so it runs in Jest (the Chromium tests run the real worker).
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { CheckpointError, DragInputError } from '../../plugin/core/errors';
import { dragClip } from '../../plugin/engine/clipDrag';
import type { Engine } from '../../plugin/engine/engine';
import { workerEngine, type WorkerLike } from '../../plugin/engine/workerEngine';
import { serveEngineInWorker } from '../../plugin/engine/workerHost';
import type { FromWorker, ToWorker } from '../../plugin/engine/workerProtocol';
import { NODE_RUNTIMES } from '../../plugin/hosts/node/backends';

const FIXTURES = join(__dirname, '../fixtures/checkpoints');

function channel(): WorkerLike {
  const toWorker: ((e: { data: ToWorker }) => void)[] = [];
  const toPage: ((e: { data: FromWorker }) => void)[] = [];
  // a message is a task of its own and arrives as a copy, as across a real worker boundary
  const deliver = <T>(listeners: ((e: { data: T }) => void)[], m: T) =>
    setTimeout(() => listeners.forEach((l) => l({ data: structuredClone(m) })), 0);
  serveEngineInWorker(
    { postMessage: (m) => deliver(toPage, m), addEventListener: (_type, l) => toWorker.push(l) },
    NODE_RUNTIMES,
  );
  return {
    postMessage: (m) => deliver(toWorker, m),
    addEventListener: (type: 'message' | 'error', l: (e: never) => void) => {
      if (type === 'message') toPage.push(l as (e: { data: FromWorker }) => void);
    },
    terminate: () => undefined,
  };
}

const tiny = () => ({
  kind: 'checkpoint' as const,
  name: 'tiny128.pkl',
  file: new Uint8Array(readFileSync(join(FIXTURES, 'tiny128.pkl'))),
});

describe('the engine in a worker', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await workerEngine(channel(), tiny(), 'cpu');
  });
  afterAll(() => engine.release());

  test('it loads (imports) the model itself and says what runs', () => {
    expect(engine.model.resolution).toBe(128);
    expect(engine.description).toMatch(/onnxruntime-node .* in a Web Worker/);
    expect(engine.notes).toEqual([]);
  });

  test('generate and render give the image as shown', async () => {
    const latent = await engine.generate(3, 0.7);
    expect(latent.shape).toEqual([1, 12, engine.model.wDim]);
    const image = await engine.render(latent);
    expect([image.width, image.height, image.data.length]).toEqual([128, 128, 128 * 128 * 4]);
  });

  test('a drag runs there; the state comes back; a Stop answers at once with the last completed step', async () => {
    const w0 = await engine.generate(1, 0.7);
    const session = await engine.openDrag(w0, { maxSteps: 500, stopDistance: 0, lr: 0.05 });
    session.setPoints([{ handle: { x: 40, y: 40 }, target: { x: 90, y: 80 } }]);
    const steps: number[] = [];
    const images: number[] = [];
    const r = await session.run({
      steps: 3,
      previewEvery: 1,
      onStep: (s) => steps.push(s.step),
      onPreviewImage: (img, step) => images.push(img.width === 128 ? step : -1),
    });
    expect(r).toMatchObject({ reason: 'step-cap', steps: 3 });
    expect(steps).toEqual([1, 2, 3]);
    expect(images.at(-1)).toBe(3);
    expect(session.steps).toBe(3);
    expect(session.latent().data).not.toEqual(w0.data);

    const ac = new AbortController();
    let seen = 0;
    const run = session.run({ signal: ac.signal, onStep: () => (++seen === 2 ? ac.abort() : undefined) });
    const stopped = await run;
    expect(stopped.reason).toBe('cancelled');
    expect(stopped.steps).toBe(5);
    expect(session.steps).toBe(5);
    // the worker stopped too: the next request is answered, not queued behind 495 steps
    const t0 = Date.now();
    await engine.render(session.latent());
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  test('a drag is built ahead there (the panel does it while points are placed), then runs as usual', async () => {
    const points = [
      { x: 30, y: 30 },
      { x: 70, y: 60 },
    ];
    await expect(engine.prepareDrag?.(points, false, { lr: 0.05 })).resolves.toBeUndefined();
    const session = await engine.openDrag(await engine.generate(2, 0.7), { maxSteps: 2, lr: 0.05 });
    session.setPoints(points.map((p) => ({ handle: p, target: { x: p.x + 20, y: p.y } })));
    expect(await session.run({ steps: 2 })).toMatchObject({ steps: 2 });
  });

  test('errors cross by class, so hosts classify them alike', async () => {
    await expect(engine.generate(-1, 0.7)).rejects.toThrow(DragInputError);
    await expect(engine.generate(-1, 0.7)).rejects.toThrow(/the seed must be a whole number from 0 to 4294967295/);
    await expect(
      workerEngine(
        channel(),
        {
          kind: 'checkpoint',
          name: 'bad.pkl',
          file: new Uint8Array(readFileSync(join(FIXTURES, 'bad_os_system.pkl'))),
        },
        'cpu',
      ),
    ).rejects.toThrow(CheckpointError);
  });

  test('a stopped inversion keeps the best fit so far', async () => {
    const target = await engine.render(await engine.generate(5, 0.7));
    const ac = new AbortController();
    let progress = 0;
    const r = await engine.invert(
      { width: 128, height: 128, channels: 4, data: target.data },
      { steps: 400, signal: ac.signal, onProgress: (p) => (p.step >= 3 && ++progress === 1 ? ac.abort() : undefined) },
    );
    expect(r.cancelled).toBe(true);
    expect(r.steps).toBeGreaterThanOrEqual(3);
    expect(r.steps).toBeLessThan(400);
    expect(r.image?.width).toBe(128);
    expect(r.psnr).toBeGreaterThan(5);
  }, 120_000);

  test('a clip drag runs there: its warm-started inversions and its tracking cross to the worker', async () => {
    const [a, b] = [await engine.generate(3, 0.7), await engine.generate(11, 0.7)];
    const mid = { shape: [...a.shape], data: a.data.map((v, i) => v + 0.1 * (b.data[i] - v)) };
    const frames = [await engine.render(a), await engine.render(mid)].map((f) => ({ ...f, channels: 4 as const }));
    // one step from the frame's own neighbour is close already; one cold step from the average latent is not
    const warm = await engine.invert(frames[1], { steps: 1, startLatent: a });
    const cold = await engine.invert(frames[1], { steps: 1 });
    expect(warm.psnr).toBeGreaterThan(cold.psnr + 3);
    const r = await dragClip(engine, frames, {
      key: 0,
      pairs: [{ handle: { x: 60, y: 60 }, target: { x: 66, y: 60 } }],
      hp: { maxSteps: 2 },
      invertSteps: 2,
      warmInvertSteps: 1,
    });
    expect(r.cancelled).toBe(false);
    expect(r.frames.map((f) => [f.index, f.inversion.warm, f.inversion.steps])).toEqual([
      [0, false, 2],
      [1, true, 1],
    ]);
    // the key frame's handle carried to the next frame: near where it was, as the faces differ little
    const [h] = r.frames[1].handles;
    expect(Math.hypot(h.x - 60, h.y - 60)).toBeLessThan(10);
  }, 120_000);
});
