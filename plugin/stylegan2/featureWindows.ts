import { blockResolutions, channelsAt, type GeneratorConfig } from './config';

/**
 * Exact windows for the feature map. Past the block where windowing starts, every layer of the synthesis network
 * is local: a 3x3 convolution reads one pixel around, the up-sampling transposed convolution (stride 2, 3x3) and
 * its [1,3,3,1] FIR filter read a fixed neighbourhood, and bias, activation, clamp and the constant noise are per
 * pixel. So a box of the feature map depends only on a bounded region of each earlier block's input: the box
 * widened by the receptive-field halo of every later layer. Computing each block from the start block on over a
 * crop that covers that region, with the crop kept inside the image (so the layers' own zero padding falls exactly
 * on the image border, as in the full computation), gives the full computation's values inside the box. Each
 * block's crop is taken again from the previous block's output, so the halo does not double with the resolution.
 *
 * Everything here is per axis (the layers are separable in extent) and in half-open pixel intervals.
 */

/** A box of the feature map, half-open, in feature-map pixels. */
export interface FeatureBox {
  y0: number;
  y1: number;
  x0: number;
  x1: number;
}

/** What a caller needs from the feature map: boxes, none larger than `size` x `size` (a static bound). */
export interface FeatureWindowRequest {
  size: number;
  boxes: readonly FeatureBox[];
}

export type Interval = readonly [lo: number, hi: number];

/** One layer's extent along an axis and how an output interval maps back to the input interval it reads. */
type Stage = 'up' | 'fir' | 'conv';

/** The layers of one synthesis block, in order, as they change extent: conv0 (transposed conv, FIR), conv1. */
const BLOCK: readonly Stage[] = ['up', 'fir', 'conv'];

function stageOut(stage: Stage, n: number): number {
  return stage === 'up' ? 2 * n + 1 : stage === 'fir' ? n - 1 : n;
}

/** Input interval an output interval reads, clipped to the input's extent n (outside it everything is zero). */
function reads(stage: Stage, [a, b]: Interval, n: number): Interval {
  if (stage === 'conv') return [Math.max(a - 1, 0), Math.min(b + 1, n)];
  // FIR 4x4 with padding 1: output m reads [m - 1, m + 2].
  if (stage === 'fir') return [Math.max(a - 1, 0), Math.min(b + 2, n)];
  // Transposed conv, stride 2, 3 taps: output j = 2i + k, k in 0..2, so j reads i in [ceil((j - 2) / 2), floor(j / 2)].
  return [Math.max(Math.ceil((a - 2) / 2), 0), Math.min(Math.floor((b - 1) / 2) + 1, n)];
}

/** Where a window [o, e) lies after a layer. */
function windowAfter(stage: Stage, [o, e]: Interval): Interval {
  return stage === 'up' ? [2 * o, 2 * e + 1] : stage === 'fir' ? [o, e - 1] : [o, e];
}

/**
 * The windowed part of the network along one axis: blocks startBlock..featureIdx, fed by the output of block
 * startBlock - 1 (extent `startRes`).
 */
export class WindowAxis {
  readonly stages: readonly Stage[];
  /** Extent before each stage (index i) and after the last (index stages.length). */
  readonly extents: readonly number[];

  constructor(
    readonly startRes: number,
    blocks: number,
  ) {
    this.stages = Array.from({ length: blocks }, () => BLOCK).flat();
    const ext = [startRes];
    for (const s of this.stages) ext.push(stageOut(s, ext[ext.length - 1]));
    this.extents = ext;
  }

  get featureRes(): number {
    return this.extents[this.extents.length - 1];
  }

  /** The interval each stage's input must hold exactly for the output interval `need`; index 0 is the start. */
  required(need: Interval): Interval[] {
    const out: Interval[] = [need];
    for (let i = this.stages.length - 1; i >= 0; i--) out.unshift(reads(this.stages[i], out[0], this.extents[i]));
    return out;
  }

  /** The window's extent at every stage, for a start window [o, o + size). */
  windows(o: number, size: number): Interval[] {
    const out: Interval[] = [[o, o + size]];
    for (const s of this.stages) out.push(windowAfter(s, out[out.length - 1]));
    return out;
  }

  /**
   * The start window size that covers any interval of `n` feature pixels, wherever it lies (the halo depends on
   * the interval's alignment to the up-sampling grid), capped at the start extent.
   */
  sizeFor(n: number): number {
    const blocks = this.stages.length / BLOCK.length;
    // Far from the border, where no clipping shrinks the interval: the worst case.
    const axis = new WindowAxis(this.startRes * 64, blocks);
    let s = 0;
    for (let a = 0; a < 2 ** blocks; a++) {
      const mid = axis.featureRes / 2 + a;
      const [lo, hi] = axis.required([mid, mid + n])[0];
      s = Math.max(s, hi - lo);
    }
    return Math.min(s, this.startRes);
  }

  /**
   * The start offset of a window of `size` covering `need` exactly: as low as the requirement allows, kept inside
   * the image. Throws if the window misses a required pixel at any stage (a planning bug, never a user error).
   */
  offsetFor(need: Interval, size: number): number {
    const req = this.required(need);
    const [lo, hi] = req[0];
    const o = Math.min(lo, this.startRes - size);
    const win = this.windows(o, size);
    req.forEach(([a, b], i) => {
      if (b > a && (a < win[i][0] || b > win[i][1])) {
        throw new Error(
          `window planning: stage ${i} needs [${a}, ${b}) but the window holds [${win[i][0]}, ${win[i][1]})`,
        );
      }
    });
    if (hi - lo > size) throw new Error(`window planning: the start needs ${hi - lo} pixels, the window has ${size}`);
    return o;
  }
}

