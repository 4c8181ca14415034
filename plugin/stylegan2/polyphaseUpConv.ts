import type { GraphBuilder } from '../graph/builder';
import type { Value } from '../graph/ir';
import type { WeightEmitter } from './weights';

/**
 * conv2d_resample's up=2 transposed convolution (stride 2, the [out, in, k, k] weight used as [in, out, k, k], not
 * flipped) in polyphase form: one stride-1 convolution on the input grid whose 4 * out channels are the four output
 * phases (even/odd row x even/odd column), interleaved by DepthToSpace. Output row 2m + a sums tap a + 2 (n - 1 - u)
 * over the input rows m - (n - 1) + u of an n-row window (n = ceil(k / 2)); a phase with fewer taps has zeros in its
 * window, which add exact zeros. onnxruntime's CPU ConvTranspose goes through col2im outside its blocked kernels (at
 * 512 px about 60% of a synthesis forward); one convolution rather than one per phase keeps the phases out of a
 * Concat and the input gradient one convolution too (four of them, their concat and their re-layouts cost more than
 * the transposed form in an inversion step).
 *
 * The result has the L = 2h + k - 2 rows (and columns) of the transposed form followed by 2 * ceil(L / 2) - L zero
 * ones (one for k = 3); `extra` says how many, for the caller's crop or padding.
 */
export function polyphaseUpConv(
  b: GraphBuilder,
  w: WeightEmitter,
  name: string,
  x: Value,
): { y: Value; extra: number } {
  const [outC, inC, k, kw] = w.tensor(name).shape;
  if (k !== kw) throw new Error(`polyphaseUpConv: ${name} is ${k}x${kw}; StyleGAN2's kernels are square`);
  const [, , h, wd] = x.shape;
  const n = Math.ceil(k / 2);
  // each phase's rows (columns): half the transposed form's, rounded up
  const length = (size: number): number => Math.ceil((2 * size + k - 2) / 2);
  // taps[a][u]: the kernel tap that window row u meets in phase a, or -1 (a zero)
  const taps = [0, 1].map((a) =>
    Array.from({ length: n }, (_, u) => {
      const t = a + 2 * (n - 1 - u);
      return t < k ? t : -1;
    }),
  );
  const kernel = w.derived(
    name,
    'up2polyphase',
    [4 * outC, inC, n, n],
    (d) => {
      const out = new Float32Array(4 * outC * inC * n * n);
      // DepthToSpace's default (DCR) order reads channel (ay * 2 + ax) * out + o
      for (let ay = 0; ay < 2; ay++)
        for (let ax = 0; ax < 2; ax++)
          for (let oi = 0; oi < outC * inC; oi++) {
            const dst = ((ay * 2 + ax) * outC * inC + oi) * n * n;
            for (let u = 0; u < n; u++)
              for (let v = 0; v < n; v++) {
                const [ty, tx] = [taps[ay][u], taps[ax][v]];
                if (ty >= 0 && tx >= 0) out[dst + u * n + v] = d[(oi * k + ty) * k + tx];
              }
          }
      return out;
    },
    (v) => {
      // a weight that is a graph input: pad it by a zero tap on each side, so tap t is index t + 1 and -1 is a zero
      const padded = b.pad(v, [0, 0, 1, 1, 0, 0, 1, 1]);
      const phases: Value[] = [];
      for (let ay = 0; ay < 2; ay++)
        for (let ax = 0; ax < 2; ax++) phases.push(pick(b, pick(b, padded, 2, taps[ay]), 3, taps[ax]));
      return b.concat(phases, 0);
    },
  );
  const before = n - 1;
  const y = b.depthToSpace(b.conv(x, kernel, { pads: [before, before, length(h) - h, length(wd) - wd] }), 2);
  return { y, extra: 2 * length(h) - (2 * h + k - 2) };
}

/** Taps t of the zero-padded weight (index t + 1) along one axis, in the order given. */
function pick(b: GraphBuilder, v: Value, axis: number, taps: readonly number[]): Value {
  return b.concat(
    taps.map((t) => b.slice(v, [axis], [t + 1], [t + 2])),
    axis,
  );
}
