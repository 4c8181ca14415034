import { boxFilter } from './boxFilter';
import type { Flow } from './denseFlow';
import type { RgbFloat } from './rgbFloat';

/** One channel, 8 bits, row by row: a Photoshop layer mask or a selection (255: the edit fully applied / selected). */
export interface GreyImage8 {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

/** A colour change smaller than this (levels of 255) between the reconstruction and the edit is render noise, not the edit. */
export const CHANGE_LEVELS = 4;
/**
 * A displacement larger than this (model pixels) counts as a change even where the colours barely change (a flat
 * region moved); smaller ones count only through the colours: the flow of two renders of the same latent on
 * different backends (render noise of a level or two) stays under 0.3 px in flat regions, where it means nothing.
 */
export const CHANGE_MOTION = 0.75;

/**
 * Where the edit changed the model's image, 0..1 at the model's resolution, feathered: 1 over every pixel whose
 * colour or position changed (widened by the feather so the change is fully inside), falling smoothly to exactly 0
 * within `feather` * 4 pixels, and 0 at the crop's own edge (beyond it the model saw nothing). Unchanged pixels far
 * from the edit stay exactly 0, so the photo keeps them untouched.
 */
export function editMask(reconstruction: RgbFloat, edited: RgbFloat, flow: Flow, feather: number): Float32Array {
  const { width, height } = edited;
  const n = width * height;
  const changed = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let c = flow.dx[i] * flow.dx[i] + flow.dy[i] * flow.dy[i] > CHANGE_MOTION * CHANGE_MOTION;
    for (let k = 0; k < 3 && !c; k++) {
      const d = edited.data[3 * i + k] - reconstruction.data[3 * i + k];
      c = d > CHANGE_LEVELS || d < -CHANGE_LEVELS;
    }
    changed[i] = c ? 1 : 0;
  }
  // widen by 2 * feather (any changed pixel in the window counts), then two box passes of radius feather: the
  // changed pixels stay at exactly 1 and the ramp ends exactly 4 * feather beyond them
  const r = Math.max(1, Math.round(feather));
  const near = boxFilter(changed, width, height, 2 * r);
  for (let i = 0; i < n; i++) near[i] = near[i] > 1e-6 ? 1 : 0;
  const soft = boxFilter(boxFilter(near, width, height, r), width, height, r);
  // fade to 0 at the crop's border: outside the square there is nothing of the edit to apply
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // distance to the outermost pixel centres, so the mask is 0 there and, interpolated, 0 beyond the square
      const ex = x < width - 1 - x ? x : width - 1 - x;
      const ey = y < height - 1 - y ? y : height - 1 - y;
      const edge = (ex < ey ? ex : ey) / (2 * r);
      const i = y * width + x;
      soft[i] = soft[i] < 1e-6 ? 0 : soft[i] * (edge < 1 ? edge : 1);
    }
  }
  return soft;
}
