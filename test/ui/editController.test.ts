import { BackendError } from '../../plugin/core/errors';
import { EditController } from '../../plugin/ui/editController';
import type { Image8 } from '../../plugin/codecs/image8';
import type { FramedFace, PhotoComposite } from '../../plugin/engine/photoFaces';
import type { FaceSearchControl } from '../../plugin/faces/facesInPhoto';
import { NAMED_LANDMARKS as NAMED, partsFromNamed } from '../../plugin/faces/namedParts';
import { FakeControllerHost, FakePort, RES, fakeEngine } from './fakeHost';

/** A face's named points in the fake model's 16 px square: eyes at y 6, nose 8.5, mouth 11, jaw round the bottom. */
const PLACES: Record<string, { x: number; y: number }> = Object.fromEntries(
  NAMED.map((n) => {
    const at: Record<string, [number, number]> = {
      brow_l_out: [3, 4],
      brow_l_mid: [4.5, 3.6],
      brow_l_in: [6, 4],
      brow_r_in: [10, 4],
      brow_r_mid: [11.5, 3.6],
      brow_r_out: [13, 4],
      eye_l_out: [3.5, 6],
      eye_l_top: [5, 5.5],
      eye_l_in: [6.5, 6],
      eye_l_bot: [5, 6.5],
      eye_r_in: [9.5, 6],
      eye_r_top: [11, 5.5],
      eye_r_out: [12.5, 6],
      eye_r_bot: [11, 6.5],
      nose_tip: [8, 8.5],
      mouth_l: [6, 11],
      lip_top: [8, 10.5],
      mouth_c: [8, 11],
      lip_bot: [8, 11.8],
      mouth_r: [10, 11],
    };
    const jaw = /^jaw(\d)$/.exec(n);
    const p = jaw ? [2 + 1.5 * Number(jaw[1]), 10 + 3 * Math.sin((Math.PI * Number(jaw[1])) / 8)] : at[n];
    return [n, { x: p[0], y: p[1] }];
  }),
);

async function ready(stepDelay = 1) {
  const backend = fakeEngine(stepDelay);
  const port = new FakePort(backend);
  const host = new FakeControllerHost();
  const edit = new EditController(host, port);
  await edit.init();
  return { edit, port, backend, host };
}

