import { boxFilter } from './boxFilter';
import { addBilinear, rgbFloat, type RgbFloat } from './rgbFloat';
import { clamp, floor } from './scalar';

/** A displacement per pixel: `to(u) ~ from(u + (dx, dy))`, in pixels of both images. */
export interface Flow {
  readonly width: number;
  readonly height: number;
  readonly dx: Float32Array;
  readonly dy: Float32Array;
}

export interface FlowOptions {
  /** Half-size of the window each pixel's motion is fitted over. */
  window?: number;
  /** Gauss-Newton updates per pyramid level. */
  iterations?: number;
  /** The coarsest level's shorter side is at least this. */
  coarsest?: number;
  /** A last smoothing of the finished field: two box passes of this radius (0: none). */
  smooth?: number;
}

/**
 * The pyramid's next level: blurred with the binomial [1 4 6 4 1] / 16 in both directions, then every other pixel.
 * A plain 2x2 average leaves fine stripes aliased into false coarse patterns, which the coarse levels then lock onto.
 */
function halve(img: RgbFloat): RgbFloat {
  const { width, height } = img;
  const taps = [1 / 16, 4 / 16, 6 / 16, 4 / 16, 1 / 16];
  const at = (i: number, n: number): number => (i < 0 ? 0 : i >= n ? n - 1 : i);
  const w = (width + 1) >> 1;
  const h = (height + 1) >> 1;
  const rows = new Float32Array(w * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) {
        let v = 0;
        for (let k = 0; k < 5; k++) v += taps[k] * img.data[3 * (y * width + at(2 * x + k - 2, width)) + c];
        rows[3 * (y * w + x) + c] = v;
      }
    }
  }
  const out = rgbFloat(w, h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) {
        let v = 0;
        for (let k = 0; k < 5; k++) v += taps[k] * rows[3 * (at(2 * y + k - 2, height) * w + x) + c];
        out.data[3 * (y * w + x) + c] = v;
      }
    }
  }
  return out;
}

/** The flow of the coarser level on this level's grid: coarse pixel i sits on fine pixel 2i. */
function upsample(f: Flow, width: number, height: number): Flow {
  const dx = new Float32Array(width * height);
  const dy = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const cy = clamp(y / 2, 0, f.height - 1);
    const y0 = floor(cy) < f.height - 1 ? floor(cy) : f.height - 1;
    const y1 = y0 + 1 < f.height ? y0 + 1 : y0;
    const fy = cy - y0;
    for (let x = 0; x < width; x++) {
      const cx = clamp(x / 2, 0, f.width - 1);
      const x0 = floor(cx) < f.width - 1 ? floor(cx) : f.width - 1;
      const x1 = x0 + 1 < f.width ? x0 + 1 : x0;
      const fx = cx - x0;
      const i00 = y0 * f.width + x0;
      const i01 = y0 * f.width + x1;
      const i10 = y1 * f.width + x0;
      const i11 = y1 * f.width + x1;
      const w00 = (1 - fx) * (1 - fy);
      const w01 = fx * (1 - fy);
      const w10 = (1 - fx) * fy;
      const w11 = fx * fy;
      dx[y * width + x] = 2 * (w00 * f.dx[i00] + w01 * f.dx[i01] + w10 * f.dx[i10] + w11 * f.dx[i11]);
      dy[y * width + x] = 2 * (w00 * f.dy[i00] + w01 * f.dy[i01] + w10 * f.dy[i10] + w11 * f.dy[i11]);
    }
  }
  return { width, height, dx, dy };
}

/** `from` resampled along the flow: warped(u) = from(u + d(u)), bilinear. */
export function warpByFlow(from: RgbFloat, flow: Flow): RgbFloat {
  const out = rgbFloat(flow.width, flow.height);
  for (let y = 0; y < flow.height; y++) {
    for (let x = 0; x < flow.width; x++) {
      const i = y * flow.width + x;
      addBilinear(from, x + flow.dx[i], y + flow.dy[i], 1, out.data, 3 * i);
    }
  }
  return out;
}

/**
 * Damping of the 2x2 normal equations (in squared levels summed over the window and channels): where the window
 * has no texture the update is ~0 and the coarser level's motion stands, instead of dividing noise by noise.
 */
const DAMPING = 50;
/** The largest update per iteration, in pixels of the level: linearisation holds only about a pixel. */
const MAX_STEP = 1;

