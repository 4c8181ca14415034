import type { Image8 } from '../../plugin/codecs/image8';
import { loadModelSource } from '../../plugin/engine/modelSource';

/** The Photoshop adapter against the faithful fake of `photoshop` / `uxp` (see test/fakes). */
import { readFileSync } from 'fs';
import { join } from 'path';
import {
  core,
  imaging,
  live,
  resetPhotoshop,
  testControl,
  type FakeDocument,
  type FakeLayer,
} from '../fakes/photoshop';
import { dataFiles, dataFolders, picker, pluginFiles, secureItems } from '../fakes/uxp';
import { fsControl } from '../fakes/uxpFs';
import type { UxpByteSource } from '../../plugin/hosts/photoshop/uxpByteSource';
import { importCheckpoint } from '../../plugin/model/importCheckpoint';
import { EditCancelledError, PhotoshopSourceError } from '../../plugin/hosts/photoshop/photoshopErrors';
import { PhotoshopPort, PLUGIN_FILES } from '../../plugin/hosts/photoshop/photoshopPort';
import {
  listSavedModels,
  pickBinaryFile,
  readPluginBytes,
  readPluginText,
  saveModel,
} from '../../plugin/hosts/photoshop/uxpFiles';
import type { EditResult } from '../../plugin/ui/hostPort';

const RES = 32;
const port = () => new PhotoshopPort({ text: readPluginText, bytes: readPluginBytes, pick: pickBinaryFile });

function solid(size: number, rgb: readonly number[]): Image8 {
  const data = new Uint8ClampedArray(size * size * 4);
  for (let i = 0; i < size * size; i++) data.set([rgb[0], rgb[1], rgb[2], 255], i * 4);
  return { width: size, height: size, data };
}

