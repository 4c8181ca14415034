import type { Image8 } from '../codecs/image8';
import { applyAffine, invertAffine, type Affine } from './affine';
import { denseFlow, type Flow } from './denseFlow';
import { DetailWarp, type PixelBounds } from './detailWarp';
import { editResidual } from './editField';
import { editMask, type GreyImage8 } from './editMask';
import { FaceInputError } from '../core/errors';
import { floatFromImage8 } from './rgbFloat';
import { floor } from './scalar';

export type { PixelBounds } from './detailWarp';

export interface CompositeOptions {
  /** The user's selection at the photo's size (255: may change): the edit is kept inside it. */
  selection?: GreyImage8;
  /** Feather of the edit's mask, in model pixels (default: 1/64 of the model's longer side; the ramp spans 4x this). */
  feather?: number;
}

export interface CompositeResult {
  /** The photo with the edit applied: identical to the input wherever mask is 0. */
  image: Image8;
  /** The feathered region the edit was applied in, at the photo's size (255: fully). */
  mask: GreyImage8;
  /** The bounds of the mask's non-zero pixels; null when the edit changed nothing. */
  bounds: PixelBounds | null;
  /**
   * The edited pixels before blending, over `bounds` only: what a new Photoshop layer placed at `bounds` carries,
   * with `mask` (cropped to `bounds`) as its layer mask, over the untouched source layer.
   */
  layer: Image8 | null;
  /** reconstruction(u + flow(u)) ~ edited(u), in model pixels. */
  flow: Flow;
}

function check(photo: Image8, reconstruction: Image8, edited: Image8, selection: GreyImage8 | undefined): void {
  if (edited.width !== reconstruction.width || edited.height !== reconstruction.height) {
    throw new FaceInputError(
      `the reconstruction (${reconstruction.width}x${reconstruction.height}) and the edit (${edited.width}x${edited.height}) must be the same size: both are the model's image`,
    );
  }
  for (const [name, img] of [
    ['photo', photo],
    ['reconstruction', reconstruction],
    ['edit', edited],
  ] as const) {
    if (img.data.length !== img.width * img.height * 4)
      throw new FaceInputError(
        `the ${name}'s data has ${img.data.length} values; ${img.width}x${img.height} RGBA needs ${img.width * img.height * 4}`,
      );
  }
  if (
    selection &&
    (selection.width !== photo.width ||
      selection.height !== photo.height ||
      selection.data.length !== photo.width * photo.height)
  ) {
    throw new FaceInputError(
      `the selection (${selection.width}x${selection.height}) must cover the photo (${photo.width}x${photo.height}) with one value per pixel`,
    );
  }
}

/** Bilinear sample of a single-channel w x h model-size field, 0 outside the outermost pixel centres. */
function sampleField(f: Float32Array, w: number, h: number, x: number, y: number): number {
  if (!(x >= 0 && y >= 0 && x <= w - 1 && y <= h - 1)) return 0;
  const x0 = floor(x) < w - 1 ? floor(x) : w - 2;
  const y0 = floor(y) < h - 1 ? floor(y) : h - 2;
  const fx = x - x0;
  const fy = y - y0;
  const i = y0 * w + x0;
  return (1 - fy) * ((1 - fx) * f[i] + fx * f[i + 1]) + fy * ((1 - fx) * f[i + w] + fx * f[i + w + 1]);
}

/** The photo pixels whose aligned position lies in the model-pixel box [x0, x1] x [y0, y1], clipped to the photo. */
function photoBox(
  toPhoto: Affine,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  width: number,
  height: number,
): PixelBounds | null {
  const corners = [
    applyAffine(toPhoto, { x: x0, y: y0 }),
    applyAffine(toPhoto, { x: x1, y: y0 }),
    applyAffine(toPhoto, { x: x0, y: y1 }),
    applyAffine(toPhoto, { x: x1, y: y1 }),
  ];
  const left = Math.max(0, Math.floor(Math.min(...corners.map((p) => p.x))) - 1);
  const top = Math.max(0, Math.floor(Math.min(...corners.map((p) => p.y))) - 1);
  const right = Math.min(width, Math.ceil(Math.max(...corners.map((p) => p.x))) + 2);
  const bottom = Math.min(height, Math.ceil(Math.max(...corners.map((p) => p.y))) + 2);
  return right > left && bottom > top ? { x: left, y: top, width: right - left, height: bottom - top } : null;
}

