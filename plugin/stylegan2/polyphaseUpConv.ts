import type { GraphBuilder } from '../graph/builder';
import type { Value } from '../graph/ir';
import type { WeightEmitter } from './weights';

/**
 * conv2d_resample's up=2 transposed convolution (stride 2, the [out, in, k, k] weight used as [in, out, k, k], not
 * flipped) as four stride-1 convolutions on the input grid, one per output phase (even/odd row x even/odd column),
 * interleaved by DepthToSpace. Output row 2m + a sums the taps t = a, a + 2, ... applied to input rows m, m - 1, ...:
 * the same products and sums as the transposed form without its inserted zeros. onnxruntime's CPU ConvTranspose
 * goes through col2im outside its blocked kernels, and at 512 px it was about 60% of a synthesis forward.
 *
 * The phases of a k x k kernel give ceil(L / 2) rows each for the L = 2h + k - 2 rows of the transposed form, so
 * the result has those L rows (and columns) followed by 2 * ceil(L / 2) - L zero ones (one for k = 3); `extra` says
 * how many, for the caller's crop or padding.
 */
export function polyphaseUpConv(
  b: GraphBuilder,
  w: WeightEmitter,
  name: string,
  x: Value,
): { y: Value; extra: number } {
  const [outC, inC, kh, kw] = w.tensor(name).shape;
  if (kh !== kw) throw new Error(`polyphaseUpConv: ${name} is ${kh}x${kw}; StyleGAN2's kernels are square`);
  const [, , h, wd] = x.shape;
  const rows = phaseTaps(kh, h);
  const cols = phaseTaps(kw, wd);
  const phases: Value[] = [];
  for (const ry of rows)
    for (const rx of cols) {
      const kernel = w.derived(
        name,
        `up2phase${ry.a}${rx.a}`,
        [outC, inC, ry.taps.length, rx.taps.length],
        (d) => {
          const out = new Float32Array(outC * inC * ry.taps.length * rx.taps.length);
          let n = 0;
          for (let oi = 0; oi < outC * inC; oi++)
            for (const ty of ry.taps) for (const tx of rx.taps) out[n++] = d[(oi * kh + ty) * kw + tx];
          return out;
        },
        (v) => pick(b, pick(b, v, 2, ry.taps), 3, rx.taps),
      );
      phases.push(b.conv(x, kernel, { pads: [ry.before, rx.before, ry.after, rx.after] }));
    }
  // DepthToSpace's default (DCR) order reads channel (by * 2 + bx) * out + o: the phases in row-major order
  const y = b.depthToSpace(b.concat(phases, 1), 2);
  return { y, extra: 2 * rows[0].length - (2 * h + kh - 2) };
}

interface Phase {
  /** 0 for the even output rows, 1 for the odd ones. */
  a: number;
  /** Kernel taps in correlation order: the last one meets input row m, the one before it row m - 1, ... */
  taps: number[];
  /** Padding before and after the input so the phase has `length` rows. */
  before: number;
  after: number;
  length: number;
}

/** Both phases of a k-tap transposed convolution at stride 2 over n input rows. */
function phaseTaps(k: number, n: number): Phase[] {
  const length = Math.ceil((2 * n + k - 2) / 2);
  return [0, 1].map((a) => {
    const taps: number[] = [];
    for (let t = a; t < k; t += 2) taps.unshift(t);
    return { a, taps, before: taps.length - 1, after: length - n, length };
  });
}

/** The weight's taps along one axis, in the order given (for a weight that is a graph input). */
function pick(b: GraphBuilder, v: Value, axis: number, taps: readonly number[]): Value {
  return b.concat(
    taps.map((t) => b.slice(v, [axis], [t], [t + 1])),
    axis,
  );
}
