import type { FeatureGeometry } from './bilinear';
import { FeaturePatch, PatchTaps } from './featurePatch';
import type { Point } from '../core/types';

/**
 * torch.linspace(0, n, n)[i] in float32. The official renderer builds its distance grid with linspace(0, h, h)
 * rather than arange, so the motion-supervision disc is centred slightly off the handle; we keep that to follow the
 * official steps exactly.
 */
function officialGrid(n: number): Float32Array {
  const step = Math.fround(n / (n - 1));
  const g = new Float32Array(n);
  const half = Math.floor(n / 2);
  for (let i = 0; i < n; i++)
    g[i] = i < half ? Math.fround(i * step) : Math.fround(n - Math.fround((n - 1 - i) * step));
  return g;
}

/**
 * The grid of a map `w` wide on the renderer's square canvas of side `h`: the official DragGAN pads a rectangular
 * (StyleGAN-Human) generator's image and features on both sides to a square (stylegan_human's Generator with
 * padding=True), so its columns take their places on that canvas's grid.
 */
function officialColumns(w: number, h: number): Float32Array {
  if (w >= h) return officialGrid(w);
  const pad = (h - w) / 2;
  const g = officialGrid(h);
  return Float32Array.from({ length: w }, (_, i) => Math.fround(g[i + pad] - pad));
}

/** One handle's pull: the features on the disc of `radius` around `point` should move by `shift` (image px). */
export interface Pull {
  point: Point;
  shift: Point;
  radius: number;
  /** Its share of the loss (1 in the official loop). */
  weight: number;
}

/** The official pulls: every handle farther than 1 px from its target, by a unit step, over the r1 disc. */
export function officialPulls(points: readonly Point[], targets: readonly Point[], r1: number): Pull[] {
  const out: Pull[] = [];
  points.forEach((point, i) => {
    const dx = targets[i].x - point.x;
    const dy = targets[i].y - point.y;
    const norm = Math.hypot(dx, dy);
    if (norm > 1) out.push({ point, shift: { x: dx / (norm + 1e-7), y: dy / (norm + 1e-7) }, radius: r1, weight: 1 });
  });
  return out;
}

export class MotionSupervision {
  private readonly gridY: Float32Array;
  private readonly gridX: Float32Array;

  constructor(private readonly geo: FeatureGeometry) {
    this.gridY = officialGrid(geo.h);
    this.gridX = officialColumns(geo.w, geo.h);
  }

  /** Image pixels q with |grid(q) - p| < r, in row-major order. */
  disc(p: Point, r: number): Point[] {
    const out: Point[] = [];
    for (let y = Math.max(0, Math.floor(p.y - r - 2)); y < Math.min(this.geo.h, p.y + r + 3); y++) {
      for (let x = Math.max(0, Math.floor(p.x - r - 2)); x < Math.min(this.geo.w, p.x + r + 3); x++) {
        const dy = Math.fround(this.gridY[y] - p.y);
        const dx = Math.fround(this.gridX[x] - p.x);
        if (Math.fround(Math.sqrt(Math.fround(Math.fround(dy * dy) + Math.fround(dx * dx)))) < r) out.push({ x, y });
      }
    }
    return out;
  }

  /**
   * Adds, for each pull, weight * mean_{q, c} |F(q).detach() - F(q + shift)| over its disc, and accumulates its
   * gradient (through F(q + shift) only) into dF. Returns the loss.
   */
  accumulate(f: Float32Array, pulls: readonly Pull[], df: Float32Array): number {
    const geo = this.geo;
    let loss = 0;
    const at = new PatchTaps();
    const bt = new PatchTaps();
    for (const { point, shift, radius, weight } of pulls) {
      const qs = this.disc(point, radius);
      if (qs.length === 0) continue;
      // the disc's pixels and their shifted neighbours (one pixel either way)
      const patch = new FeaturePatch(
        geo,
        f,
        qs[0].y - 1,
        qs[qs.length - 1].y + 1,
        Math.min(...qs.map((q) => q.x)) - 1,
        Math.max(...qs.map((q) => q.x)) + 1,
      );
      const n = qs.length * geo.channels;
      let sum = 0;
      for (const q of qs)
        sum += patch.l1Towards(
          patch.pixel(q.y, q.x, at),
          patch.fractional(q.y + shift.y, q.x + shift.x, bt),
          weight / n,
        );
      patch.addGradientTo(df);
      loss += (weight * sum) / n;
    }
    return loss;
  }
}
