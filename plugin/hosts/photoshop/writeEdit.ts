/**
 * Writing an edit back: the result as a new pixel layer over the edited square at its size, a points overlay
 * layer, both in a group "DragGAN edit N" — one modal scope, one history step, cancellable. The source layer is
 * never touched; on cancel or failure the history suspension is dropped, so the document is as it was.
 */
import { core, imaging } from 'photoshop';
import type { Document } from 'photoshop/dom/Document';
import type { Layer } from 'photoshop/dom/Layer';
import type { HandleTarget } from '../../engine/core/types';
import { rasterizePoints } from '../../ui/overlayRaster';
import { resampleRgba, type Rgba } from '../../ui/rgba';
import { modelToRegion, type Region } from './region';

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

export class EditCancelledError extends Error {
  override name = 'EditCancelledError';
  constructor() {
    super('the edit was cancelled in Photoshop; nothing was changed');
  }
}

async function putLayer(doc: Document, name: string, img: Rgba, region: Region): Promise<Layer> {
  const layer = await doc.createPixelLayer({ name });
  if (!layer) throw new Error(`Photoshop did not create the layer "${name}"`);
  const imageData = await imaging.createImageDataFromBuffer(new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.byteLength), {
    width: img.width,
    height: img.height,
    components: 4,
    chunky: true,
    colorSpace: 'RGB',
  });
  try {
    await imaging.putPixels({ documentID: doc.id, layerID: layer.id, imageData, targetBounds: { left: region.left, top: region.top, width: img.width, height: img.height } });
  } finally {
    await imageData.dispose();
  }
  return layer;
}

export interface WrittenEdit {
  groupName: string;
  resultLayerId: number;
  overlayLayerId: number;
}

export async function writeEdit(doc: Document, image: Rgba, pairs: readonly HandleTarget[], region: Region): Promise<WrittenEdit> {
  const n = nextEditNumber(doc);
  const groupName = `DragGAN edit ${n}`;
  const res = image.width;
  return core.executeAsModal(
    async (ctx) => {
      const suspension = await ctx.hostControl.suspendHistory({ documentID: doc.id, name: groupName });
      let committed = false;
      const step = (value: number) => {
        if (ctx.isCancelled) throw new EditCancelledError();
        ctx.reportProgress({ value, commandName: groupName });
      };
      try {
        step(0.05);
        const full = resampleRgba(image, region.side, region.side);
        step(0.3);
        const result = await putLayer(doc, `${groupName} result`, full, region);
        step(0.6);
        const radius = Math.max(2, Math.round(region.side / 100));
        const local = pairs.map((p) => ({ handle: modelToRegion(p.handle, region, res), target: modelToRegion(p.target, region, res) }));
        const overlay = await putLayer(doc, `${groupName} points`, rasterizePoints(region.side, region.side, local, radius), region);
        step(0.85);
        const group = await doc.createLayerGroup({ name: groupName, fromLayers: [overlay, result] });
        if (!group) throw new Error('Photoshop did not create the layer group');
        step(1);
        await ctx.hostControl.resumeHistory(suspension, true);
        committed = true;
        return { groupName, resultLayerId: result.id, overlayLayerId: overlay.id };
      } finally {
        if (!committed) await ctx.hostControl.resumeHistory(suspension, false);
      }
    },
    { commandName: groupName },
  );
}
