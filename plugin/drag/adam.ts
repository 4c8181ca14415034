import type { OptimiserState } from '../core/editState';

/** torch.optim.Adam (betas 0.9, 0.999, eps 1e-8, no weight decay), in place on a flat parameter vector. */
export class Adam {
  private m: Float64Array;
  private v: Float64Array;
  private t = 0;

  constructor(
    size: number,
    public lr: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly eps = 1e-8,
  ) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }

  step(params: Float32Array, grad: Float32Array): void {
    this.t++;
    const bc1 = 1 - this.beta1 ** this.t;
    const bc2 = Math.sqrt(1 - this.beta2 ** this.t);
    const stepSize = this.lr / bc1;
    for (let i = 0; i < params.length; i++) {
      const g = grad[i];
      this.m[i] = this.beta1 * this.m[i] + (1 - this.beta1) * g;
      this.v[i] = this.beta2 * this.v[i] + (1 - this.beta2) * g * g;
      params[i] -= (stepSize * this.m[i]) / (Math.sqrt(this.v[i]) / bc2 + this.eps);
    }
  }

  snapshot(): OptimiserState {
    return { m: this.m.slice(), v: this.v.slice(), t: this.t };
  }

  restore(s: OptimiserState): void {
    this.m = s.m.slice();
    this.v = s.v.slice();
    this.t = s.t;
  }
}
