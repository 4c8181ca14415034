/** Which layers "Clip from layers" takes as frames, in which order, and which is the key frame (fake Photoshop). */
import type { Document } from 'photoshop/dom/Document';
import { clipLayers } from '../../plugin/hosts/photoshop/clipLayers';
import { PhotoshopSourceError } from '../../plugin/hosts/photoshop/photoshopErrors';
import { app, resetPhotoshop, type FakeDocument } from '../fakes/photoshop';
import type { Image8 } from '../../plugin/codecs/image8';
import { PhotoshopPort } from '../../plugin/hosts/photoshop/photoshopPort';
import { readPluginBytes, readPluginText } from '../../plugin/hosts/photoshop/uxpFiles';

/** A document of these layers, the first at the bottom, each a 10 x 10 opaque square unless sized. */
function docOf(names: string[], sizes: Record<string, number> = {}): FakeDocument {
  const doc = resetPhotoshop(40, 40);
  for (const n of names) {
    const side = sizes[n] ?? 10;
    const l = doc.addLayer(n);
    for (let i = 0; i < side * side; i++) l.pixels![((i / side) | 0) * 40 * 4 + (i % side) * 4 + 3] = 255;
  }
  return doc;
}
const names = (doc: FakeDocument) => {
  const c = clipLayers(doc as unknown as Document);
  return { frames: c.frames.map((l) => l.name), key: c.key };
};

test('the visible pixel layers, bottom first; the active one is the key frame', () => {
  const doc = docOf(['A', 'B', 'C', 'D']);
  doc.layers.find((l) => l.name === 'B')!.visible = false;
  doc.activeLayers = [doc.layers.find((l) => l.name === 'C')!];
  expect(names(doc)).toEqual({ frames: ['A', 'C', 'D'], key: 1 });
});

test('two or more selected layers that show are the frames, in stack order; a hidden one is left out and named', () => {
  const doc = docOf(['A', 'B', 'C', 'D']);
  const [d, c, b] = doc.layers;
  b.visible = false;
  doc.activeLayers = [d, c, b];
  expect(names(doc)).toEqual({ frames: ['C', 'D'], key: 0 });
  expect(clipLayers(doc as unknown as Document).hidden.map((l) => l.name)).toEqual(['B']);
  // with too few left to play, the refusal says which were left out and what to do
  doc.activeLayers = [d, b];
  expect(() => names(doc)).toThrow(/has 1 selected layers that show \(hidden, so left out: "B"\).*show them/);
});

test('refuses one layer, and layers of different sizes naming the odd one', () => {
  expect(() => names(docOf(['A']))).toThrow(PhotoshopSourceError);
  expect(() => names(docOf(['A']))).toThrow(/at least 2 frames and this document has 1 visible pixel layers/);
  expect(() => names(docOf(['A', 'B', 'C'], { C: 12 }))).toThrow(/"C" is 12 x 12 px, the first frame "A" 10 x 10 px/);
});

describe('the port: Clip from layers and Apply clip as animation', () => {
  const port = () => new PhotoshopPort({ text: readPluginText, bytes: readPluginBytes });
  /** A 40 x 30 document of full-canvas layers, the first at the bottom, each a flat grey of its value. */
  function greys(values: Record<string, number>): FakeDocument {
    const doc = resetPhotoshop(40, 30);
    for (const [n, v] of Object.entries(values))
      doc.addLayer(n).fillRect({ left: 0, top: 0, right: 40, bottom: 30 }, [v, v, v]);
    return doc;
  }
  const flat = (side: number, v: number): Image8 => ({
    width: side,
    height: side,
    data: new Uint8ClampedArray(side * side * 4).map((_, i) => (i % 4 === 3 ? 255 : v)),
  });
  const at = (img: { width: number; data: ArrayLike<number> }, x: number, y: number) =>
    img.data[(y * img.width + x) * 4];

  test('a text or an empty layer among the frames is refused by its name, saying what to do', async () => {
    const doc = greys({ A: 50, B: 60 });
    const text = doc.addLayer('Title', false, 'text');
    doc.activeLayers = [...doc.layers];
    await expect(port().readClip(16)).rejects.toThrow(
      /the frame layer "Title" is a text layer.*hide it or leave it out/,
    );
    text.visible = false;
    const empty = doc.addLayer('Empty');
    doc.activeLayers = [...doc.layers];
    await expect(port().readClip(16)).rejects.toThrow(/the frame layer "Empty" has no pixels: hide it/);
    empty.visible = false;
    const clip = await port().readClip(16);
    expect(clip.frames.map((f) => at(f, 8, 8))).toEqual([50, 60]);
    expect(clip.label).toBe('2 layers of Untitled-1; hidden, so left out: "Title", "Empty"');
  });

  test('with a selection every frame is read inside it, and applied over its own layer at the selection', async () => {
    const doc = greys({ A: 50, B: 60 });
    // the right half of each layer a brighter grey: only it is inside the selection
    for (const [i, l] of [...doc.layers].reverse().entries())
      l.fillRect({ left: 20, top: 0, right: 40, bottom: 30 }, [150 + i, 150 + i, 150 + i]);
    doc.select({ left: 25, top: 10, right: 35, bottom: 20 });
    const p = port();
    const clip = await p.readClip(16);
    expect(clip.label).toBe('2 layers of Untitled-1, inside the selection');
    expect(clip.frames.map((f) => [at(f, 0, 0), at(f, 15, 15)])).toEqual([
      [150, 150],
      [151, 151],
    ]);
    // a Stop kept only the second frame: its layer is the one under it
    await p.applyClip([flat(16, 7)], [1]);
    const anim = app.documents.find((d) => d.name === 'Untitled-1 clip animation')!;
    expect([anim.width, anim.height, anim.layers.length]).toEqual([40, 30, 1]);
    const layer = anim.layers[0];
    const px = (x: number, y: number) => layer.pixels![(y * 40 + x) * 4];
    // its own layer outside the selection's square, the dragged square (resized to it) inside
    expect([px(0, 0), px(39, 0), px(24, 9), px(25, 10), px(34, 19), px(35, 20)]).toEqual([60, 151, 151, 7, 7, 151]);
  });
});
