import { Lbfgs } from '../../plugin/invert/lbfgs';

/** An ill-conditioned quadratic, sum of c_i (x_i - 1)^2 with c from 1 to 1000: its loss and gradient. */
function quadratic(x: Float32Array): { f: number; g: Float32Array } {
  let f = 0;
  const g = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const c = 1000 ** (i / (x.length - 1));
    f += c * (x[i] - 1) ** 2;
    g[i] = 2 * c * (x[i] - 1);
  }
  return { f, g };
}

function run(opt: Lbfgs, evaluations: number, fn = quadratic): number[] {
  let x: Float32Array = new Float32Array(10);
  const losses: number[] = [];
  for (let k = 0; k < evaluations; k++) {
    const { f, g } = fn(x);
    losses.push(f);
    x = opt.next(x, f, g);
  }
  return losses;
}

test('on an ill-conditioned quadratic it reaches the minimum in a few dozen evaluations, where gradient steps crawl', () => {
  const losses = run(new Lbfgs(0.01), 40);
  const start = losses[0];
  expect(Math.min(...losses)).toBeLessThan(start * 1e-6);
  // plain gradient descent at the largest stable rate (1 / the largest curvature) barely moves the flat directions
  let x: Float32Array = new Float32Array(10);
  for (let k = 0; k < 40; k++) {
    const { g } = quadratic(x);
    x = x.map((v, i) => v - g[i] / 2000);
  }
  expect(quadratic(x).f).toBeGreaterThan(start * 1e-3);
});

test('a step that raises the loss is not taken: the next point is back toward the last accepted one', () => {
  // a first step far too long for the curvature overshoots; the proposals that follow shorten it until one lowers the loss
  const opt = new Lbfgs(1000);
  const losses = run(opt, 12);
  expect(losses[1]).toBeGreaterThan(losses[0]);
  expect(opt.rejected).toBeGreaterThan(0);
  expect(Math.min(...losses.slice(1))).toBeLessThan(losses[0]);
});

test('a non-finite loss counts as a failed step, never as progress', () => {
  const opt = new Lbfgs(0.5);
  let calls = 0;
  const poisoned = (x: Float32Array) => {
    const r = quadratic(x);
    return ++calls === 2 ? { f: NaN, g: r.g.map(() => NaN) } : r;
  };
  const losses = run(opt, 20, poisoned);
  expect(opt.rejected).toBeGreaterThan(0);
  const finite = losses.filter(Number.isFinite);
  expect(finite.at(-1)!).toBeLessThan(losses[0] * 1e-3);
});
