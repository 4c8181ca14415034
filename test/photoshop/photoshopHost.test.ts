import { loadModelSource } from '../../plugin/engine/modelSource';
/** The Photoshop adapter against the faithful fake of `photoshop` / `uxp` (see test/fakes). */
import { readFileSync } from 'fs';
import { join } from 'path';
import { core, imaging, live, resetPhotoshop, testControl, type FakeDocument, type FakeLayer } from '../fakes/photoshop';
import { picker, pluginFiles } from '../fakes/uxp';
import { PhotoshopPort, PLUGIN_FILES } from '../../plugin/hosts/photoshop/photoshopPort';
import { pickBinaryFile, readPluginBytes, readPluginText } from '../../plugin/hosts/photoshop/uxpFiles';
import type { EditResult } from '../../plugin/ui/hostPort';
import type { Rgba } from '../../plugin/ui/rgba';

const RES = 32;
const port = () => new PhotoshopPort({ text: readPluginText, bytes: readPluginBytes, pick: pickBinaryFile });

function solid(size: number, rgb: readonly number[]): Rgba {
  const data = new Uint8ClampedArray(size * size * 4);
  for (let i = 0; i < size * size; i++) data.set([rgb[0], rgb[1], rgb[2], 255], i * 4);
  return { width: size, height: size, data };
}

function result(image: Rgba): EditResult {
  return { image, latent: { shape: [1, 1], data: new Float32Array(1) }, pairs: [{ handle: { x: 8, y: 16 }, target: { x: 24, y: 16 } }], tracked: [{ x: 9, y: 16 }], frames: [] };
}

function pixel(l: FakeLayer, doc: FakeDocument, x: number, y: number): number[] {
  return [...l.pixels!.subarray((y * doc.width + x) * 4, (y * doc.width + x) * 4 + 4)];
}

describe('reading the source', () => {
  test('the active layer is read at the model resolution from its bounds, squared; image data is disposed', async () => {
    const doc = resetPhotoshop(200, 100);
    const layer = doc.addLayer('Photo');
    layer.fillRect({ left: 20, top: 10, right: 100, bottom: 90 }, [200, 10, 10]);
    layer.fillRect({ left: 60, top: 10, right: 100, bottom: 90 }, [10, 10, 200]);
    const src = await port().readSource(RES);
    expect(src.image.width).toBe(RES);
    expect(src.label).toContain('layer "Photo"');
    expect(src.label).toContain('80 x 80');
    const call = imaging.calls.find((c) => c.fn === 'getPixels')?.options as { layerID: number; sourceBounds: object; targetSize: object };
    expect(call.layerID).toBe(layer.id);
    expect(call.sourceBounds).toEqual({ left: 20, top: 10, right: 100, bottom: 90 });
    expect(call.targetSize).toEqual({ width: RES, height: RES });
    const at = (x: number, y: number) => [...src.image.data.subarray((y * RES + x) * 4, (y * RES + x) * 4 + 3)];
    expect(at(4, 16)).toEqual([200, 10, 10]);
    expect(at(28, 16)).toEqual([10, 10, 200]);
    expect(src.mask).toBeUndefined();
    expect(live.size).toBe(0);
  });

  test('getPixels trims to the layer content: the rest of the square reads as white', async () => {
    const doc = resetPhotoshop(100, 100);
    const layer = doc.addLayer('Small');
    layer.fillRect({ left: 40, top: 40, right: 60, bottom: 60 }, [0, 0, 0]);
    doc.select({ left: 20, top: 20, right: 80, bottom: 80 });
    const src = await port().readSource(RES);
    // the selection (60 px) is bigger than the layer's 20 px: getPixels returns only the 20 px it has
    expect(src.label).toContain('the selection');
    const at = (x: number, y: number) => [...src.image.data.subarray((y * RES + x) * 4, (y * RES + x) * 4 + 4)];
    expect(at(16, 16)).toEqual([0, 0, 0, 255]);
    expect(at(2, 2)).toEqual([255, 255, 255, 255]);
    expect(src.mask).toBeDefined();
    expect(src.mask!.every((v) => v === 1)).toBe(true);
    expect(live.size).toBe(0);
  });

  test('the selection becomes the mask, at the model resolution (Photoshop 25 selection API too)', async () => {
    const doc = resetPhotoshop(64, 64, { selectionApi: true });
    const layer = doc.addLayer('L');
    layer.fillRect({ left: 0, top: 0, right: 64, bottom: 64 }, [50, 50, 50]);
    doc.select({ left: 0, top: 0, right: 32, bottom: 64 });
    const src = await port().readSource(RES);
    // the 32 x 64 selection is widened to a 64 px square: the left half is flexible
    expect(src.mask![5 * RES + 2]).toBe(1);
    expect(src.mask![5 * RES + 30]).toBe(0);
  });

  test('a document that is not RGB is refused with what to do', async () => {
    const doc = resetPhotoshop(10, 10);
    doc.addLayer('L').fillRect({ left: 0, top: 0, right: 10, bottom: 10 }, [1, 2, 3]);
    doc.mode = 'CMYKColorMode';
    await expect(port().readSource(RES)).rejects.toThrow(/Image > Mode > RGB Color/);
  });
});

