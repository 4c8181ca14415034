/**
 * Reading from Photoshop: which square to edit (selection, else active layer, else the canvas), its pixels at the
 * model's resolution, and the selection inside it as the mask. Reads need no modal scope; image data is always
 * disposed, as Photoshop holds it outside the JavaScript heap.
 */
import { centredSquare, type Image8 } from '../../codecs/image8';
import { imaging } from 'photoshop';
import type { Document } from 'photoshop/dom/Document';
import type { Layer } from 'photoshop/dom/Layer';
import { placeReturned } from './imagePlacement';
import { PhotoshopSourceError } from './photoshopErrors';
import { regionBounds, squareAround, type Box, type Region } from './region';

/** The longest side at which the selection is scanned for its bounds where doc.selection is missing (PS < 25). */
const SCAN_SIDE = 512;

function nonEmpty(b: Box | null | undefined): b is Box {
  return !!b && b.right > b.left && b.bottom > b.top;
}

/** The selection's bounding box, or null when nothing is selected. */
export async function selectionBounds(doc: Document): Promise<Box | null> {
  // doc.selection exists from Photoshop 25.0; before that, scan a reduced copy of the selection
  const sel = (doc as { selection?: { bounds: Box | null } }).selection;
  if (sel) return nonEmpty(sel.bounds) ? sel.bounds : null;
  const scale = Math.min(1, SCAN_SIDE / Math.max(doc.width, doc.height));
  const w = Math.max(1, Math.round(doc.width * scale));
  const h = Math.max(1, Math.round(doc.height * scale));
  let result;
  try {
    result = await imaging.getSelection({
      documentID: doc.id,
      sourceBounds: { left: 0, top: 0, right: doc.width, bottom: doc.height },
      targetSize: { width: w, height: h },
    });
  } catch {
    return null;
  }
  try {
    const data = await result.imageData.getData({ chunky: true });
    const iw = result.imageData.width;
    const ih = result.imageData.height;
    let x0 = iw,
      y0 = ih,
      x1 = -1,
      y1 = -1;
    for (let y = 0; y < ih; y++)
      for (let x = 0; x < iw; x++)
        if (data[y * iw + x] > 0) {
          x0 = Math.min(x0, x);
          y0 = Math.min(y0, y);
          x1 = Math.max(x1, x);
          y1 = Math.max(y1, y);
        }
    if (x1 < 0) return null;
    const sb = result.sourceBounds;
    const sx = (sb.right - sb.left) / iw;
    const sy = (sb.bottom - sb.top) / ih;
    return {
      left: Math.floor(sb.left + x0 * sx),
      top: Math.floor(sb.top + y0 * sy),
      right: Math.ceil(sb.left + (x1 + 1) * sx),
      bottom: Math.ceil(sb.top + (y1 + 1) * sy),
    };
  } finally {
    await result.imageData.dispose();
  }
}

/** The one active layer, or undefined (then the document's composite is read). */
export function sourceLayer(doc: Document): Layer | undefined {
  const active = doc.activeLayers;
  return active.length === 1 ? active[0] : undefined;
}

/** LayerKind values whose layers have no pixels of their own: groups, adjustment and fill layers. */
const ADJUSTMENT_OR_FILL = new Set([
  'blackAndWhite',
  'brightnessContrast',
  'channelMixer',
  'colorBalance',
  'curves',
  'exposure',
  'gradientFill',
  'gradientMap',
  'hueSaturation',
  'inversion',
  'levels',
  'pattern',
  'photoFilter',
  'posterize',
  'selectiveColor',
  'solidColor',
  'threshold',
  'vibrance',
  'colorLookup',
]);

/** How a refused layer is named, and what to do instead, for the read it was taken for. */
export interface ReadAs {
  name(layer: Layer): string;
  instead: string;
}

const ACTIVE_LAYER: ReadAs = {
  name: (l) => `the active layer "${l.name}"`,
  instead: 'select a pixel layer, or deselect layers (Select > Deselect Layers) to read the visible image',
};

