import type { FeatureGeometry } from './bilinear';
import { FeaturePatch, PatchTaps } from './featurePatch';
import type { HandleTarget, Point } from '../engine/core/types';

/**
 * torch.linspace(0, n, n)[i] in float32. The official renderer builds its distance grid with linspace(0, h, h)
 * rather than arange, so the motion-supervision disc is centred slightly off the handle; we keep that to follow the
 * official steps exactly.
 */
function officialGrid(n: number): Float32Array {
  const step = Math.fround(n / (n - 1));
  const g = new Float32Array(n);
  const half = Math.floor(n / 2);
  for (let i = 0; i < n; i++) g[i] = i < half ? Math.fround(i * step) : Math.fround(n - Math.fround((n - 1 - i) * step));
  return g;
}

export class MotionSupervision {
  private readonly gridY: Float32Array;
  private readonly gridX: Float32Array;

  constructor(
    private readonly geo: FeatureGeometry,
    private readonly radius: number,
  ) {
    this.gridY = officialGrid(geo.h);
    this.gridX = officialGrid(geo.w);
  }

  /** Image pixels q with |grid(q) - p| < radius, in row-major order. */
  disc(p: Point): Point[] {
    const out: Point[] = [];
    const r = this.radius;
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
   * Adds, for each handle farther than 1 px from its target, mean_{q, c} |F(q).detach() - F(q + d)| with d the unit
   * direction to the target, and accumulates its gradient (through F(q + d) only) into dF. Returns the loss.
   * `settle` (the robust method) pulls every handle farther than `settle` px, by at most its distance, so a handle
   * that has nearly arrived keeps being drawn onto its target (and back, if its content overshot) instead of
   * being let go at 1 px.
   */
  accumulate(f: Float32Array, pairs: readonly { point: Point; target: Point }[], df: Float32Array, settle?: number): number {
    const geo = this.geo;
    let loss = 0;
    const at = new PatchTaps();
    const bt = new PatchTaps();
    for (const { point, target } of pairs) {
      const dx = target.x - point.x;
      const dy = target.y - point.y;
      const norm = Math.hypot(dx, dy);
      if (norm <= (settle ?? 1)) continue;
      const reach = settle === undefined ? 1 : Math.min(1, norm);
      const ux = (dx / (norm + 1e-7)) * reach;
      const uy = (dy / (norm + 1e-7)) * reach;
      const qs = this.disc(point);
      if (qs.length === 0) continue;
      // the disc's pixels and their shifted neighbours (one pixel either way)
      const patch = new FeaturePatch(geo, f, qs[0].y - 1, qs[qs.length - 1].y + 1, Math.min(...qs.map((q) => q.x)) - 1, Math.max(...qs.map((q) => q.x)) + 1);
      const n = qs.length * geo.channels;
      let sum = 0;
      for (const q of qs) sum += patch.l1Towards(patch.pixel(q.y, q.x, at), patch.fractional(q.y + uy, q.x + ux, bt), 1 / n);
      patch.addGradientTo(df);
      loss += sum / n;
    }
    return loss;
  }
}

export function pairsOf(points: readonly Point[], pairs: readonly HandleTarget[]): { point: Point; target: Point }[] {
  return points.map((point, i) => ({ point, target: pairs[i].target }));
}