describe('points from Photoshop', () => {
  test('colour samplers pair up as handle, target; two-point subpaths are handle -> target', async () => {
    const doc = resetPhotoshop(64, 64);
    doc.addLayer('L').fillRect({ left: 0, top: 0, right: 64, bottom: 64 }, [9, 9, 9]);
    doc.colorSamplers = [{ position: { x: 10, y: 10 } }, { position: { x: 20, y: 10 } }, { position: { x: 5, y: 5 } }];
    doc.pathItems = [{ name: 'Work Path', subPathItems: [{ pathPoints: [{ anchor: [32, 32] }, { anchor: [40, 48] }] }, { pathPoints: [{ anchor: [1, 1] }, { anchor: [2, 2] }, { anchor: [3, 3] }] }] }];
    const p = port();
    await p.readSource(RES);
    const pairs = await p.readPoints(RES);
    // the odd sampler is left out, the three-point subpath too; coordinates go from 64 px to 32 px
    expect(pairs).toHaveLength(2);
    expect(pairs[0].handle.x).toBeCloseTo(4.5);
    expect(pairs[0].target.x).toBeCloseTo(9.5);
    expect(pairs[1].handle).toEqual({ x: 15.5, y: 15.5 });
    expect(pairs[1].target).toEqual({ x: 19.5, y: 23.5 });
  });
});

describe('writing the result', () => {
  test('a grouped result and points layer at the original bounds and size, one undo step, source untouched', async () => {
    const doc = resetPhotoshop(200, 100);
    const source = doc.addLayer('Photo');
    source.fillRect({ left: 20, top: 10, right: 100, bottom: 90 }, [200, 10, 10]);
    const before = source.pixels!.slice();
    const p = port();
    await p.readSource(RES);
    const historyBefore = doc.history.length;
    await p.apply(result(solid(RES, [0, 255, 0])));

    expect(doc.history.length).toBe(historyBefore + 1);
    expect(doc.history.at(-1)).toBe('DragGAN edit 1');
    const group = doc.layers[0];
    expect(group.kind).toBe('group');
    expect(group.name).toBe('DragGAN edit 1');
    const [overlay, res] = group.layers;
    expect(res.name).toBe('DragGAN edit 1 result');
    expect(overlay.name).toBe('DragGAN edit 1 points');
    expect(res.boundsNoEffects).toEqual({ left: 20, top: 10, right: 100, bottom: 90 });
    expect(pixel(res, doc, 50, 50)).toEqual([0, 255, 0, 255]);
    expect(pixel(res, doc, 10, 50)[3]).toBe(0);
    // the handle (model 8,16 -> document 40.5,50.5) is red on the overlay, the target blue
    expect(pixel(overlay, doc, 40, 50)).toEqual([255, 43, 43, 255]);
    expect(pixel(overlay, doc, 80, 50)).toEqual([43, 107, 255, 255]);
    expect(source.pixels).toEqual(before);
    expect(doc.layers).toContain(source);
    expect(live.size).toBe(0);
    expect(testControl.progress.at(-1)).toBe(1);

    await p.apply(result(solid(RES, [0, 0, 255])));
    expect(doc.layers[0].name).toBe('DragGAN edit 2');
    expect(doc.history.length).toBe(historyBefore + 2);
  });

  test('cancelling in Photoshop rolls everything back: no layers, no history state', async () => {
    const doc = resetPhotoshop(64, 64);
    doc.addLayer('Photo').fillRect({ left: 0, top: 0, right: 64, bottom: 64 }, [1, 1, 1]);
    const p = port();
    await p.readSource(RES);
    const layers = [...doc.layers];
    const history = [...doc.history];
    testControl.cancelAfterReports = 2;
    await expect(p.apply(result(solid(RES, [0, 255, 0])))).rejects.toThrow(/cancelled/);
    expect(doc.layers).toEqual(layers);
    expect(doc.history).toEqual(history);
    expect(live.size).toBe(0);
  });

  test('a generated image (nothing read) goes over the canvas centre square', async () => {
    const doc = resetPhotoshop(100, 60);
    doc.addLayer('Background', true).fillRect({ left: 0, top: 0, right: 100, bottom: 60 }, [255, 255, 255]);
    doc.activeLayers = [];
    await port().apply(result(solid(RES, [0, 255, 0])));
    expect(doc.layers[0].layers[1].boundsNoEffects).toEqual({ left: 20, top: 0, right: 80, bottom: 60 });
  });
});

