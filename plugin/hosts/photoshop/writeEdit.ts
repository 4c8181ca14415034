/**
 * Writing an edit back: the result as a new pixel layer over the edited square at its size, a points overlay
 * layer, both in a group "DragGAN edit N" — one modal scope, one history step, cancellable. The source layer is
 * never touched. On cancel or failure the target function just throws: Photoshop then rolls the suspended history
 * back itself when the scope ends ("If the target function exits via an exception, then all unsuspended history
 * states are cancelled", executeasmodal.md), and after a user cancel every further Photoshop call would throw, so
 * the code makes none (no resumeHistory(.., false), which would throw a second error over the first).
 */
import { type Image8, resampleImage8 } from '../../codecs/image8';
import { core, imaging } from 'photoshop';
import type { Document } from 'photoshop/dom/Document';
import type { Layer } from 'photoshop/dom/Layer';
import type { HandleTarget } from '../../core/types';
import { rasterizePoints } from '../../ui/overlayRaster';
import type { MaskedEdit } from './compositeOnSource';
import { EditCancelledError } from './photoshopErrors';
import { modelBoxIn, type Region } from './region';

export const EDIT_NAME = /^DragGAN edit (\d+)$/;

/** The next free N for "DragGAN edit N" among the document's top-level layers. */
export function nextEditNumber(doc: Document): number {
  let n = 0;
  for (const l of doc.layers) {
    const m = EDIT_NAME.exec(l.name);
    if (m) n = Math.max(n, Number(m[1]));
  }
  return n + 1;
}

/**
 * A feathered layer mask on the result layer (imaging.md, putLayerMask: a single grey component, "Gray Gamma 2.2",
 * only left/top of targetBounds used; @types/photoshop requires the size, given equal to the data's). Only the pixels the layer has are written, so what a new mask holds beyond
 * them (the page does not say) never shows.
 */
async function putMask(doc: Document, layer: Layer, masked: MaskedEdit): Promise<void> {
  const imageData = await imaging.createImageDataFromBuffer(masked.mask, {
    width: masked.image.width,
    height: masked.image.height,
    components: 1,
    chunky: true,
    colorProfile: 'Gray Gamma 2.2',
    colorSpace: 'Grayscale',
  });
  try {
    await imaging.putLayerMask({
      documentID: doc.id,
      layerID: layer.id,
      kind: 'user',
      imageData,
      targetBounds: { left: masked.left, top: masked.top, width: masked.image.width, height: masked.image.height },
    });
  } finally {
    await imageData.dispose();
  }
}

/** Writes `img` into a pixel layer with its top-left corner at `at` (document pixels). */
export async function putPixelsAt(
  doc: Document,
  layer: Layer,
  img: Image8,
  at: { left: number; top: number },
): Promise<void> {
  const imageData = await imaging.createImageDataFromBuffer(
    new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.byteLength),
    {
      width: img.width,
      height: img.height,
      components: 4,
      chunky: true,
      colorSpace: 'RGB',
    },
  );
  try {
    // putPixels uses only the corner, the size is the image data's (imaging.md: "width and height are not used");
    // @types/photoshop requires them, so they are given, equal to the image's
    await imaging.putPixels({
      documentID: doc.id,
      layerID: layer.id,
      imageData,
      targetBounds: { left: at.left, top: at.top, width: img.width, height: img.height },
    });
  } finally {
    await imageData.dispose();
  }
}

async function putLayer(
  doc: Document,
  name: string,
  img: Image8,
  region: { left: number; top: number },
): Promise<Layer> {
  const layer = await doc.createPixelLayer({ name });
  if (!layer) throw new Error(`Photoshop did not create the layer "${name}"`);
  await putPixelsAt(doc, layer, img, region);
  return layer;
}

export interface WrittenEdit {
  groupName: string;
  resultLayerId: number;
  overlayLayerId: number;
}

/**
 * `image` is the model's result, the points in its pixels: it is resized to the region, or for a portrait model to
 * the centred box of its aspect in the region (never stretched). `masked`, where the edit was composited onto the
 * source's own pixels, replaces it: the result layer then covers only what changed, under its feathered mask.
 */
export async function writeEdit(
  doc: Document,
  image: Image8,
  pairs: readonly HandleTarget[],
  region: Region,
  masked?: MaskedEdit,
): Promise<WrittenEdit> {
  const n = nextEditNumber(doc);
  const groupName = `DragGAN edit ${n}`;
  const box = modelBoxIn(region, image.width, image.height);
  const place = { left: box.left, top: box.top };
  const scale = box.width / image.width;
  return core.executeAsModal(
    async (ctx) => {
      const suspension = await ctx.hostControl.suspendHistory({ documentID: doc.id, name: groupName });
      const step = (value: number) => {
        if (ctx.isCancelled) throw new EditCancelledError();
        ctx.reportProgress({ value, commandName: groupName });
      };
      try {
        step(0.05);
        let result: Layer;
        if (masked) {
          result = await putLayer(doc, `${groupName} result`, masked.image, masked);
          step(0.4);
          await putMask(doc, result, masked);
        } else {
          const full = resampleImage8(image, box.width, box.height);
          step(0.3);
          result = await putLayer(doc, `${groupName} result`, full, place);
        }
        step(0.6);
        const radius = Math.max(2, Math.round(region.side / 100));
        // a model pixel's centre, in the placed box's pixels
        const toBox = (p: HandleTarget['handle']) => ({ x: (p.x + 0.5) * scale, y: (p.y + 0.5) * scale });
        const local = pairs.map((p) => ({ handle: toBox(p.handle), target: toBox(p.target) }));
        const overlay = await putLayer(
          doc,
          `${groupName} points`,
          rasterizePoints(box.width, box.height, local, radius),
          place,
        );
        step(0.85);
        const group = await doc.createLayerGroup({ name: groupName, fromLayers: [overlay, result] });
        if (!group) throw new Error('Photoshop did not create the layer group');
        step(1);
        await ctx.hostControl.resumeHistory(suspension, true);
        return { groupName, resultLayerId: result.id, overlayLayerId: overlay.id };
      } catch (e) {
        // a cancel shows first as whichever Photoshop call it interrupted: say what happened, not that call's error
        throw ctx.isCancelled ? new EditCancelledError() : e;
      }
    },
    { commandName: groupName },
  );
}
