/**
 * The official code bilinearly up-samples the feature map F (Hf x Wf) to the image size (h x w) and then samples
 * it. These helpers express both steps as weighted taps into F itself, so the big up-sampled map never exists and
 * the result is the same.
 */
export interface Taps {
  /** Flat indices y * Wf + x into one channel plane of F. */
  index: number[];
  weight: number[];
}

/** F.interpolate(mode='bilinear', align_corners=False) source coordinate for output index i (torch's formula). */
function sourceIndex(i: number, inSize: number, outSize: number): { i0: number; i1: number; l1: number } {
  const scale = Math.fround(inSize / outSize);
  const src = Math.max(0, Math.fround(Math.fround(scale * (i + 0.5)) - 0.5));
  const i0 = Math.floor(src);
  const i1 = i0 < inSize - 1 ? i0 + 1 : i0;
  return { i0, i1, l1: Math.fround(src - i0) };
}

export class FeatureGeometry {
  readonly rowTaps: readonly { i0: number; i1: number; l1: number }[];
  readonly colTaps: readonly { i0: number; i1: number; l1: number }[];

  constructor(
    readonly channels: number,
    readonly fh: number,
    readonly fw: number,
    readonly h: number,
    readonly w: number,
  ) {
    this.rowTaps = Array.from({ length: h }, (_, i) => sourceIndex(i, fh, h));
    this.colTaps = Array.from({ length: w }, (_, i) => sourceIndex(i, fw, w));
  }

  get plane(): number {
    return this.fh * this.fw;
  }

  /** Taps of the up-sampled map at integer image pixel (y, x), appended to `out` with a factor. */
  addPixel(y: number, x: number, factor: number, out: Taps): void {
    const r = this.rowTaps[y];
    const c = this.colTaps[x];
    const r0 = 1 - r.l1;
    const c0 = 1 - c.l1;
    out.index.push(r.i0 * this.fw + c.i0, r.i0 * this.fw + c.i1, r.i1 * this.fw + c.i0, r.i1 * this.fw + c.i1);
    out.weight.push(factor * r0 * c0, factor * r0 * c.l1, factor * r.l1 * c0, factor * r.l1 * c.l1);
  }

  pixelTaps(y: number, x: number): Taps {
    const t: Taps = { index: [], weight: [] };
    this.addPixel(y, x, 1, t);
    return t;
  }

  /** Samples every channel: out[c] = sum_k weight_k * F[c, index_k]. */
  sample(f: Float32Array, taps: Taps, out: Float64Array = new Float64Array(this.channels)): Float64Array {
    const p = this.plane;
    for (let c = 0; c < this.channels; c++) {
      let s = 0;
      const base = c * p;
      for (let k = 0; k < taps.index.length; k++) s += taps.weight[k] * f[base + taps.index[k]];
      out[c] = s;
    }
    return out;
  }
}