describe('the edit flow', () => {
  test('generate, place points, run to convergence; handles advance; undo and reset go back', async () => {
    const { edit, backend } = await ready();
    expect(edit.resolution).toBe(16);
    await edit.updateSettings({ seed: 3 });
    await edit.generate();
    expect(edit.error).toBeNull();
    expect(edit.current?.image.data[0]).toBe(3);
    edit.points.press({ x: 2, y: 8 }, 1);
    edit.points.press({ x: 8, y: 8 }, 1);
    await edit.run();
    expect(edit.error).toBeNull();
    expect(edit.lastStop).toBe('converged');
    expect(edit.status).toMatch(/every handle reached its target/);
    expect(edit.points.pairs[0].handle.x).toBeGreaterThanOrEqual(7);
    expect(edit.history).toHaveLength(1);
    expect(edit.frames.length).toBeGreaterThan(0);
    expect(backend.sessions[0].hp.maxSteps).toBe(edit.settings.maxSteps);
    const dragged = edit.current;
    // the strip: clicking the earlier result shows it, and the dragged one joins the strip
    edit.restore(0);
    expect(edit.current?.image.data[0]).toBe(3);
    expect(edit.history.at(-1)).toBe(dragged);
    edit.restore(edit.history.length - 1);
    expect(edit.current).toBe(dragged);
    edit.undo();
    expect(edit.current?.image.data[0]).toBe(3);
    expect(edit.points.pairs[0].handle).toEqual({ x: 2, y: 8 });
    edit.reset();
    expect(edit.current).toBe(edit.origin);
  });

  test('Apply right after a Stop writes the final image, not the preview that stood in for it', async () => {
    const { edit, port } = await ready(20);
    await edit.updateSettings({ previewEvery: 1000 });
    await edit.generate();
    edit.points.set([{ handle: { x: 0, y: 0 }, target: { x: 15, y: 15 } }]);
    const run = edit.run();
    await new Promise((r) => setTimeout(r, 120));
    edit.stop();
    await run;
    await edit.apply();
    const steps = edit.history.length
      ? Math.round((edit.current!.latent.data[0] - edit.history[0].latent.data[0]) / 10)
      : 0;
    expect(steps).toBeGreaterThan(0);
    // the fake renders a latent at the grey level of its first value: the applied image is the stopped latent's
    expect(port.applied[0].image.data[0]).toBe(Math.round(edit.current!.latent.data[0]));
    expect(edit.frames.at(-1)?.data[0]).toBe(Math.round(edit.current!.latent.data[0]));
  });

  test('Stop ends a run early and keeps the partial result', async () => {
    const { edit } = await ready(20);
    await edit.generate();
    edit.points.set([{ handle: { x: 0, y: 0 }, target: { x: 15, y: 15 } }]);
    const run = edit.run();
    await new Promise((r) => setTimeout(r, 120));
    expect(edit.running).toBe(true);
    expect(edit.points.locked).toBe(true);
    edit.stop();
    await run;
    expect(edit.lastStop).toBe('cancelled');
    expect(edit.status).toMatch(/Stopped after \d+ steps/);
    expect(edit.running).toBe(false);
    expect(edit.history).toHaveLength(1);
  });

  test('problems are said in place with what to do', async () => {
    const { edit } = await ready();
    await edit.run();
    expect(edit.error).toMatch(/Generate an image/);
    await edit.generate();
    await edit.run();
    expect(edit.error).toMatch(/click the image once for a handle/);
    await edit.updateSettings({ backend: 'remote', remoteUrl: '' });
    await edit.generate();
    expect(edit.error).toMatch(/enter the endpoint URL/);
    await edit.updateSettings({ backend: 'wasm' });
    await edit.updateSettings({ lr: -1 });
    await edit.generate();
    expect(edit.error).toMatch(/learning rate must be/i);
  });

  test('the mask goes to the session; host points are imported; apply hands the result to the host', async () => {
    const { edit, port, backend } = await ready();
    await edit.generate();
    await edit.importHostPoints();
    expect(edit.points.pairs).toEqual([{ handle: { x: 2, y: 2 }, target: { x: 5, y: 2 } }]);
    edit.mask.begin({ x: 4, y: 4 });
    edit.mask.end();
    await edit.run();
    expect(backend.sessions[0].mask).not.toBeNull();
    await edit.apply();
    expect(port.applied).toHaveLength(1);
    expect(port.applied[0].pairs).toHaveLength(1);
    // a generated image has no source of the host's to composite onto
    expect(port.applied[0].reconstruction).toBeUndefined();
  });

  test("an edit of the host's image carries the model's image of that source, so the host can composite at full size", async () => {
    const { edit, port } = await ready();
    await edit.useHostSource();
    const source = edit.current!.image;
    edit.points.set([{ handle: { x: 2, y: 8 }, target: { x: 8, y: 8 } }]);
    await edit.run();
    await edit.apply();
    expect(port.applied[0].reconstruction).toBe(source);
    expect(port.applied[0].image).not.toBe(source);
    // a generated image afterwards starts an edit with nothing of the host's under it
    await edit.generate();
    await edit.apply();
    expect(port.applied[1].reconstruction).toBeUndefined();
  });

  test('settings persist through the host and survive reloading', async () => {
    const { edit, port } = await ready();
    await edit.updateSettings({ lr: 0.005, mode: 'w' });
    expect(port.stored.lr).toBe(0.005);
    const again = new EditController(new FakeControllerHost(), port);
    await again.init();
    expect(again.settings.lr).toBe(0.005);
    expect(again.settings.mode).toBe('w');
  });

  test('a local engine that runs is used by itself, and what it runs on is kept for the Settings line', async () => {
    const port = new FakePort(fakeEngine(1));
    Object.assign(port, { findLocalServer: async () => ({ url: 'http://127.0.0.1:8765', engine: 'CPU, 8 threads' }) });
    const edit = new EditController(new FakeControllerHost(), port);
    await edit.init().catch(() => undefined);
    expect(edit.settings.backend).toBe('local-server');
    expect([edit.localServerUrl, edit.localServerEngine]).toEqual(['http://127.0.0.1:8765', 'CPU, 8 threads']);
    // a server from before the report: found all the same, nothing said about its device
    Object.assign(port, { findLocalServer: async () => ({ url: 'http://127.0.0.1:8765' }) });
    await edit.updateSettings({ backend: 'wasm' });
    await edit.updateSettings({ backend: 'local-server' });
    expect([edit.localServerUrl, edit.localServerEngine]).toEqual(['http://127.0.0.1:8765', undefined]);
  });

  test('a local engine chosen before but no longer running: the panel says nothing is wrong and runs in-panel', async () => {
    const port = new FakePort(fakeEngine(1));
    port.stored = { backend: 'local-server' };
    const asked: string[] = [];
    Object.assign(port, { findLocalServer: async () => (asked.push('probe'), null) });
    const edit = new EditController(new FakeControllerHost(), port);
    await edit.init();
    expect(asked).toEqual(['probe']);
    expect(edit.settings.backend).toBe('wasm');
    expect(edit.error).toBeNull();
    expect(edit.model).toBeDefined();
    // picked again in Settings: looked for again, and its absence said with what to do
    await edit.updateSettings({ backend: 'local-server' });
    expect(asked).toEqual(['probe', 'probe']);
    expect(edit.error).toMatch(
      /^No local engine answers on this computer: start the local engine \(in a terminal, in DragGAN.s folder: npm run build && npm run serve/,
    );
  });

  test('the method chosen in Settings is the one the drag runs with, and is remembered', async () => {
    const { edit, port, backend } = await ready();
    expect(edit.settings.method).toBe('draggan');
    await edit.updateSettings({ method: 'robust' });
    expect(port.stored.method).toBe('robust');
    await edit.generate();
    edit.points.press({ x: 2, y: 8 }, 1);
    edit.points.press({ x: 8, y: 8 }, 1);
    await edit.run();
    expect(backend.sessions.at(-1)?.hp.method).toBe('robust');
    const again = new EditController(new FakeControllerHost(), port);
    await again.init();
    expect(again.settings.method).toBe('robust');
  });
});

describe('state that must not outlive what it belongs to', () => {
  test("a newly opened photo starts without the previous image's points, half-placed handle and mask", async () => {
    const { edit } = await ready();
    await edit.generate();
    edit.points.set([{ handle: { x: 2, y: 8 }, target: { x: 8, y: 8 } }]);
    edit.points.press({ x: 12, y: 12 }, 0.1);
    expect(edit.points.pending).not.toBeNull();
    edit.mask.begin({ x: 4, y: 4 });
    edit.mask.end();
    expect(edit.mask.forSession()).not.toBeNull();
    await edit.useHostSource();
    expect(edit.error).toBeNull();
    expect(edit.current?.image.data[0]).toBe(100);
    expect(edit.points.pairs).toEqual([]);
    expect(edit.points.pending).toBeNull();
    expect(edit.mask.forSession()).toBeNull();
    expect(edit.status).toMatch(/photo\.png/);
  });

  test('after a failure the status line is back to what it said, not left on the step that failed', async () => {
    const { edit, port } = await ready();
    const idle = edit.status;
    expect(idle).toMatch(/16 px/);
    // another engine is asked for and cannot start
    port.failCreate = new BackendError('no execution backend could start');
    await edit.updateSettings({ backend: 'webgpu' });
    expect(edit.error).toMatch(/^No execution backend could start\. Choose another engine in Settings\.$/);
    expect(edit.status).toBe(idle);
    await edit.generate();
    expect(edit.error).toMatch(/^No execution backend could start\. Choose another engine in Settings\.$/);
    expect(edit.status).toBe(idle);
    port.failCreate = null;
    port.checkpoint = { name: 'broken.pkl', file: new Uint8Array([1, 2, 3, 4]) };
    await edit.importCheckpoint();
    expect(edit.error).toMatch(/checkpoint/i);
    expect(edit.status).toBe(idle);
    expect(edit.busy).toBeNull();
  });

  test.each([1, 3])('frames: one per previewed step, oldest first, none repeated (preview every %i)', async (every) => {
    const { edit } = await ready();
    await edit.updateSettings({ previewEvery: every });
    await edit.generate();
    edit.points.set([{ handle: { x: 1, y: 8 }, target: { x: 11, y: 8 } }]);
    await edit.run();
    expect(edit.lastStop).toBe('converged');
    // the fake's frames are grey at 10 x the step they show
    const steps = edit.frames.map((f) => f.data[0] / 10);
    for (let i = 1; i < steps.length; i++) expect(steps[i]).toBeGreaterThan(steps[i - 1]);
    const total = steps.at(-1)!;
    expect(total).toBeGreaterThanOrEqual(9);
    // previews come on due steps only (as often as the time budget allows), and the last step's image ends the run
    expect(steps.every((k) => k % every === 0 || k === total)).toBe(true);
    expect(steps.at(-1)).toBe(total);
    expect(edit.frames.at(-1)?.data).toEqual(edit.current?.image.data);
  });

  test('input that arrives during a run is refused in place, and taken again once idle', async () => {
    const { edit } = await ready(20);
    await edit.generate();
    edit.points.set([{ handle: { x: 0, y: 0 }, target: { x: 15, y: 15 } }]);
    const run = edit.run();
    await new Promise((r) => setTimeout(r, 60));
    expect(edit.refuseWhileBusy('The dropped file a.png')).toBe(true);
    expect(edit.error).toMatch(
      /The dropped file a\.png was not opened: dragging is still under way\. Wait for it \(or Stop\)/,
    );
    expect(edit.running).toBe(true);
    edit.stop();
    await run;
    expect(edit.refuseWhileBusy('The dropped file a.png')).toBe(false);
  });

  test('an empty number field is refused with what to enter, not read as 0', async () => {
    const { edit } = await ready();
    await edit.updateSettings({ psi: NaN });
    await edit.generate();
    expect(edit.error).toMatch(/The truncation psi must be a number from -2 to 2, got NaN/);
    await edit.updateSettings({ psi: 0.7, previewEvery: NaN });
    await edit.generate();
    expect(edit.error).toMatch(/The preview interval must be a whole number from 1 to 10000, got NaN/);
  });
});

describe('a face model: faces found in the picture read, picked, inverted, presets, applied back into the picture', () => {
  /** Eyes, brows, nose, mouth and jaw of a face in the fake model's 16 px square. */
  const parts = partsFromNamed(
    NAMED,
    NAMED.map((n) => PLACES[n]),
  );
  const photo = { width: 40, height: 30, data: new Uint8ClampedArray(40 * 30 * 4).fill(90) };
  const toPhoto = (k: number) => ({ a: 1, b: 0, c: 10 * k, d: 0, e: 1, f: 5 });

  async function faceReady(
    found: number,
    psnr = 30,
    search?: (p: Image8, control: FaceSearchControl) => Promise<FramedFace[]>,
  ) {
    const base = fakeEngine();
    const composites: unknown[][] = [];
    const engine = {
      ...base,
      model: {
        ...base.model,
        alignment: 'procedural' as const,
        faceModel: 'procedural' as const,
        domain: 'cartoon faces, 128 px demo',
      },
      async findFaces(p: Image8, control: FaceSearchControl = {}): Promise<FramedFace[]> {
        expect(p.width).toBe(40);
        if (search) return search(p, control);
        return Array.from({ length: found }, (_, k) => ({
          box: { x: 10 * k, y: 5, width: 16, height: 16 },
          confidence: 0.9 - k / 10,
          image: { width: RES, height: RES, data: new Uint8ClampedArray(RES * RES * 4).fill(50 + 100 * k) },
          toPhoto: toPhoto(k),
          parts,
        }));
      },
      async invert(image: { data: ArrayLike<number> }) {
        return {
          latent: { shape: [1, 6, 4], data: new Float32Array(24).fill(image.data[0]) },
          psnr,
          steps: 4,
          cancelled: false,
        };
      },
      async composite(...args: unknown[]): Promise<PhotoComposite> {
        composites.push(args);
        return {
          image: photo,
          mask: { width: 40, height: 30, data: new Uint8ClampedArray(1200) },
          bounds: null,
          layer: null,
        };
      },
    };
    const port = new FakePort(engine);
    port.readSource = async () => ({
      image: { width: RES, height: RES, data: new Uint8ClampedArray(RES * RES * 4).fill(70) },
      photo,
      label: 'group.png (40 x 30)',
    });
    const edit = new EditController(new FakeControllerHost(), port);
    await edit.init();
    return { edit, port, composites };
  }

  test('the model card says what it draws; faces are shown before inversion, the user picks the second, presets place movable pairs', async () => {
    const { edit, port, composites } = await faceReady(2);
    expect(edit.status).toMatch(/draws cartoon faces, 128 px demo/);
    await edit.useHostSource();
    expect(edit.error).toBeNull();
    // nothing is inverted yet: the first face's crop is shown for the user to pick
    expect(edit.current).toBeUndefined();
    expect(edit.faces.pick?.index).toBe(0);
    expect(edit.status).toMatch(/Face 1 of 2 in group\.png .* shown as it will be inverted/);
    edit.faces.next();
    expect(edit.faces.pick?.index).toBe(1);
    await edit.faces.invert();
    // the second face's crop (level 150) was inverted
    expect(edit.current!.image.data[0]).toBe(150);
    expect(edit.faces.pick).toBeNull();
    edit.faces.addPreset('smile');
    expect(edit.points.pairs).toHaveLength(2);
    // the pairs are ordinary points: one can be deleted, the other is kept
    edit.points.remove(0);
    expect(edit.points.pairs).toHaveLength(1);
    await edit.run();
    await edit.apply();
    const r = port.applied[0];
    expect(r.inPhoto).toBeDefined();
    await r.inPhoto!();
    // composited where the engine runs, into the whole picture, through the second face's alignment
    expect(composites[0][0]).toMatchObject({ width: 40, height: 30 });
    expect(composites[0][1]).toEqual(toPhoto(1));
  });

  test('no face in the picture: said plainly, with what the model draws, and the square is inverted as it is', async () => {
    const { edit } = await faceReady(0);
    await edit.useHostSource();
    expect(edit.error).toBeNull();
    expect(edit.status).toMatch(
      /group\.png \(40 x 30\): inverted .*No face was found in it: fake draws cartoon faces, 128 px demo, so the square was inverted as it is/,
    );
    expect(edit.faces.pick).toBeNull();
    expect(edit.current!.image.data[0]).toBe(70);
    // a square is not a face: no presets, and Apply has no way back into the picture
    expect(edit.faces.face).toBeNull();
  });

  test('the face search shows a progress bar; Stop ends it and leaves the square to invert', async () => {
    let searching!: () => void;
    const started = new Promise<void>((resolve) => (searching = resolve));
    const { edit } = await faceReady(1, 30, (_p, control) => {
      control.onProgress?.({ done: 32, total: 640 });
      searching();
      // a search ends after the crops it is reading once stopped, with no faces
      return new Promise((resolve) => control.signal?.addEventListener('abort', () => resolve([])));
    });
    const opening = edit.useHostSource();
    await started;
    expect(edit.progress).toEqual({ step: 32, max: 640, label: 'Looking for faces in group.png (40 x 30)' });
    expect(edit.running).toBe(true);
    edit.stop();
    await opening;
    expect(edit.error).toBeNull();
    expect(edit.running).toBe(false);
    expect(edit.status).toMatch(/face search in group\.png \(40 x 30\) was stopped\. Use the square/);
    // nothing inverted yet; the picture's square is shown, and Use the square inverts it
    expect(edit.current).toBeUndefined();
    expect(edit.faces.pick?.found).toEqual([]);
    await edit.faces.useSquare();
    expect(edit.current!.image.data[0]).toBe(70);
    expect(edit.faces.face).toBeNull();
  });

  test('an inversion too poor to edit says so and names what would help', async () => {
    const { edit } = await faceReady(1, 14.2);
    await edit.useHostSource();
    await edit.faces.invert();
    expect(edit.status).toMatch(
      /14\.2 dB PSNR\. That is too low to edit: fake draws cartoon faces, 128 px demo.*an FFHQ model for photographed faces.*tighter selection/,
    );
  });
});
