import type { GraphBuilder } from '../graph/builder';
import type { Value } from '../graph/ir';
import type { HostTensor } from '../graph/tensor';
import type { ImageLoss } from '../stylegan2/graphs';

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
  // every level's residual is pooled from the full-size one, which does not move with a saturated pixel
  for (let i = 0; i < x.length; i++) if (saturated(x[i], y[i])) grad[i] = 0;
  return { loss, grad: { shape: [...img.shape], data: grad } };
}

/** Where the target sits at the edge of the range (0 or 255), any value past that edge displays the same. */
const EDGE = 1 - 1e-6;

/**
 * x - y, except 0 where the target is saturated and x is past it: the displayed (clamped) image matches there, and
 * pulling such pixels back would spend effort on invisible differences.
 */
function saturatedResidual(x: number, y: number): number {
  return saturated(x, y) ? 0 : x - y;
}

function saturated(x: number, y: number): boolean {
  return (y >= EDGE && x > y) || (y <= -EDGE && x < y);
}

/** The graph input multiResolutionL2Loss adds: the target image, [1, C, R, R]. */
export const TARGET_INPUT = 'target';

/**
 * multiResolutionL2 as graph ops, differentiated with the generator in one run (Generator.imageLossGradient): the
 * same loss and gradient (in float32 rather than float64 sums), so no image cotangent crosses to the host and back.
 */
export function multiResolutionL2Loss(levels: number): ImageLoss {
  return {
    key: `l2x${levels}`,
    emit(b: GraphBuilder, img: Value) {
      const [, c, h, w] = img.shape;
      const target = b.input(TARGET_INPUT, img.shape);
      const mask = (condition: Value) => b.cast(condition, 'float32');
      // saturatedResidual: the two cases exclude each other, so 1 - (sum of their masks) keeps the rest
      const above = b.mul(mask(b.greaterOrEqual(target, b.scalar(EDGE))), mask(b.greater(img, target)));
      const below = b.mul(mask(b.lessOrEqual(target, b.scalar(-EDGE))), mask(b.greater(target, img)));
      let r = b.mul(b.sub(img, target), b.sub(b.scalar(1), b.add(above, below)));
      let loss: Value | undefined;
      let lh = h;
      let lw = w;
      for (let level = 0; level < levels && lh >= 1 && lw >= 1; level++) {
        const term = b.reduceMean(b.mul(r, r), [0, 1, 2, 3], false);
        loss = loss ? b.add(loss, term) : term;
        if (lh < 2 || lw < 2) break;
        const nh = lh >> 1;
        const nw = lw >> 1;
        // 2x2 average pooling; an odd last row or column is dropped, as above
        const even = 2 * nh === lh && 2 * nw === lw ? r : b.slice(r, [2, 3], [0, 0], [2 * nh, 2 * nw]);
        r = b.reshape(b.reduceMean(b.reshape(even, [1, c, nh, 2, nw, 2]), [3, 5], false), [1, c, nh, nw]);
        lh = nh;
        lw = nw;
      }
      return { loss: loss as Value, inputs: [target] };
    },
  };
}
