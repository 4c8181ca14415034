/**
 * A clip read inside a selection, applied where Use layer + Apply would put an edit: each frame of the animation is
 * its own layer's pixels at the document's size with the dragged square over the selection's square (resized to
 * it; a portrait model's box centred in it, as writeEdit places one). Made one frame at a time as the animation is
 * written, so only one document-sized frame is held.
 */
import { cropImage8, pasteImage8, resampleImage8, type Image8 } from '../../codecs/image8';
import type { Document } from 'photoshop/dom/Document';
import type { Layer } from 'photoshop/dom/Layer';
import { readRegionPixels, type ReadAs } from './readDocument';
import { modelBoxIn, squareAround, type Region } from './region';
import type { AnimationFrames } from './writeAnimation';

export function framesInSelection(
  doc: Document,
  layers: readonly Layer[],
  region: Region,
  edits: readonly Image8[],
  as: ReadAs,
): AnimationFrames {
  const { width, height } = doc;
  // the whole canvas as a square (a wide document's square reaches above and below it), read 1:1
  const whole = squareAround({ left: 0, top: 0, right: width, bottom: height }, width, height);
  const box = modelBoxIn(region, edits[0]?.width ?? 1, edits[0]?.height ?? 1);
  return {
    count: edits.length,
    width,
    height,
    frame: async (i) => {
      const square = await readRegionPixels(doc, layers[i], whole, whole.side, as);
      const frame = cropImage8(square, { x: -whole.left, y: -whole.top, width, height });
      pasteImage8(frame, resampleImage8(edits[i], box.width, box.height), box.left, box.top);
      return frame;
    },
  };
}
