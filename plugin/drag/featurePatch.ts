import type { FeatureGeometry } from './bilinear';

/** Up to 3 feature indices along one axis and their weights (two bilinear steps merged). */
class AxisTaps {
  readonly index = new Int32Array(3);
  readonly weight = new Float64Array(3);
  count = 0;

  add(i: number, w: number): void {
    for (let k = 0; k < this.count; k++) {
      if (this.index[k] === i) {
        this.weight[k] += w;
        return;
      }
    }
    this.index[this.count] = i;
    this.weight[this.count++] = w;
  }
}

/** A sampling position: separable taps into the patch (row taps x column taps), and their flat product. */
export class PatchTaps {
  readonly rows = new AxisTaps();
  readonly cols = new AxisTaps();
  /** Offsets of the taps' first channel in the patch, and their weights (set by flatten). */
  readonly offset = new Int32Array(9);
  readonly weight = new Float64Array(9);
  count = 0;

  flatten(nw: number, channels: number): this {
    this.count = 0;
    for (let i = 0; i < this.rows.count; i++) {
      for (let j = 0; j < this.cols.count; j++) {
        this.offset[this.count] = (this.rows.index[i] * nw + this.cols.index[j]) * channels;
        this.weight[this.count++] = this.rows.weight[i] * this.cols.weight[j];
      }
    }
    return this;
  }
}

/**
 * A pixel-major copy of the feature cells under a box of image pixels. The map is channel-major (one plane per
 * channel), so sampling one position reads 128+ values a plane apart; copied pixel-major, every tap is one
 * contiguous run over the channels, and the up-sampling's taps and a fractional shift's taps merge into one
 * separable set (at most 3 x 3 cells, usually 2 x 2). Motion supervision and tracking read a few hundred positions
 * per handle from a few cells, so the copy is small and the loops are short. Values match FeatureGeometry.sample
 * up to float64 rounding.
 */
export class FeaturePatch {
  private readonly fy0: number;
  private readonly fx0: number;
  private readonly nw: number;
  private readonly data: Float64Array;
  private grad?: Float64Array;

  /** The cells read by image pixels y0..y1, x0..x1 (inclusive, clamped to the image). */
  constructor(
    private readonly geo: FeatureGeometry,
    f: Float32Array,
    y0: number,
    y1: number,
    x0: number,
    x1: number,
  ) {
    const clampY = (v: number) => Math.min(geo.h - 1, Math.max(0, v));
    const clampX = (v: number) => Math.min(geo.w - 1, Math.max(0, v));
    this.fy0 = geo.rowTaps[clampY(y0)].i0;
    const fy1 = geo.rowTaps[clampY(y1)].i1;
    this.fx0 = geo.colTaps[clampX(x0)].i0;
    const fx1 = geo.colTaps[clampX(x1)].i1;
    this.nw = fx1 - this.fx0 + 1;
    const c = geo.channels;
    const plane = geo.plane;
    this.data = new Float64Array((fy1 - this.fy0 + 1) * this.nw * c);
    for (let y = this.fy0; y <= fy1; y++) {
      for (let x = this.fx0; x <= fx1; x++) {
        const o = ((y - this.fy0) * this.nw + (x - this.fx0)) * c;
        const src = y * geo.fw + x;
        for (let k = 0; k < c; k++) this.data[o + k] = f[k * plane + src];
      }
    }
  }

  /** Taps of the up-sampled map at integer image pixel (y, x). */
  pixel(y: number, x: number, t: PatchTaps): PatchTaps {
    t.rows.count = 0;
    t.cols.count = 0;
    const r = this.geo.rowTaps[y];
    const c = this.geo.colTaps[x];
    t.rows.add(r.i0 - this.fy0, 1 - r.l1);
    t.rows.add(r.i1 - this.fy0, r.l1);
    t.cols.add(c.i0 - this.fx0, 1 - c.l1);
    t.cols.add(c.i1 - this.fx0, c.l1);
    return t.flatten(this.nw, this.geo.channels);
  }

  /** Taps at fractional image position (y, x): bilinear between image pixels, those outside the image zero. */
  fractional(y: number, x: number, t: PatchTaps): PatchTaps {
    this.axis(y, this.geo.h, this.geo.rowTaps, this.fy0, t.rows);
    this.axis(x, this.geo.w, this.geo.colTaps, this.fx0, t.cols);
    return t.flatten(this.nw, this.geo.channels);
  }

