/**
 * Reading from Photoshop: which square to edit (selection, else active layer, else the canvas), its pixels at the
 * model's resolution, and the selection inside it as the mask. Reads need no modal scope; image data is always
 * disposed, as Photoshop holds it outside the JavaScript heap.
 */
import { imaging } from 'photoshop';
import type { Document } from 'photoshop/dom/Document';
import type { Layer } from 'photoshop/dom/Layer';
import { placeReturned } from './imagePlacement';
import { regionBounds, squareAround, type Box, type Region } from './region';
import type { Rgba } from '../../ui/rgba';

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
    result = await imaging.getSelection({ documentID: doc.id, sourceBounds: { left: 0, top: 0, right: doc.width, bottom: doc.height }, targetSize: { width: w, height: h } });
  } catch {
    return null;
  }
  try {
    const data = await result.imageData.getData({ chunky: true });
    const iw = result.imageData.width;
    const ih = result.imageData.height;
    let x0 = iw, y0 = ih, x1 = -1, y1 = -1;
    for (let y = 0; y < ih; y++) for (let x = 0; x < iw; x++) if (data[y * iw + x] > 0) {
      x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
    }
    if (x1 < 0) return null;
    const sb = result.sourceBounds;
    const sx = (sb.right - sb.left) / iw;
    const sy = (sb.bottom - sb.top) / ih;
    return { left: Math.floor(sb.left + x0 * sx), top: Math.floor(sb.top + y0 * sy), right: Math.ceil(sb.left + (x1 + 1) * sx), bottom: Math.ceil(sb.top + (y1 + 1) * sy) };
  } finally {
    await result.imageData.dispose();
  }
}

/** The one active layer that has pixels of its own, or undefined (then the document's composite is read). */
export function sourceLayer(doc: Document): Layer | undefined {
  const active = doc.activeLayers;
  return active.length === 1 ? active[0] : undefined;
}

export async function editRegion(doc: Document): Promise<{ region: Region; from: string }> {
  const sel = await selectionBounds(doc);
  if (sel) return { region: squareAround(sel, doc.width, doc.height), from: 'the selection' };
  const layer = sourceLayer(doc);
  const lb = layer?.boundsNoEffects;
  if (layer && nonEmpty(lb)) return { region: squareAround(lb, doc.width, doc.height), from: `layer "${layer.name}"` };
  // the whole canvas: its largest centred square (a square around it would reach outside the document)
  const side = Math.min(doc.width, doc.height);
  return { region: { left: Math.floor((doc.width - side) / 2), top: Math.floor((doc.height - side) / 2), side }, from: 'the canvas' };
}

/** The region's pixels at size x size (RGBA; transparent where the layer has none). */
export async function readRegionPixels(doc: Document, layer: Layer | undefined, region: Region, size: number): Promise<Rgba> {
  const { imageData, sourceBounds } = await imaging.getPixels({
    documentID: doc.id,
    ...(layer ? { layerID: layer.id } : {}),
    sourceBounds: regionBounds(region),
    targetSize: { width: size, height: size },
    componentSize: 8,
    colorSpace: 'RGB',
  });
  try {
    const data = await imageData.getData({ chunky: true });
    return placeReturned({ width: imageData.width, height: imageData.height, components: imageData.components, data }, sourceBounds, region, size);
  } finally {
    await imageData.dispose();
  }
}

/** The selection within the region as the flexible mask (1 = may change), or undefined with no selection. */
export async function readSelectionMask(doc: Document, region: Region, size: number): Promise<Uint8Array | undefined> {
  let result;
  try {
    result = await imaging.getSelection({ documentID: doc.id, sourceBounds: regionBounds(region), targetSize: { width: size, height: size } });
  } catch {
    return undefined;
  }
  try {
    const data = await result.imageData.getData({ chunky: true });
    const grey = placeReturned({ width: result.imageData.width, height: result.imageData.height, components: 1, data }, result.sourceBounds, region, size);
    const mask = new Uint8Array(size * size);
    for (let i = 0; i < mask.length; i++) mask[i] = grey.data[i * 4] >= 128 ? 1 : 0;
    return mask.some((v) => v) ? mask : undefined;
  } finally {
    await result.imageData.dispose();
  }
}
