/** Which layers "Clip from layers" takes as frames, in which order, and which is the key frame (fake Photoshop). */
import type { Document } from 'photoshop/dom/Document';
import { clipLayers } from '../../plugin/hosts/photoshop/clipLayers';
import { PhotoshopSourceError } from '../../plugin/hosts/photoshop/photoshopErrors';
import { resetPhotoshop, type FakeDocument } from '../fakes/photoshop';

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

test('two or more selected layers are the frames, in stack order, hidden or not; the key is the first', () => {
  const doc = docOf(['A', 'B', 'C', 'D']);
  const [d, , b] = doc.layers;
  b.visible = false;
  doc.activeLayers = [d, b];
  expect(names(doc)).toEqual({ frames: ['B', 'D'], key: 0 });
});

test('refuses one layer, and layers of different sizes naming the odd one', () => {
  expect(() => names(docOf(['A']))).toThrow(PhotoshopSourceError);
  expect(() => names(docOf(['A']))).toThrow(/at least 2 frames and this document has 1 visible pixel layers/);
  expect(() => names(docOf(['A', 'B', 'C'], { C: 12 }))).toThrow(/"C" is 12 x 12 px, the first frame "A" 10 x 10 px/);
});