/**
 * Puts a drag made on the aligned crop back into the full-size photo, keeping the photo's own detail: the
 * displacement between the model's reconstruction and its edit moves the photo's pixels (through the alignment,
 * keeping their grain: DetailWarp), and only what the displacement cannot explain (new content) is added, low-passed, from the model.
 * Everything is blended under a feathered mask of where the edit changed anything (and the selection), outside of
 * which the photo's pixels are returned unchanged, bit for bit. `toPhoto` maps model pixels to photo pixels
 * (AlignedFace.toPhoto, or the scale-and-offset of a plain crop: squareCropToPhoto). The model's image may be a
 * square or a portrait model's W x H.
 */
export function compositeEdit(
  photo: Image8,
  toPhoto: Affine,
  reconstruction: Image8,
  edited: Image8,
  options: CompositeOptions = {},
): CompositeResult {
  check(photo, reconstruction, edited, options.selection);
  // the model's image: a square, or a portrait model's W x H
  const { width: w, height: h } = reconstruction;
  const s = Math.max(w, h);
  const r = floatFromImage8(reconstruction);
  const e = floatFromImage8(edited);
  // Wide windows and a final smoothing: two renders of a drag differ by GAN texture that the flow would otherwise
  // follow pixel by pixel, and a flow rough at the model's pixel scale streaks the photo's grain (seen on the
  // bundled model's drags: visible diagonal streaks, gone with this smoothing) while drags move parts smoothly.
  const flow = denseFlow(r, e, { window: 4, smooth: Math.max(2, Math.round(s / 64)) });
  const field = editMask(r, e, flow, options.feather ?? Math.max(1, Math.round(s / 64)));
  const residual = editResidual(r, e, flow);

  const image: Image8 = { width: photo.width, height: photo.height, data: new Uint8ClampedArray(photo.data) };
  const mask: GreyImage8 = {
    width: photo.width,
    height: photo.height,
    data: new Uint8ClampedArray(photo.width * photo.height),
  };
  // the model-pixel box where the mask is non-zero, then the photo pixels that can see it
  let mx0 = w;
  let my0 = h;
  let mx1 = -1;
  let my1 = -1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (field[y * w + x] > 0) {
        if (x < mx0) mx0 = x;
        if (x > mx1) mx1 = x;
        if (y < my0) my0 = y;
        if (y > my1) my1 = y;
      }
    }
  }
  const box = mx1 < 0 ? null : photoBox(toPhoto, mx0 - 1, my0 - 1, mx1 + 1, my1 + 1, photo.width, photo.height);
  if (box === null) return { image, mask, bounds: null, layer: null, flow };

  const toAligned = invertAffine(toPhoto);
  const sampler = new DetailWarp(photo, readWindow(box, flow, toPhoto, photo));
  const moved = new Float64Array(4);
  const sel = options.selection?.data;
  const src = photo.data;
  const dst = image.data;
  const layerData = new Uint8ClampedArray(box.width * box.height * 4);
  let bx0 = photo.width;
  let by0 = photo.height;
  let bx1 = -1;
  let by1 = -1;
  for (let py = box.y; py < box.y + box.height; py++) {
    for (let px = box.x; px < box.x + box.width; px++) {
      const i = py * photo.width + px;
      const ax = toAligned.a * px + toAligned.b * py + toAligned.c;
      const ay = toAligned.d * px + toAligned.e * py + toAligned.f;
      let m = sampleField(field, w, h, ax, ay);
      if (sel) m *= sel[i] / 255;
      if (!(m > 0)) continue;
      const dx = sampleField(flow.dx, w, h, ax, ay);
      const dy = sampleField(flow.dy, w, h, ax, ay);
      // the model pixel's displacement, carried into photo pixels by the alignment's linear part
      sampler.sample(px + toPhoto.a * dx + toPhoto.b * dy, py + toPhoto.d * dx + toPhoto.e * dy, moved);
      const l = 4 * ((py - box.y) * box.width + (px - box.x));
      for (let c = 0; c < 4; c++) {
        let v = moved[c];
        if (c < 3) v += sampleResidual(residual.data, w, h, ax, ay, c);
        layerData[l + c] = v;
        dst[4 * i + c] = src[4 * i + c] + m * (layerData[l + c] - src[4 * i + c]);
      }
      mask.data[i] = m * 255;
      // the 8-bit mask is 0 only where the image is the input's: a weight under half a level can still move a pixel
      // whose edit is large by a level, and that pixel must be inside the mask and the bounds
      if (mask.data[i] === 0) {
        if (
          dst[4 * i] === src[4 * i] &&
          dst[4 * i + 1] === src[4 * i + 1] &&
          dst[4 * i + 2] === src[4 * i + 2] &&
          dst[4 * i + 3] === src[4 * i + 3]
        )
          continue;
        mask.data[i] = 1;
      }
      if (px < bx0) bx0 = px;
      if (px > bx1) bx1 = px;
      if (py < by0) by0 = py;
      if (py > by1) by1 = py;
    }
  }
  if (bx1 < 0) return { image, mask, bounds: null, layer: null, flow };
  const bounds = { x: bx0, y: by0, width: bx1 - bx0 + 1, height: by1 - by0 + 1 };
  return { image, mask, bounds, layer: cropLayer(layerData, box, bounds), flow };
}

