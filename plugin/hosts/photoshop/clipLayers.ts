/**
 * "Clip from layers": which layers of a document are a clip's frames, in playing order, and which is the key frame.
 * The selected layers that show when two or more are selected (a hidden one is left out and named: hiding a layer
 * is how a user drops a frame), else every visible pixel layer (inside visible groups); the bottom of the stack
 * plays first, as Make Frames From Layers plays them (writeAnimation.ts). The layer collections
 * list the top layer first (docs/photoshop.md, finding 29).
 */
import type { Document } from 'photoshop/dom/Document';
import type { Layer } from 'photoshop/dom/Layer';
import { MAX_CLIP_FRAMES } from '../../engine/clipDrag';
import { PhotoshopSourceError } from './photoshopErrors';

export interface ClipLayers {
  /** Bottom of the stack first. */
  frames: Layer[];
  /** The active layer's place among them (0 when it is not one of them, or several are selected). */
  key: number;
  /** Selected layers left out because they are hidden (or inside a hidden group). */
  hidden: Layer[];
}

/** Every layer of the document, bottom first, each with whether it shows (itself and every group above it visible). */
function stackBottomFirst(doc: Document): { layer: Layer; shows: boolean }[] {
  const out: { layer: Layer; shows: boolean }[] = [];
  const walk = (layers: readonly Layer[], shown: boolean) => {
    for (const l of [...layers].reverse()) {
      const shows = shown && l.visible;
      if (String(l.kind) === 'group') walk(l.layers ?? [], shows);
      else out.push({ layer: l, shows });
    }
  };
  walk(doc.layers, true);
  return out;
}

const size = (l: Layer) => {
  const b = l.boundsNoEffects;
  return { width: Math.max(0, b.right - b.left), height: Math.max(0, b.bottom - b.top) };
};

/**
 * `sameSize`: refuse frames of different sizes (not when a selection cuts the same square from each); `check`
 * refuses a frame that cannot be read (by its name), before the sizes are compared: a text layer's size is not the
 * problem to report.
 */
export function clipLayers(
  doc: Document,
  o: { sameSize: boolean; check?: (layer: Layer) => void } = { sameSize: true },
): ClipLayers {
  const stack = stackBottomFirst(doc);
  const selected = new Set(doc.activeLayers.map((l) => l.id));
  const fromSelection = selected.size >= 2;
  const taken = stack.filter((s) => (fromSelection ? selected.has(s.layer.id) : String(s.layer.kind) === 'pixel'));
  const frames = taken.filter((s) => s.shows).map((s) => s.layer);
  const hidden = fromSelection ? taken.filter((s) => !s.shows).map((s) => s.layer) : [];
  const which = fromSelection ? 'selected layers that show' : 'visible pixel layers';
  if (frames.length < 2)
    throw new PhotoshopSourceError(
      `a clip needs at least 2 frames and this document has ${frames.length} ${which}` +
        (hidden.length ? ` (hidden, so left out: ${quoted(hidden)})` : '') +
        ': put each frame on its own pixel layer (bottom = first frame), or select the frame layers and show them',
    );
  if (frames.length > MAX_CLIP_FRAMES)
    throw new PhotoshopSourceError(
      `${frames.length} ${which} were found; a clip may have at most ${MAX_CLIP_FRAMES} frames: select fewer layers`,
    );
  if (o.check) frames.forEach(o.check);
  const first = size(frames[0]);
  for (const l of o.sameSize ? frames : []) {
    const s = size(l);
    if (s.width !== first.width || s.height !== first.height)
      throw new PhotoshopSourceError(
        `the frame layers differ in size: "${l.name}" is ${s.width} x ${s.height} px, the first frame ` +
          `"${frames[0].name}" ${first.width} x ${first.height} px; make every frame the same size, select ` +
          'the layers that are, or select the area to read from every frame',
      );
  }
  const active = doc.activeLayers.length === 1 ? frames.findIndex((l) => l.id === doc.activeLayers[0].id) : -1;
  return { frames, key: Math.max(0, active), hidden };
}

/** Layer names for a message: "A", "B" and 3 more. */
export function quoted(layers: readonly Layer[]): string {
  const shown = layers.slice(0, 3).map((l) => `"${l.name}"`);
  return layers.length > 3 ? `${shown.join(', ')} and ${layers.length - 3} more` : shown.join(', ');
}
