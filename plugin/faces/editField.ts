import { boxFilter } from './boxFilter';
import { warpByFlow, type Flow } from './denseFlow';
import { rgbFloat, type RgbFloat } from './rgbFloat';

/** Residual colour changes smaller than this (levels) are the warp's interpolation error and render noise: dropped. */
const RESIDUAL_FLOOR = 3;

/**
 * What the displacement does not explain: edited - reconstruction moved along the flow (new content: teeth in an
 * opened mouth, an eye that closes), low-passed over 3x3 model pixels and shrunk towards zero by a few levels, so
 * that only real new content, not the model's texture noise, is added to the photo.
 */
export function editResidual(reconstruction: RgbFloat, edited: RgbFloat, flow: Flow): RgbFloat {
  const { width, height } = edited;
  const n = width * height;
  const moved = warpByFlow(reconstruction, flow);
  const out = rgbFloat(width, height);
  const plane = new Float32Array(n);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < n; i++) plane[i] = edited.data[3 * i + c] - moved.data[3 * i + c];
    const smooth = boxFilter(plane, width, height, 1);
    for (let i = 0; i < n; i++) {
      const v = smooth[i];
      out.data[3 * i + c] = v > RESIDUAL_FLOOR ? v - RESIDUAL_FLOOR : v < -RESIDUAL_FLOOR ? v + RESIDUAL_FLOOR : 0;
    }
  }
  return out;
}