function result(image: Image8): EditResult {
  return {
    image,
    latent: { shape: [1, 1], data: new Float32Array(1) },
    pairs: [{ handle: { x: 8, y: 16 }, target: { x: 24, y: 16 } }],
    tracked: [{ x: 9, y: 16 }],
    frames: [],
    timeline: { ease: true, loop: true },
  };
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
    const call = imaging.calls.find((c) => c.fn === 'getPixels')?.options as {
      layerID: number;
      sourceBounds: object;
      targetSize: object;
    };
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

  test('an answer from a smaller cache level (bounds relative to it) lands where full resolution would', async () => {
    const read = async (cacheLevels: number) => {
      const doc = resetPhotoshop(400, 300);
      const layer = doc.addLayer('Photo');
      layer.fillRect({ left: 37, top: 21, right: 301, bottom: 285 }, [200, 10, 10]);
      layer.fillRect({ left: 169, top: 21, right: 301, bottom: 153 }, [10, 10, 200]);
      testControl.cacheLevels = cacheLevels;
      const src = await port().readSource(RES);
      return { image: [...src.image.data] };
    };
    const full = await read(0);
    const cached = await read(4);
    // 264 px read at 32 px: Photoshop may answer from level 3 (33 px); the image must not move
    expect(cached.image).toEqual(full.image);
  });

  test('a group, an adjustment or a text layer, or an empty one, is refused with what to do; getPixels is not asked', async () => {
    const cases: [string, 'group' | 'curves' | 'text' | 'pixel', RegExp][] = [
      ['Group 1', 'group', /"Group 1" is a group, which has no pixels of its own: select a pixel layer/],
      ['Curves 1', 'curves', /"Curves 1" is an adjustment or fill layer \(curves\)/],
      ['Title', 'text', /"Title" is a text layer: rasterize a copy/],
      ['Layer 1', 'pixel', /"Layer 1" has no pixels: select a pixel layer/],
    ];
    for (const [name, kind, message] of cases) {
      const doc = resetPhotoshop(64, 64);
      doc.addLayer('Background', true).fillRect({ left: 0, top: 0, right: 64, bottom: 64 }, [9, 9, 9]);
      const layer = doc.addLayer(name, false, kind);
      if (layer.pixels && kind === 'text') layer.fillRect({ left: 4, top: 4, right: 40, bottom: 20 }, [0, 0, 0]);
      const err = await port()
        .readSource(RES)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PhotoshopSourceError);
      expect((err as Error).message).toMatch(message);
      expect(imaging.calls.filter((c) => c.fn === 'getPixels')).toHaveLength(0);
    }
  });

  test('a smart object reads as rendered', async () => {
    const doc = resetPhotoshop(64, 64);
    doc.addLayer('Placed', false, 'smartObject').fillRect({ left: 0, top: 0, right: 64, bottom: 64 }, [30, 200, 30]);
    const src = await port().readSource(RES);
    expect([...src.image.data.subarray(0, 3)]).toEqual([30, 200, 30]);
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
    doc.pathItems = [
      {
        name: 'Work Path',
        subPathItems: [
          { pathPoints: [{ anchor: [32, 32] }, { anchor: [40, 48] }] },
          { pathPoints: [{ anchor: [1, 1] }, { anchor: [2, 2] }, { anchor: [3, 3] }] },
        ],
      },
    ];
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

test('a portrait model reads the centred 1:2 box of the square, the selection mask and the points cut the same way', async () => {
  const doc = resetPhotoshop(64, 64);
  const layer = doc.addLayer('L');
  layer.fillRect({ left: 0, top: 0, right: 64, bottom: 64 }, [200, 10, 10]);
  // the centred 1:2 box of the 64 px canvas is columns 16..47: blue there, a red border around it
  layer.fillRect({ left: 16, top: 0, right: 48, bottom: 64 }, [10, 10, 200]);
  doc.select({ left: 0, top: 0, right: 64, bottom: 32 });
  doc.colorSamplers = [{ position: { x: 20, y: 40 } }, { position: { x: 40, y: 40 } }];
  const p = port();
  const src = await p.readSource(RES, RES / 2);
  expect([src.image.width, src.image.height]).toEqual([RES / 2, RES]);
  expect(src.label).toContain('32 x 64 px');
  const at = (x: number, y: number) => [...src.image.data.subarray((y * 16 + x) * 4, (y * 16 + x) * 4 + 3)];
  expect(at(0, 5)).toEqual([10, 10, 200]);
  expect(at(15, 30)).toEqual([10, 10, 200]);
  // the selection's upper half is flexible, 16 x 32 bytes
  expect(src.mask).toHaveLength(16 * 32);
  expect(src.mask![5 * 16 + 3]).toBe(1);
  expect(src.mask![25 * 16 + 3]).toBe(0);
  // document x 20 is square x 9.5, model x 1.5 (the box starts 8 model px in)
  const [pair] = await p.readPoints(RES, RES / 2);
  expect(pair.handle).toEqual({ x: 1.5, y: 19.5 });
  expect(pair.target).toEqual({ x: 11.5, y: 19.5 });
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

  test("an edit of the layer read goes onto the layer's own pixels at full size, in a layer masked to what changed: the rest is the layer's, detail kept", async () => {
    const doc = resetPhotoshop(200, 120);
    const source = doc.addLayer('Photo');
    // a fine checkerboard (detail a 32 px model cannot hold) over the 96 px square at (20, 10)
    for (let y = 10; y < 106; y++)
      for (let x = 20; x < 116; x++)
        source.fillRect({ left: x, top: y, right: x + 1, bottom: y + 1 }, (x + y) % 2 ? [200, 180, 160] : [60, 50, 40]);
    const before = source.pixels!.slice();
    const p = port();
    const read = await p.readSource(RES);
    // the model reconstructs what it read; the edit paints a 4 x 4 model-pixel block green (12 x 12 document px at 3x)
    const edited = { ...read.image, data: read.image.data.slice() };
    for (let y = 14; y < 18; y++) for (let x = 14; x < 18; x++) edited.data.set([0, 255, 0, 255], (y * RES + x) * 4);
    await p.apply({ ...result(edited), reconstruction: read.image });
    const res = doc.layers[0].layers[1];
    expect(res.name).toBe('DragGAN edit 1 result');
    // what the document shows: the result layer through its mask over the source
    const shown = (x: number, y: number) => {
      const m = (res.mask![y * doc.width + x] / 255) * (pixel(res, doc, x, y)[3] / 255);
      return pixel(source, doc, x, y)
        .slice(0, 3)
        .map((s, c) => Math.round(s * (1 - m) + pixel(res, doc, x, y)[c] * m));
    };
    // the layer covers only the changed part, at full size, with a feathered mask: 255 at the edit, falling to 0
    const b = res.boundsNoEffects;
    expect(b.right - b.left).toBeLessThan(96);
    expect(b.right - b.left).toBeGreaterThan(12);
    expect(res.mask![(10 + 48 + 1) * doc.width + 20 + 48 + 1]).toBe(255);
    const edge = [...res.mask!].filter(
      (v, i) => v > 0 && v < 255 && pixel(res, doc, i % doc.width, Math.floor(i / doc.width))[3] > 0,
    ).length;
    expect(edge).toBeGreaterThan(20);
    // far from the edit: the layer's own pixels, bit for bit (the checkerboard, not a blurred up-scale)
    for (const [x, y] of [
      [22, 12],
      [23, 12],
      [110, 100],
      [111, 100],
      [30, 90],
    ])
      expect(shown(x, y)).toEqual(pixel(source, doc, x, y).slice(0, 3));
    // at the edit: green (new content comes from the model, low-passed, so not the full 255)
    const mid = shown(20 + 48 + 1, 10 + 48 + 1);
    expect(mid[1]).toBeGreaterThan(150);
    expect(mid[1] - mid[0]).toBeGreaterThan(100);
    expect(source.pixels).toEqual(before);
    expect(imaging.calls.filter((c) => c.fn === 'putLayerMask')).toHaveLength(1);
    expect(live.size).toBe(0);

    // the same edit without the reconstruction (a generated image): the model's square up-scaled, detail gone
    await p.apply(result(edited));
    const pasted = doc.layers[0].layers[1];
    expect(pixel(pasted, doc, 22, 12)).not.toEqual(pixel(source, doc, 22, 12));
  });

  test("a portrait model's edit of the layer read is composited onto the layer's own pixels, inside the centred 1:2 box it was cut from", async () => {
    const doc = resetPhotoshop(200, 120);
    doc.addLayer('Photo').fillRect({ left: 20, top: 10, right: 116, bottom: 106 }, [200, 180, 160]);
    const p = port();
    const read = await p.readSource(RES, RES / 2);
    // model pixels (4..7, 14..17) of the 16 x 32 image: the square's columns 12..15, document (56..68, 52..64) at 3x
    const edited = { ...read.image, data: read.image.data.slice() };
    for (let y = 14; y < 18; y++) for (let x = 4; x < 8; x++) edited.data.set([0, 255, 0, 255], (y * 16 + x) * 4);
    await p.apply({ ...result(edited), reconstruction: read.image });
    // composited onto the layer's own pixels as a square model's edit is: the layer covers only what changed, inside
    // the box, under a feathered mask
    const res = doc.layers[0].layers[1];
    const b = res.boundsNoEffects;
    expect(b.left).toBeGreaterThanOrEqual(44);
    expect(b.right).toBeLessThanOrEqual(92);
    expect(b.bottom - b.top).toBeLessThan(96);
    expect(res.mask![58 * doc.width + 62]).toBe(255);
    expect(pixel(res, doc, 62, 58)[1] - pixel(res, doc, 62, 58)[0]).toBeGreaterThan(100);
    // beside the box (the square's columns the model never saw): nothing of the edit
    expect(res.mask![58 * doc.width + 40]).toBe(0);
  });

  test('cancelling in Photoshop rolls everything back: no layers, no history state', async () => {
    const doc = resetPhotoshop(64, 64);
    doc.addLayer('Photo').fillRect({ left: 0, top: 0, right: 64, bottom: 64 }, [1, 1, 1]);
    const p = port();
    await p.readSource(RES);
    const layers = [...doc.layers];
    const history = [...doc.history];
    // the cancel arrives after the second progress report: the next Photoshop call throws, as in Photoshop
    testControl.cancelAfterReports = 2;
    await expect(p.apply(result(solid(RES, [0, 255, 0])))).rejects.toThrow(EditCancelledError);
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

  test("a portrait model's image goes over the centred box of its aspect, unstretched, its points with it", async () => {
    const doc = resetPhotoshop(100, 60);
    doc.addLayer('Background', true).fillRect({ left: 0, top: 0, right: 100, bottom: 60 }, [255, 255, 255]);
    doc.activeLayers = [];
    const tall: Image8 = { width: RES / 2, height: RES, data: solid(RES, [0, 255, 0]).data.slice(0, RES * RES * 2) };
    // handle at model (4, 24), target at (12, 24): 60 / 32 document px per model px from (35, 0)
    await port().apply({ ...result(tall), pairs: [{ handle: { x: 4, y: 24 }, target: { x: 12, y: 24 } }] });
    const [overlay, res] = doc.layers[0].layers;
    expect(res.boundsNoEffects).toEqual({ left: 35, top: 0, right: 65, bottom: 60 });
    expect(pixel(overlay, doc, 35 + 8, 46)).toEqual([255, 43, 43, 255]);
    expect(pixel(overlay, doc, 35 + 23, 46)).toEqual([43, 107, 255, 255]);
  });
});

describe('the fake enforces the real contracts', () => {
  test('putPixels and layer creation outside executeAsModal throw', async () => {
    const doc = resetPhotoshop(8, 8);
    const l = doc.addLayer('L');
    const data = await imaging.createImageDataFromBuffer(new Uint8Array(8 * 8 * 4), {
      width: 8,
      height: 8,
      components: 4,
      colorSpace: 'RGB',
    });
    await expect(imaging.putPixels({ layerID: l.id, imageData: data })).rejects.toThrow(/modal/);
    await expect(doc.createPixelLayer({ name: 'x' })).rejects.toThrow(/modal/);
    await data.dispose();
    await expect(data.getData()).rejects.toThrow(/disposed/);
  });

  test('executeAsModal cannot nest; a suspension left open is committed on return, rolled back on a throw', async () => {
    const doc = resetPhotoshop(8, 8);
    await expect(
      core.executeAsModal(async () => core.executeAsModal(async () => 1, { commandName: 'inner' }), {
        commandName: 'outer',
      }),
    ).rejects.toThrow(/already in a modal state/);
    const change = (fail: boolean) =>
      core.executeAsModal(
        async (ctx) => {
          await ctx.hostControl.suspendHistory({ documentID: doc.id, name: fail ? 'failed' : 'kept' });
          await doc.createPixelLayer({ name: fail ? 'gone' : 'stays' });
          if (fail) throw new Error('boom');
        },
        { commandName: 'c' },
      );
    await change(false);
    await expect(change(true)).rejects.toThrow('boom');
    expect(doc.layers.map((l) => l.name)).toEqual(['stays']);
    expect(doc.history).toEqual(['Open', 'kept']);
  });

  test('after a user cancel every Photoshop call in the scope throws', async () => {
    const doc = resetPhotoshop(8, 8);
    testControl.cancelAfterReports = 1;
    const calls: string[] = [];
    await expect(
      core.executeAsModal(
        async (ctx) => {
          const s = await ctx.hostControl.suspendHistory({ documentID: doc.id, name: 'x' });
          ctx.reportProgress({ value: 0.5 });
          expect(ctx.isCancelled).toBe(true);
          for (const [name, call] of [
            ['createPixelLayer', () => doc.createPixelLayer({ name: 'y' })],
            ['getPixels', () => imaging.getPixels({})],
            ['resumeHistory', () => ctx.hostControl.resumeHistory(s, false)],
          ] as const)
            await call().catch(() => calls.push(name));
          throw new Error('user cancelled');
        },
        { commandName: 'c' },
      ),
    ).rejects.toThrow('user cancelled');
    expect(calls).toEqual(['createPixelLayer', 'getPixels', 'resumeHistory']);
    expect(doc.layers).toEqual([]);
  });

  test('getPixels answers from a cache level when the target is small, bounds relative to it; none for groups or adjustments', async () => {
    const doc = resetPhotoshop(100, 100);
    const l = doc.addLayer('L');
    l.fillRect({ left: 10, top: 20, right: 90, bottom: 60 }, [1, 2, 3]);
    const r = await imaging.getPixels({
      layerID: l.id,
      sourceBounds: { left: 0, top: 0, right: 100, bottom: 100 },
      targetSize: { width: 25 },
    });
    expect(r.level).toBe(2);
    expect(r.sourceBounds).toEqual({ left: 2, top: 5, right: 23, bottom: 15 });
    await r.imageData.dispose();
    for (const kind of ['group', 'levels', 'solidColor'] as const)
      await expect(imaging.getPixels({ layerID: doc.addLayer(kind, false, kind).id })).rejects.toThrow(
        /has no pixel data/,
      );
  });

  test('putPixels uses only left and top of targetBounds', async () => {
    const doc = resetPhotoshop(8, 8);
    await core.executeAsModal(
      async () => {
        const l = await doc.createPixelLayer({ name: 'p' });
        const data = await imaging.createImageDataFromBuffer(new Uint8Array(2 * 2 * 4).fill(255), {
          width: 2,
          height: 2,
          components: 4,
          colorSpace: 'RGB',
        });
        await imaging.putPixels({
          layerID: l.id,
          imageData: data,
          targetBounds: { left: 3, top: 4, width: 6, height: 6 },
        } as never);
        await data.dispose();
        expect(l.boundsNoEffects).toEqual({ left: 3, top: 4, right: 5, bottom: 6 });
      },
      { commandName: 'put' },
    );
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
    const picked = await pick?.();
    expect(picked?.name).toBe('ffhq.pkl');
    // not read yet: a source the import reads in parts through UXP's fs
    const file = picked?.file as UxpByteSource;
    expect([file.how, file.length]).toEqual(['positioned reads', 3]);
    expect(await file.read(1, 2)).toEqual(new Uint8Array([2, 3]));
    expect(await pick?.()).toBeNull();
  });
});

describe('settings', () => {
  test('the remote token lives in UXP secure storage, never in localStorage; an older stored token moves there', async () => {
    const items = new Map<string, string>();
    const local = {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
    };
    Object.assign(globalThis, { localStorage: local });
    try {
      secureItems.clear();
      items.set('draggan.settings.v1', JSON.stringify({ remoteUrl: 'https://gpu.example', remoteToken: 'old-secret' }));
      const p = port();
      expect(await p.loadSettings()).toMatchObject({ remoteUrl: 'https://gpu.example', remoteToken: 'old-secret' });
      expect(items.get('draggan.settings.v1')).not.toContain('old-secret');
      expect(new TextDecoder().decode(secureItems.get('draggan.remoteToken'))).toBe('old-secret');

      const s = { ...(await p.loadSettings()), remoteToken: 'new-secret' } as Parameters<
        PhotoshopPort['saveSettings']
      >[0];
      p.saveSettings(s);
      await new Promise((r) => setTimeout(r, 0));
      expect(items.get('draggan.settings.v1')).not.toContain('new-secret');
      expect(new TextDecoder().decode(secureItems.get('draggan.remoteToken'))).toBe('new-secret');
      expect((await port().loadSettings()).remoteToken).toBe('new-secret');

      p.saveSettings({ ...s, remoteToken: '' });
      await new Promise((r) => setTimeout(r, 0));
      expect(secureItems.has('draggan.remoteToken')).toBe(false);
      expect((await port().loadSettings()).remoteToken).toBe('');
    } finally {
      delete (globalThis as { localStorage?: unknown }).localStorage;
    }
  });
});

describe('imported models are kept in the data folder', () => {
  const saving = () =>
    new PhotoshopPort({
      text: readPluginText,
      bytes: readPluginBytes,
      pick: pickBinaryFile,
      saved: { list: listSavedModels, save: saveModel },
    });
  beforeEach(() => {
    const dir = join(__dirname, '../fixtures/packages/tiny64');
    pluginFiles.set(PLUGIN_FILES.modelJson, readFileSync(join(dir, 'model.json')));
    pluginFiles.set(PLUGIN_FILES.weights, readFileSync(join(dir, 'weights.safetensors')));
    dataFiles.clear();
    dataFolders.clear();
  });

  test('an import is listed again by the next session, and loads to the same model', async () => {
    const bytes = new Uint8Array(readFileSync(join(__dirname, '../fixtures/checkpoints/tiny128.pkl')));
    const entry = await saving().importCheckpoint({ name: 'tiny128.pkl', file: bytes });
    expect(entry.id).toMatch(/^saved:/);
    expect([...dataFiles.keys()].sort()).toEqual([
      `models/${entry.id.slice(6)}/model.json`,
      `models/${entry.id.slice(6)}/weights.safetensors`,
    ]);
    // Photoshop restarts: a new port, the same data folder
    const models = await saving().listModels();
    expect(models.map((m) => m.id)).toEqual(['bundled', entry.id]);
    const again = await loadModelSource(models[1].source!);
    const first = await loadModelSource(entry.source!);
    expect(again.config.img_resolution).toBe(128);
    expect([...again.weights.keys()].sort()).toEqual([...first.weights.keys()].sort());
    const name = 'synthesis.b4.const';
    expect(again.weights.get(name)!.data).toEqual(first.weights.get(name)!.data);
    // a second import of the same model gets its own folder
    const second = await saving().importCheckpoint({ name: 'tiny128.pkl', file: bytes });
    expect(second.id).toBe(`${entry.id}-2`);
  });

  test('a picked .pkl is read through fs a part at a time, each descriptor closed; where fs may not open it, read whole', async () => {
    const bytes = new Uint8Array(readFileSync(join(__dirname, '../fixtures/checkpoints/tiny128.pkl')));
    const whole = importCheckpoint(bytes, { name: 'tiny128' });
    fsControl.reads.length = 0;
    picker.next = { name: 'tiny128.pkl', bytes };
    const p = saving();
    const picked = await p.pickCheckpoint!();
    const entry = await p.importCheckpoint(picked!);
    const pkg = await loadModelSource(entry.source!);
    expect(pkg.weights.get('synthesis.b4.const')!.data).toEqual(whole.weights.get('synthesis.b4.const')!.data);
    expect(fsControl.reads.length).toBeGreaterThan(1);
    expect(Math.max(...fsControl.reads.map((r) => r.length))).toBeLessThan(bytes.length);
    expect(fsControl.open.size).toBe(0);

    fsControl.refuseOpen = true;
    try {
      picker.next = { name: 'tiny128.pkl', bytes };
      const fallback = await p.pickCheckpoint!();
      expect((fallback!.file as UxpByteSource).how).toBe('whole file');
      const second = await p.importCheckpoint(fallback!);
      expect((await loadModelSource(second.source!)).weights.get('synthesis.b4.const')!.data).toEqual(
        whole.weights.get('synthesis.b4.const')!.data,
      );
    } finally {
      fsControl.refuseOpen = false;
    }
  });

  test('a folder an interrupted import left without model.json is not offered', async () => {
    await saveModel('whole', {
      modelJson: readFileSync(join(__dirname, '../fixtures/packages/tiny64/model.json'), 'utf8'),
      weights: new Uint8Array(readFileSync(join(__dirname, '../fixtures/packages/tiny64/weights.safetensors'))),
    });
    dataFolders.add('models/half');
    dataFiles.set('models/half/weights.safetensors', new Uint8Array(8));
    expect((await saving().listModels()).map((m) => m.id)).toEqual(['bundled', 'saved:whole']);
  });

  test('a broken .pkl is refused before anything is saved', async () => {
    await expect(
      saving().importCheckpoint({
        name: 'bad.pkl',
        file: new Uint8Array(readFileSync(join(__dirname, '../fixtures/checkpoints/bad_os_system.pkl'))),
      }),
    ).rejects.toThrow(/os\.system.*nothing in it was executed/);
    expect(dataFiles.size).toBe(0);
  });
});