  private axis(v: number, n: number, taps: FeatureGeometry['rowTaps'], origin: number, out: AxisTaps): void {
    out.count = 0;
    const v0 = Math.floor(v);
    const l = v - v0;
    const add = (p: number, w: number) => {
      if (w === 0 || p < 0 || p >= n) return;
      const t = taps[p];
      out.add(t.i0 - origin, w * (1 - t.l1));
      out.add(t.i1 - origin, w * t.l1);
    };
    add(v0, 1 - l);
    add(v0 + 1, l);
  }

  /** out[c] = sum over the taps of weight * F[c, cell]. */
  sample(t: PatchTaps, out: Float64Array): Float64Array {
    const { offset, weight, count } = t;
    const d = this.data;
    for (let k = 0; k < this.geo.channels; k++) {
      let s = 0;
      for (let i = 0; i < count; i++) s += weight[i] * d[offset[i] + k];
      out[k] = s;
    }
    return out;
  }

  /** sum_c (sample(t)[c] - ref[refOffset + c])^2, without materialising the sample. */
  squaredDistance(t: PatchTaps, ref: Float64Array, refOffset = 0): number {
    const { offset, weight, count } = t;
    const d = this.data;
    let sum = 0;
    for (let k = 0; k < this.geo.channels; k++) {
      let s = 0;
      for (let i = 0; i < count; i++) s += weight[i] * d[offset[i] + k];
      const e = s - ref[refOffset + k];
      sum += e * e;
    }
    return sum;
  }

  /**
   * Motion supervision at one disc pixel: sum_c |F(a) - F(b)|, with the gradient of that sum scaled by `scale`
   * accumulated through F(b) only (F(a) is detached). One pass over the channels.
   */
  l1Towards(a: PatchTaps, b: PatchTaps, scale: number): number {
    const d = this.data;
    const grad = (this.grad ??= new Float64Array(d.length));
    const { offset: ao, weight: aw, count: na } = a;
    const { offset: bo, weight: bw, count: nb } = b;
    let sum = 0;
    const channels = this.geo.channels;
    if (na === 4 && nb === 4) {
      // the common case (both positions inside one cell's square of taps), unrolled
      const [a0, a1, a2, a3] = ao;
      const [b0, b1, b2, b3] = bo;
      const [p0, p1, p2, p3] = aw;
      const [q0, q1, q2, q3] = bw;
      for (let k = 0; k < channels; k++) {
        const diff =
          p0 * d[a0 + k] +
          p1 * d[a1 + k] +
          p2 * d[a2 + k] +
          p3 * d[a3 + k] -
          (q0 * d[b0 + k] + q1 * d[b1 + k] + q2 * d[b2 + k] + q3 * d[b3 + k]);
        sum += Math.abs(diff);
        const g = -Math.sign(diff) * scale;
        grad[b0 + k] += q0 * g;
        grad[b1 + k] += q1 * g;
        grad[b2 + k] += q2 * g;
        grad[b3 + k] += q3 * g;
      }
      return sum;
    }
    for (let k = 0; k < channels; k++) {
      let av = 0;
      for (let i = 0; i < na; i++) av += aw[i] * d[ao[i] + k];
      let bv = 0;
      for (let i = 0; i < nb; i++) bv += bw[i] * d[bo[i] + k];
      const diff = av - bv;
      sum += Math.abs(diff);
      const g = -Math.sign(diff) * scale;
      for (let i = 0; i < nb; i++) grad[bo[i] + k] += bw[i] * g;
    }
    return sum;
  }

  /** Adds the scattered gradient into the channel-major dF. */
  addGradientTo(df: Float32Array): void {
    const grad = this.grad;
    if (!grad) return;
    const c = this.geo.channels;
    const plane = this.geo.plane;
    const rows = grad.length / (this.nw * c);
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < this.nw; x++) {
        const o = (y * this.nw + x) * c;
        const dst = (y + this.fy0) * this.geo.fw + x + this.fx0;
        for (let k = 0; k < c; k++) if (grad[o + k] !== 0) df[k * plane + dst] += grad[o + k];
      }
    }
  }
}
