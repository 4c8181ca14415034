/**
 * The edit applied to the source layer's own pixels at full resolution, instead of the model's square up-scaled
 * over the region: what the drag moved moves the layer's pixels (their detail kept), only new content comes from the
 * model, and the new layer covers only what changed, under a feathered layer mask, so everywhere else the document
 * shows the source layer itself (plugin/faces/compositeEdit.ts).
 */
import { centredBox } from '../../codecs/centredBox';
import type { Image8 } from '../../codecs/image8';
import type { Document } from 'photoshop/dom/Document';
import type { Layer } from 'photoshop/dom/Layer';
import { compositeEdit } from '../../faces/compositeEdit';
import { squareCropToPhoto } from '../../faces/squareCrop';
import type { PhotoComposite } from '../../engine/photoFaces';
import { readRegionPixels } from './readDocument';
import type { Region } from './region';

/**
 * The largest region composited at full size: the composite holds a few float copies of the region, and a 3072 px
 * square (9.4 megapixels) keeps them well under the 600 MB at which Photoshop warns about a plugin (imaging.md).
 * Larger regions get the model's result up-scaled, as before.
 */
export const FULL_COMPOSITE_MAX_SIDE = 3072;

/** The edited pixels over the part that changed, its feathered mask (255: the edit shows), where both go in the document. */
export interface MaskedEdit {
  image: Image8;
  /** One grey value per pixel of `image`. */
  mask: Uint8Array;
  left: number;
  top: number;
}

/** The edit at full size over the part of the region it changed; null where the region is too large for it. */
export async function compositeOnSource(
  doc: Document,
  layer: Layer | undefined,
  region: Region,
  reconstruction: Image8,
  edited: Image8,
): Promise<MaskedEdit | null> {
  if (region.side > FULL_COMPOSITE_MAX_SIDE) return null;
  const photo = await readRegionPixels(doc, layer, region, region.side);
  // the region was read at the model's height by getPixels' resampling, and a portrait model's image cut from that
  // square's centred box (readSource): model pixel centres map onto the region linearly, shifted by the box
  const resolution = reconstruction.height;
  const box = centredBox(resolution, resolution, reconstruction.width, resolution);
  const toPhoto = squareCropToPhoto({ x: (box.x * region.side) / resolution, y: 0, size: region.side }, resolution);
  return maskedEditOf(compositeEdit(photo, toPhoto, reconstruction, edited), region);
}

/**
 * A composite over the region (its pixels at full size) as the masked layer that writes it. An edit that changed
 * nothing gives the region's own pixels, fully shown: a layer the user sees as the source, as Apply always gave.
 */
export function maskedEditOf(c: PhotoComposite, region: Region): MaskedEdit {
  if (!c.bounds || !c.layer)
    return {
      image: c.image,
      mask: new Uint8Array(c.image.width * c.image.height).fill(255),
      left: region.left,
      top: region.top,
    };
  const b = c.bounds;
  const mask = new Uint8Array(b.width * b.height);
  for (let y = 0; y < b.height; y++)
    mask.set(c.mask.data.subarray((b.y + y) * region.side + b.x, (b.y + y) * region.side + b.x + b.width), y * b.width);
  return {
    image: { width: b.width, height: b.height, data: new Uint8ClampedArray(c.layer.data) },
    mask,
    left: region.left + b.x,
    top: region.top + b.y,
  };
}