/**
 * Refuses, with what to do, a layer the panel cannot read as a photo: getPixels has nothing for a group, an adjustment
 * or a fill layer; a text layer is type, not an image to invert; an empty layer has no pixels. Smart objects read as
 * rendered. The source layer is never changed, so nothing is rasterised in place.
 */
export function checkReadable(layer: Layer, region: Region, as: ReadAs = ACTIVE_LAYER): void {
  const kind = String(layer.kind);
  const name = as.name(layer);
  const instead = as.instead;
  if (kind === 'group')
    throw new PhotoshopSourceError(`${name} is a group, which has no pixels of its own: ${instead}`);
  if (ADJUSTMENT_OR_FILL.has(kind))
    throw new PhotoshopSourceError(
      `${name} is an adjustment or fill layer (${kind}), which has no pixels of its own: ${instead}`,
    );
  if (kind === 'text')
    throw new PhotoshopSourceError(
      `${name} is a text layer: rasterize a copy of it (Layer > Rasterize > Type on a duplicate), or ${instead}`,
    );
  const b = layer.boundsNoEffects;
  const r = regionBounds(region);
  if (!nonEmpty(b) || b.right <= r.left || b.left >= r.right || b.bottom <= r.top || b.top >= r.bottom) {
    throw new PhotoshopSourceError(`${name} has no pixels${nonEmpty(b) ? ' inside the selection' : ''}: ${instead}`);
  }
}

export async function editRegion(doc: Document): Promise<{ region: Region; from: string }> {
  const sel = await selectionBounds(doc);
  if (sel) return { region: squareAround(sel, doc.width, doc.height), from: 'the selection' };
  const layer = sourceLayer(doc);
  const lb = layer?.boundsNoEffects;
  if (layer && nonEmpty(lb)) return { region: squareAround(lb, doc.width, doc.height), from: `layer "${layer.name}"` };
  // the whole canvas: its largest centred square (a square around it would reach outside the document)
  const c = centredSquare(doc.width, doc.height);
  return { region: { left: c.x, top: c.y, side: c.size }, from: 'the canvas' };
}

/** The region's pixels at size x size (RGBA; transparent where the layer has none). */
export async function readRegionPixels(
  doc: Document,
  layer: Layer | undefined,
  region: Region,
  size: number,
  as?: ReadAs,
): Promise<Image8> {
  if (layer) checkReadable(layer, region, as);
  const { imageData, sourceBounds, level } = await imaging.getPixels({
    documentID: doc.id,
    ...(layer ? { layerID: layer.id } : {}),
    sourceBounds: regionBounds(region),
    targetSize: { width: size, height: size },
    componentSize: 8,
    colorSpace: 'RGB',
  });
  try {
    const data = await imageData.getData({ chunky: true });
    // Photoshop may answer from a smaller cache level, its bounds then in that level's pixels (imaging.md, getPixels)
    const k = 2 ** (level ?? 0);
    const returned = {
      left: sourceBounds.left * k,
      top: sourceBounds.top * k,
      right: sourceBounds.right * k,
      bottom: sourceBounds.bottom * k,
    };
    return placeReturned(
      { width: imageData.width, height: imageData.height, components: imageData.components, data },
      returned,
      region,
      size,
    );
  } finally {
    await imageData.dispose();
  }
}

/** The selection within the region as the flexible mask (1 = may change), or undefined with no selection. */
export async function readSelectionMask(doc: Document, region: Region, size: number): Promise<Uint8Array | undefined> {
  let result;
  try {
    result = await imaging.getSelection({
      documentID: doc.id,
      sourceBounds: regionBounds(region),
      targetSize: { width: size, height: size },
    });
  } catch {
    return undefined;
  }
  try {
    const data = await result.imageData.getData({ chunky: true });
    const grey = placeReturned(
      { width: result.imageData.width, height: result.imageData.height, components: 1, data },
      result.sourceBounds,
      region,
      size,
    );
    const mask = new Uint8Array(size * size);
    for (let i = 0; i < mask.length; i++) mask[i] = grey.data[i * 4] >= 128 ? 1 : 0;
    return mask.some((v) => v) ? mask : undefined;
  } finally {
    await result.imageData.dispose();
  }
}