/** Where windowing starts and how big the windows are: the static shape of a windowed feature graph. */
export interface WindowPlan {
  /** First block computed on windows; blocks before it run on the whole image. */
  startBlock: number;
  /**
   * Window side at the input of each windowed block (startBlock..featureIdx), each cropped again from the
   * previous block's output to what the rest of the network needs.
   */
  sizes: number[];
  /** Number of windows (one per box). */
  count: number;
}

/** Window sides at each block's input for boxes up to n feature pixels, blocks startBlock..featureIdx. */
export function blockSizes(res: readonly number[], startBlock: number, featureIdx: number, n: number): number[] {
  const sizes: number[] = [];
  let need = Math.min(n, res[featureIdx]);
  for (let k = featureIdx; k >= startBlock; k--) {
    need = new WindowAxis(res[k - 1], 1).sizeFor(need);
    sizes.unshift(need);
  }
  return sizes;
}

/** Multiply-accumulates of one block's convolutions on an output side `side` (the whole image or a window). */
function blockMacs(cfg: GeneratorConfig, k: number, side: number): number {
  const res = blockResolutions(cfg)[k];
  const cout = channelsAt(cfg, res);
  if (k === 0) return cout * cout * 9 * side * side;
  const cin = channelsAt(cfg, res / 2);
  const inSide = side / 2;
  return cin * cout * 9 * inSide * inSide + 16 * cout * (side + 1) * (side + 1) + cout * cout * 9 * side * side;
}

export interface WindowChoice {
  /** The cheapest windowed plan; absent when the feature block is the first (nothing to window). */
  plan?: WindowPlan;
  /** Whether that plan is cheaper than the whole map. */
  cheaper: boolean;
  /** Estimated multiply-accumulates of the forward, windowed (best start) and whole. */
  windowMacs: number;
  wholeMacs: number;
}

/**
 * Picks the cheapest start block for `count` windows of boxes up to `boxSize` feature pixels, by the
 * convolutions' multiply-accumulates (the backward costs about twice the forward on either path, so the ratio
 * holds), and says whether it beats the whole map (many handles on a small model may not).
 */
export function chooseWindows(cfg: GeneratorConfig, featureIdx: number, boxSize: number, count: number): WindowChoice {
  const res = blockResolutions(cfg);
  // The halo above is that of the [1,3,3,1] filter every official model uses.
  const taps = cfg.synthesis_kwargs.resample_filter ?? [1, 3, 3, 1];
  if (taps.length !== 4) return { cheaper: false, windowMacs: Infinity, wholeMacs: Infinity };
  const whole = (k: number): number => blockMacs(cfg, k, res[k]);
  let wholeMacs = 0;
  for (let k = 0; k <= featureIdx; k++) wholeMacs += whole(k);
  let plan: WindowPlan | undefined;
  let windowMacs = Infinity;
  let before = 0;
  for (let s = 1; s <= featureIdx; s++) {
    before += whole(s - 1);
    const sizes = blockSizes(res, s, featureIdx, boxSize);
    let macs = before;
    for (let k = s; k <= featureIdx; k++) macs += count * blockMacs(cfg, k, 2 * sizes[k - s]);
    // Ties go to the later start: fewer crops for the same work.
    if (macs <= windowMacs) {
      windowMacs = macs;
      plan = { startBlock: s, sizes, count };
    }
  }
  return { plan, cheaper: windowMacs < wholeMacs, windowMacs, wholeMacs };
}

/**
 * Window offsets along one axis, one per windowed block (at that block's input resolution), for a box [lo, hi)
 * of the feature map. Each block's window holds what the rest of the network needs from it, checked layer by layer.
 */
export function axisOffsets(res: readonly number[], plan: WindowPlan, featureIdx: number, box: Interval): number[] {
  const chain = new WindowAxis(res[plan.startBlock - 1], featureIdx - plan.startBlock + 1);
  const req = chain.required(box);
  return plan.sizes.map((size, j) =>
    new WindowAxis(res[plan.startBlock + j - 1], 1).offsetFor(req[BLOCK.length * (j + 1)], size),
  );
}

/** Offsets [K, B, 2] (box, windowed block, y/x) of each box's windows, row-major. */
export function windowOffsets(
  cfg: GeneratorConfig,
  featureIdx: number,
  plan: WindowPlan,
  boxes: readonly FeatureBox[],
): Float32Array {
  const res = blockResolutions(cfg);
  const nb = plan.sizes.length;
  const out = new Float32Array(boxes.length * nb * 2);
  boxes.forEach((bx, i) => {
    const ys = axisOffsets(res, plan, featureIdx, [bx.y0, bx.y1]);
    const xs = axisOffsets(res, plan, featureIdx, [bx.x0, bx.x1]);
    for (let j = 0; j < nb; j++) {
      out[(i * nb + j) * 2] = ys[j];
      out[(i * nb + j) * 2 + 1] = xs[j];
    }
  });
  return out;
}