describe('the fake enforces the real contracts', () => {
  test('putPixels and layer creation outside executeAsModal throw', async () => {
    const doc = resetPhotoshop(8, 8);
    const l = doc.addLayer('L');
    const data = await imaging.createImageDataFromBuffer(new Uint8Array(8 * 8 * 4), { width: 8, height: 8, components: 4, colorSpace: 'RGB' });
    await expect(imaging.putPixels({ layerID: l.id, imageData: data })).rejects.toThrow(/modal/);
    await expect(doc.createPixelLayer({ name: 'x' })).rejects.toThrow(/modal/);
    await data.dispose();
    await expect(data.getData()).rejects.toThrow(/disposed/);
  });

  test('executeAsModal cannot nest, and history must be resumed before it ends', async () => {
    const doc = resetPhotoshop(8, 8);
    await expect(core.executeAsModal(async () => core.executeAsModal(async () => 1, { commandName: 'inner' }), { commandName: 'outer' })).rejects.toThrow(/already in a modal state/);
    await expect(core.executeAsModal(async (ctx) => void (await ctx.hostControl.suspendHistory({ documentID: doc.id, name: 'x' })), { commandName: 'c' })).rejects.toThrow(/still suspended/);
  });

  test('getPixels returns trimmed sourceBounds', async () => {
    const doc = resetPhotoshop(50, 50);
    const l = doc.addLayer('L');
    l.fillRect({ left: 10, top: 20, right: 30, bottom: 25 }, [1, 2, 3]);
    const r = await imaging.getPixels({ layerID: l.id, sourceBounds: { left: 0, top: 0, right: 50, bottom: 50 } });
    expect(r.sourceBounds).toEqual({ left: 10, top: 20, right: 30, bottom: 25 });
    expect([r.imageData.width, r.imageData.height]).toEqual([20, 5]);
    await r.imageData.dispose();
  });
});

describe('plugin files through uxp storage', () => {
  test('the bundled model and the runtime .wasm are read from the plugin folder; the picker returns the .pkl', async () => {
    const dir = join(__dirname, '../fixtures/packages/tiny64');
    pluginFiles.set(PLUGIN_FILES.modelJson, readFileSync(join(dir, 'model.json')));
    pluginFiles.set(PLUGIN_FILES.weights, readFileSync(join(dir, 'weights.safetensors')));
    const models = await port().listModels();
    expect(models[0].label).toBe('tiny64 (bundled)');
    const source = models[0].source;
    if (!source) throw new Error('the bundled model has no source');
    const pkg = await loadModelSource(source);
    expect(pkg.config.img_resolution).toBe(64);
    await expect(readPluginBytes(PLUGIN_FILES.wasm)).rejects.toThrow(/missing ort-wasm-simd-threaded.wasm; rebuild/);
    picker.next = { name: 'ffhq.pkl', bytes: new Uint8Array([1, 2, 3]) };
    const pick = port().pickCheckpoint;
    expect(await pick?.()).toEqual({ name: 'ffhq.pkl', bytes: new Uint8Array([1, 2, 3]) });
    expect(await pick?.()).toBeNull();
  });
});
