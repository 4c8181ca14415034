/**
 * The edit applied to the source layer's own pixels at full resolution, instead of the model's square up-scaled
 * over the region: what the drag moved moves the layer's pixels (their detail kept), only new content comes from the
 * model, and outside the changed region the result is the layer, pixel for pixel (plugin/faces/compositeEdit.ts).
 */
import type { Image8 } from '../../codecs/image8';
import type { Document } from 'photoshop/dom/Document';
import type { Layer } from 'photoshop/dom/Layer';
import { compositeEdit } from '../../faces/compositeEdit';
import { squareCropToPhoto } from '../../faces/squareCrop';
import { readRegionPixels } from './readDocument';
import type { Region } from './region';

/**
 * The largest region composited at full size: the composite holds a few float copies of the region, and a 3072 px
 * square (9.4 megapixels) keeps them well under the 600 MB at which Photoshop warns about a plugin (imaging.md).
 * Larger regions get the model's result up-scaled, as before.
 */
export const FULL_COMPOSITE_MAX_SIDE = 3072;

/** The region at full size with the edit applied; null where the region is too large for it. */
export async function compositeOnSource(doc: Document, layer: Layer | undefined, region: Region, reconstruction: Image8, edited: Image8): Promise<Image8 | null> {
  if (region.side > FULL_COMPOSITE_MAX_SIDE) return null;
  const photo = await readRegionPixels(doc, layer, region, region.side);
  // the region was read at the model's side by getPixels' resampling: model pixel centres map onto it linearly
  return compositeEdit(photo, squareCropToPhoto({ x: 0, y: 0, size: region.side }, reconstruction.width), reconstruction, edited).image;
}
