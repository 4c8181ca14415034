import { prepareImage } from '../invert/prepareImage';
import type { RgbImage } from '../invert/rgbImage';
import type { Image8 } from '../codecs/image8';

/** A frame as planar RGB in 8-bit units, for comparing frames of different origins alike. */
type Planes = Float32Array;

/** The clip's frame as the model sees it (centred square at its resolution), from [-1, 1] to 8-bit units. */
export function modelView(frame: RgbImage, resolution: number): Planes {
  return prepareImage(frame, resolution).target.data.map((v) => (v + 1) * 127.5);
}

/** An 8-bit RGBA image as planar RGB. */
export function planesOf(img: Image8): Planes {
  const n = img.width * img.height;
  const out = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) out[c * n + i] = img.data[4 * i + c];
  return out;
}

/** Mean absolute change between consecutive frames (8-bit units): what the eye sees as flicker and motion. */
export function meanFrameChange(frames: readonly Planes[]): number {
  if (frames.length < 2) return 0;
  let sum = 0;
  for (let f = 1; f < frames.length; f++) {
    const [a, b] = [frames[f - 1], frames[f]];
    let s = 0;
    for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
    sum += s / a.length;
  }
  return sum / (frames.length - 1);
}

/**
 * Temporal consistency of a dragged clip: the output's frame-to-frame change over the input's. 1 means the edit
 * added no flicker of its own; the motion of the clip itself is in both.
 */
export function flicker(
  inputs: readonly RgbImage[],
  outputs: readonly Image8[],
  resolution: number,
): { input: number; output: number; ratio: number } {
  const input = meanFrameChange(inputs.map((f) => modelView(f, resolution)));
  const output = meanFrameChange(outputs.map(planesOf));
  return { input, output, ratio: input === 0 ? (output === 0 ? 1 : Infinity) : output / input };
}
