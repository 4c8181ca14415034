import type { GraphBuilder } from '../../graph/builder';
import type { Value } from '../../graph/ir';
import { fullyConnected } from '../layers';
import type { WeightEmitter } from '../weights';
import type { Sg3Plan } from './geometry';

const P = 'synthesis.input';

/**
 * Official SynthesisInput: Fourier features sin(2 pi (grid . f' + phase')) whose frequencies f' and phases are
 * rotated and translated by an affine of w (t = (r_c, r_s, t_x, t_y), normalised by |(r_c, r_s)|) and by the
 * stored user transform, damped where the transform pushes them out of band, then mixed by a learned matrix.
 * Everything that depends on w is a handful of [1, 1] scalars; the grid and the buffers are constants.
 */
export function fourierInput(b: GraphBuilder, w: WeightEmitter, plan: Sg3Plan['input'], wRow: Value): Value {
  const { channels: c, size, samplingRate, bandwidth } = plan;
  const t = fullyConnected(b, w, `${P}.affine`, wRow, 1, 'linear'); // [1, 4]
  const col = (i: number) => b.slice(t, [1], [i], [i + 1]);
  const inv = b.reciprocal(b.sqrt(b.add(b.mul(col(0), col(0)), b.mul(col(1), col(1)))));
  const [rc, rs, tx, ty] = [0, 1, 2, 3].map((i) => b.mul(col(i), inv));
  // m_r @ m_t: [[rc, -rs, rs ty - rc tx], [rs, rc, -(rs tx + rc ty)], [0, 0, 1]]
  const a: (Value | null)[][] = [
    [rc, b.neg(rs), b.sub(b.mul(rs, ty), b.mul(rc, tx))],
    [rs, rc, b.neg(b.add(b.mul(rs, tx), b.mul(rc, ty)))],
    [null, null, null],
  ];
  const user = w.tensor(`${P}.transform`).data;
  // (m_r @ m_t @ user)[i][j]; a term whose user coefficient is exactly 0 is left out (the common identity transform).
  const m = (i: number, j: number): Value => {
    let acc: Value | null = null;
    for (let k = 0; k < 3; k++) {
      const coef = user[k * 3 + j];
      const ak = i < 2 ? a[i][k] : null;
      if (coef === 0 || (ak === null && !(i === 2 && k === 2))) continue;
      const term = ak === null ? b.scalar(coef) : b.scale(ak, coef);
      acc = acc ? b.add(acc, term) : term;
    }
    return acc ?? b.scalar(0);
  };
  const freqs = w.tensor(`${P}.freqs`).data;
  const fx = b.constant(
    [1, c, 1, 1],
    Float32Array.from({ length: c }, (_, i) => freqs[2 * i]),
  );
  const fy = b.constant(
    [1, c, 1, 1],
    Float32Array.from({ length: c }, (_, i) => freqs[2 * i + 1]),
  );
  const lin = (u: Value, v: Value) =>
    b.add(b.mul(fx, b.reshape(u, [1, 1, 1, 1])), b.mul(fy, b.reshape(v, [1, 1, 1, 1])));
  const phases = b.add(w.scaled(`${P}.phases`, 1, [1, c, 1, 1]), lin(m(0, 2), m(1, 2)));
  const gx = lin(m(0, 0), m(1, 0)); // freqs @ M[:2, :2], column 0
  const gy = lin(m(0, 1), m(1, 1));
  // amplitudes = clamp(1 - (|f'| - bandwidth) / (sampling_rate / 2 - bandwidth), 0, 1)
  const norm = b.sqrt(b.add(b.mul(gx, gx), b.mul(gy, gy)));
  const amp = b.clip(b.scale(b.sub(b.scalar(samplingRate / 2), norm), 1 / (samplingRate / 2 - bandwidth)), 0, 1);
  // affine_grid(theta = diag(0.5 size / sampling_rate), align_corners=False): ((2 j + 1) / size - 1) * scale
  const coords = Float32Array.from(
    { length: size },
    (_, j) => ((2 * j + 1) / size - 1) * ((0.5 * size) / samplingRate),
  );
  const xs = b.constant([1, 1, 1, size], coords);
  const ys = b.constant([1, 1, size, 1], coords);
  const arg = b.add(b.add(b.mul(xs, gx), b.mul(ys, gy)), phases); // [1, C, size, size]
  const x = b.mul(b.sin(b.scale(arg, 2 * Math.PI)), amp);
  return b.conv(x, w.scaled(`${P}.weight`, 1 / Math.sqrt(c), [c, c, 1, 1]));
}