/** Gauss-Newton refinement of the flow on one level (Lucas-Kanade over boxed windows, all three channels). */
function refine(from: RgbFloat, to: RgbFloat, flow: Flow, window: number, iterations: number): void {
  const { width, height } = to;
  const n = width * height;
  // gradients of the target: fixed, so the structure tensor is summed once per level
  const gx = new Float32Array(3 * n);
  const gy = new Float32Array(3 * n);
  const axx = new Float32Array(n);
  const axy = new Float32Array(n);
  const ayy = new Float32Array(n);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const l = x > 0 ? i - 1 : i;
      const r = x < width - 1 ? i + 1 : i;
      const u = y > 0 ? i - width : i;
      const d = y < height - 1 ? i + width : i;
      for (let c = 0; c < 3; c++) {
        const ix = (to.data[3 * r + c] - to.data[3 * l + c]) / (r - l || 1);
        const iy = (to.data[3 * d + c] - to.data[3 * u + c]) / ((d - u) / width || 1);
        gx[3 * i + c] = ix;
        gy[3 * i + c] = iy;
        axx[i] += ix * ix;
        axy[i] += ix * iy;
        ayy[i] += iy * iy;
      }
    }
  }
  const sxx = boxFilter(axx, width, height, window);
  const sxy = boxFilter(axy, width, height, window);
  const syy = boxFilter(ayy, width, height, window);
  const bx = new Float32Array(n);
  const by = new Float32Array(n);
  const area = (2 * window + 1) * (2 * window + 1);
  const step = { dx: new Float32Array(n), dy: new Float32Array(n) };
  for (let it = 0; it < iterations; it++) {
    const warped = warpByFlow(from, flow);
    for (let i = 0; i < n; i++) {
      let sx = 0;
      let sy = 0;
      // a sample taken beyond the picture's edge is the clamped edge pixel, not evidence: it would pull the flow at
      // the border anywhere the clamped colour happens to fit (render noise alone moved border pixels by a pixel)
      const x = (i % width) + flow.dx[i];
      const y = ((i / width) | 0) + flow.dy[i];
      if (x < 0 || y < 0 || x > width - 1 || y > height - 1) {
        bx[i] = 0;
        by[i] = 0;
        continue;
      }
      for (let c = 0; c < 3; c++) {
        const e = warped.data[3 * i + c] - to.data[3 * i + c];
        sx += gx[3 * i + c] * e;
        sy += gy[3 * i + c] * e;
      }
      bx[i] = sx;
      by[i] = sy;
    }
    const mx = boxFilter(bx, width, height, window);
    const my = boxFilter(by, width, height, window);
    let moved = 0;
    for (let i = 0; i < n; i++) {
      const a = sxx[i] * area + DAMPING;
      const b = sxy[i] * area;
      const d = syy[i] * area + DAMPING;
      const det = a * d - b * b;
      // (A + damping) step = -sum(grad * error): the warped image moves towards the target
      let ux = (-(d * mx[i] - b * my[i]) * area) / det;
      let uy = (-(a * my[i] - b * mx[i]) * area) / det;
      const len2 = ux * ux + uy * uy;
      if (len2 > MAX_STEP * MAX_STEP) {
        const s = MAX_STEP / Math.sqrt(len2);
        ux *= s;
        uy *= s;
      }
      step.dx[i] = flow.dx[i] + ux;
      step.dy[i] = flow.dy[i] + uy;
      moved += len2;
    }
    // Smoothing the field over the same window is the prior that a drag moves things smoothly: without it pixels
    // whose window sees only one edge direction slide along that edge, and their errors grow with every iteration.
    flow.dx.set(boxFilter(step.dx, width, height, window));
    flow.dy.set(boxFilter(step.dy, width, height, window));
    if (moved / n < 1e-6) break;
  }
}

/**
 * Dense displacement between two renders of the same scene (the model's reconstruction and the edited image):
 * coarse to fine over a box pyramid, Lucas-Kanade on each level, so a drag's large smooth motions (tens of
 * pixels) are found at the coarse levels and refined at the fine ones. Identical images give exactly zero flow.
 */
export function denseFlow(from: RgbFloat, to: RgbFloat, options: FlowOptions = {}): Flow {
  if (from.width !== to.width || from.height !== to.height)
    throw new Error(`flow between ${from.width}x${from.height} and ${to.width}x${to.height} images`);
  const window = options.window ?? 2;
  const iterations = options.iterations ?? 5;
  const coarsest = options.coarsest ?? 16;
  const pyramid: [RgbFloat, RgbFloat][] = [[from, to]];
  for (;;) {
    const [f, t] = pyramid[pyramid.length - 1];
    if (Math.min(f.width, f.height) < 2 * coarsest) break;
    pyramid.push([halve(f), halve(t)]);
  }
  let flow: Flow | null = null;
  for (let level = pyramid.length - 1; level >= 0; level--) {
    const [f, t] = pyramid[level];
    flow =
      flow === null
        ? {
            width: t.width,
            height: t.height,
            dx: new Float32Array(t.width * t.height),
            dy: new Float32Array(t.width * t.height),
          }
        : upsample(flow, t.width, t.height);
    refine(f, t, flow, window, iterations);
  }
  const done = flow as Flow;
  const r = options.smooth ?? 0;
  if (r <= 0) return done;
  const { width, height } = done;
  return {
    width,
    height,
    dx: boxFilter(boxFilter(done.dx, width, height, r), width, height, r),
    dy: boxFilter(boxFilter(done.dy, width, height, r), width, height, r),
  };
}
