/**
 * Curvature pairs kept. At 512 px (FFHQ-shaped, seed 0, 12 L-BFGS steps after 4 in W, load 6): 20 pairs 25.14 dB
 * against 8 pairs 24.73 dB after 16 steps.
 */
export const LBFGS_MEMORY = 20;

/**
 * Limited-memory BFGS with backtracking, driven one evaluation at a time (each costs a full forward and backward
 * pass, so there is no separate line search): given the loss and gradient at the point it proposed last, it returns
 * the next point to evaluate. A point that does not lower the loss enough (Armijo) is rejected and the step from the
 * last accepted point shortened to the minimum of the parabola through the two losses; an accepted one adds a
 * curvature pair and a new direction.
 */
export class Lbfgs {
  private readonly s: Float64Array[] = [];
  private readonly y: Float64Array[] = [];
  private readonly rho: number[] = [];
  private x0?: Float64Array;
  private f0 = Infinity;
  private g0?: Float64Array;
  private dir?: Float64Array;
  private alpha = 1;
  /** Points rejected so far (steps that did not lower the loss enough). */
  rejected = 0;

  constructor(
    /** Length of the very first step (no curvature known yet), in parameter units. */
    private readonly firstStepNorm: number,
    private readonly memory = LBFGS_MEMORY,
  ) {}

  next(x: Float32Array, f: number, g: Float32Array): Float32Array {
    if (this.x0 && this.dir) {
      const slope = dot(this.g0!, this.dir);
      if (!(f <= this.f0 + 1e-4 * this.alpha * slope)) {
        this.rejected++;
        // the minimum of the parabola through f0 (slope included) and f at alpha, kept within [0.1, 0.5] alpha
        const a = this.alpha;
        const curve = f - this.f0 - slope * a;
        const minimum = curve > 0 ? (-slope * a * a) / (2 * curve) : 0.5 * a;
        this.alpha = Math.min(0.5 * a, Math.max(0.1 * a, minimum));
        return this.at(this.alpha);
      }
    }
    const xd = Float64Array.from(x);
    const gd = Float64Array.from(g);
    if (this.x0) {
      const s = xd.map((v, i) => v - this.x0![i]);
      const y = gd.map((v, i) => v - this.g0![i]);
      const sy = dot(s, y);
      if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
        this.s.push(s);
        this.y.push(y);
        this.rho.push(1 / sy);
        if (this.s.length > this.memory) {
          this.s.shift();
          this.y.shift();
          this.rho.shift();
        }
      }
    }
    this.x0 = xd;
    this.f0 = f;
    this.g0 = gd;
    this.dir = this.direction(gd);
    this.alpha = 1;
    return this.at(1);
  }

  private at(alpha: number): Float32Array {
    const out = new Float32Array(this.x0!.length);
    for (let i = 0; i < out.length; i++) out[i] = this.x0![i] + alpha * this.dir![i];
    return out;
  }

  /** -H g by the two-loop recursion; the first step scaled to firstStepNorm. */
  private direction(g: Float64Array): Float64Array {
    const q = Float64Array.from(g);
    const k = this.s.length;
    if (k === 0) {
      const scale = this.firstStepNorm / Math.sqrt(dot(g, g) || 1);
      return q.map((v) => -v * scale);
    }
    const a = new Array<number>(k);
    for (let i = k - 1; i >= 0; i--) {
      a[i] = this.rho[i] * dot(this.s[i], q);
      axpy(-a[i], this.y[i], q);
    }
    const gamma = dot(this.s[k - 1], this.y[k - 1]) / dot(this.y[k - 1], this.y[k - 1]);
    for (let i = 0; i < q.length; i++) q[i] *= gamma;
    for (let i = 0; i < k; i++) {
      const b = this.rho[i] * dot(this.y[i], q);
      axpy(a[i] - b, this.s[i], q);
    }
    // pairs that no longer describe the function here can point uphill: forget them and go down the gradient
    if (dot(q, g) <= 0) {
      this.s.length = this.y.length = this.rho.length = 0;
      return g.map((v) => -v * gamma);
    }
    return q.map((v) => -v);
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] += a * x[i];
}
