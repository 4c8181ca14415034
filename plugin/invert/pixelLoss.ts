import type { HostTensor } from '../graph/tensor';

/**
 * Multi-resolution L2: the mean squared error at R, R/2, R/4, ... (2x2 average pooling between levels). The
 * coarse levels weigh colour and layout more than a plain MSE does, which steers the early steps toward the right
 * overall image before details; without a pretrained perceptual network this is the best guide available.
 * Returns the loss and its gradient with respect to the image.
 */
export function multiResolutionL2(
  img: HostTensor,
  target: HostTensor,
  levels: number,
): { loss: number; grad: HostTensor } {
  const [, c, h, w] = img.shape;
  const x = img.data;
  const y = target.data;
  const grad = new Float32Array(x.length);
  let loss = 0;
  // residual at the current level, [c, lh, lw]
  let r = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) r[i] = saturatedResidual(x[i], y[i]);
  let lh = h;
  let lw = w;
  for (let level = 0; level < levels && lh >= 1 && lw >= 1; level++) {
    const n = c * lh * lw;
    const k = 1 << level;
    for (let i = 0; i < n; i++) loss += (r[i] * r[i]) / n;
    // d/dx of mean(r^2) at this level, spread evenly over the k x k pixels each pooled value averages
    const scale = 2 / n / (k * k);
    for (let ch = 0; ch < c; ch++) {
      for (let yy = 0; yy < h; yy++) {
        const rowBase = (ch * lh + Math.floor(yy / k)) * lw;
        const out = (ch * h + yy) * w;
        for (let xx = 0; xx < w; xx++) grad[out + xx] += scale * r[rowBase + Math.floor(xx / k)];
      }
    }
    if (lh < 2 || lw < 2) break;
    const nh = lh >> 1;
    const nw = lw >> 1;
    const next = new Float64Array(c * nh * nw);
    for (let ch = 0; ch < c; ch++) {
      for (let yy = 0; yy < nh; yy++) {
        for (let xx = 0; xx < nw; xx++) {
          const b = (ch * lh + 2 * yy) * lw + 2 * xx;
          next[(ch * nh + yy) * nw + xx] = 0.25 * (r[b] + r[b + 1] + r[b + lw] + r[b + lw + 1]);
        }
      }
    }
    r = next;
    lh = nh;
    lw = nw;
  }
  return { loss, grad: { shape: [...img.shape], data: grad } };
}

/** Where the target sits at the edge of the range (0 or 255), any value past that edge displays the same. */
const EDGE = 1 - 1e-6;

/**
 * x - y, except 0 where the target is saturated and x is past it: the displayed (clamped) image matches there, and
 * pulling such pixels back would spend effort on invisible differences.
 */
function saturatedResidual(x: number, y: number): number {
  if ((y >= EDGE && x > y) || (y <= -EDGE && x < y)) return 0;
  return x - y;
}
