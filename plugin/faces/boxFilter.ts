/**
 * Mean over a (2r + 1) x (2r + 1) window of a single-channel image, edges clamped, by running sums in both
 * directions: linear time whatever r. The dense flow sums its normal equations with it, the edit mask feathers with it.
 */
export function boxFilter(src: Float32Array, width: number, height: number, r: number): Float32Array {
  if (r <= 0) return src.slice();
  const tmp = new Float32Array(width * height);
  const out = new Float32Array(width * height);
  const n = 2 * r + 1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let sum = 0;
    for (let i = -r; i <= r; i++) sum += src[row + (i < 0 ? 0 : i >= width ? width - 1 : i)];
    for (let x = 0; x < width; x++) {
      tmp[row + x] = sum / n;
      const add = x + r + 1;
      const drop = x - r;
      sum += src[row + (add >= width ? width - 1 : add)] - src[row + (drop < 0 ? 0 : drop)];
    }
  }
  for (let x = 0; x < width; x++) {
    let sum = 0;
    for (let i = -r; i <= r; i++) sum += tmp[(i < 0 ? 0 : i >= height ? height - 1 : i) * width + x];
    for (let y = 0; y < height; y++) {
      out[y * width + x] = sum / n;
      const add = y + r + 1;
      const drop = y - r;
      sum += tmp[(add >= height ? height - 1 : add) * width + x] - tmp[(drop < 0 ? 0 : drop) * width + x];
    }
  }
  return out;
}