/** The photo pixels the warp may read for the pixels of `box`: the box widened by the largest displacement. */
function readWindow(box: PixelBounds, flow: Flow, toPhoto: Affine, photo: Image8): PixelBounds {
  let most = 0;
  for (let i = 0; i < flow.dx.length; i++) {
    const d = flow.dx[i] * flow.dx[i] + flow.dy[i] * flow.dy[i];
    if (d > most) most = d;
  }
  // the Frobenius norm of the linear part bounds how far any model-pixel displacement reaches in the photo
  const gain = Math.sqrt(toPhoto.a * toPhoto.a + toPhoto.b * toPhoto.b + toPhoto.d * toPhoto.d + toPhoto.e * toPhoto.e);
  const m = Math.ceil(Math.sqrt(most) * gain) + 4;
  const x = Math.max(0, box.x - m);
  const y = Math.max(0, box.y - m);
  return {
    x,
    y,
    width: Math.min(photo.width, box.x + box.width + m) - x,
    height: Math.min(photo.height, box.y + box.height + m) - y,
  };
}

function sampleResidual(data: Float32Array, w: number, h: number, x: number, y: number, c: number): number {
  const cx = x < 0 ? 0 : x > w - 1 ? w - 1 : x;
  const cy = y < 0 ? 0 : y > h - 1 ? h - 1 : y;
  const x0 = floor(cx) < w - 1 ? floor(cx) : w - 2;
  const y0 = floor(cy) < h - 1 ? floor(cy) : h - 2;
  const fx = cx - x0;
  const fy = cy - y0;
  const i = y0 * w + x0;
  return (
    (1 - fy) * ((1 - fx) * data[3 * i + c] + fx * data[3 * (i + 1) + c]) +
    fy * ((1 - fx) * data[3 * (i + w) + c] + fx * data[3 * (i + w + 1) + c])
  );
}

function cropLayer(data: Uint8ClampedArray, box: PixelBounds, bounds: PixelBounds): Image8 {
  const out = new Uint8ClampedArray(bounds.width * bounds.height * 4);
  for (let y = 0; y < bounds.height; y++) {
    const from = 4 * ((bounds.y - box.y + y) * box.width + (bounds.x - box.x));
    out.set(data.subarray(from, from + 4 * bounds.width), 4 * y * bounds.width);
  }
  return { width: bounds.width, height: bounds.height, data: out };
}
