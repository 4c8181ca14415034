import type { Image8 } from '../codecs/image8';
import type { DragHyperParameters, DragMethod } from '../core/dragSettings';
import { DragSession } from '../drag/dragSession';
import type { MaskInput, Point } from '../core/types';
import { toRgba8 } from '../stylegan2/imageConversion';
import type { Generator } from '../stylegan2/generator';
import { zFromSeed } from '../stylegan2/latentSeed';
import type { LandmarkDetector } from './landmarkDetector';

/** Which landmarks are dragged: the paper's 1-, 5- and all-point settings (68 on FFHQ; every landmark here). */
export type PointSet = 1 | 5 | 'all';

const ONE = ['nose_tip'];
const FIVE = ['pupil_l', 'pupil_r', 'nose_tip', 'mouth_l', 'mouth_r'];

/** A handle counts as lost when its final tracked position is farther than this from where the detector finds it. */
export const LOST_HANDLE_PX = 3;

export function landmarkIndices(names: readonly string[], set: PointSet): number[] {
  if (set === 'all') return names.map((_, i) => i);
  const wanted = set === 1 ? ONE : FIVE;
  const idx = wanted.map((n) => names.indexOf(n));
  if (idx.some((i) => i < 0))
    throw new Error(`the detector has no landmark named ${wanted.filter((_, i) => idx[i] < 0).join(', ')}`);
  return idx;
}

export interface PairResult {
  seeds: [number, number];
  mdBefore: number;
  mdAfter: number;
  steps: number;
  seconds: number;
  /** Mean absolute 8-bit change of the pixels outside the handles' neighbourhood (or outside the mask, when masked). */
  drift: number;
  /** Handles whose final tracked point is more than LOST_HANDLE_PX from where the detector finds their landmark. */
  lost: number;
  handles: number;
  reason: string;
}

export interface LandmarkBenchmarkResult {
  method: DragMethod;
  pairs: PairResult[];
  md_before: number;
  md_after: number;
  ratio: number;
  steps_mean: number;
  seconds_per_edit: number;
  drift_mean: number;
  /** Lost handles over all handles of all pairs. */
  lost_rate: number;
}

const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

function meanDistance(a: readonly Point[], b: readonly Point[]): number {
  return mean(a.map((p, i) => Math.hypot(p.x - b[i].x, p.y - b[i].y)));
}

/** Mean |change| over the pixels where `counted` holds. */
function driftWhere(before: Image8, after: Image8, counted: (x: number, y: number) => boolean): number {
  let sum = 0;
  let n = 0;
  for (let y = 0; y < before.height; y++) {
    for (let x = 0; x < before.width; x++) {
      if (!counted(x, y)) continue;
      const i = (y * before.width + x) * 4;
      for (let c = 0; c < 3; c++) sum += Math.abs(before.data[i + c] - after.data[i + c]);
      n += 3;
    }
  }
  return n ? sum / n : 0;
}

const near = (points: readonly Point[], radius: number) => (x: number, y: number) =>
  points.some((p) => Math.hypot(p.x - x, p.y - y) <= radius);

/** Mean |change| over the pixels farther than `radius` from all the given points. */
export function driftOutside(before: Image8, after: Image8, points: readonly Point[], radius: number): number {
  const inside = near(points, radius);
  return driftWhere(before, after, (x, y) => !inside(x, y));
}

/** The benchmark's flexible region: discs of `radius` px around every handle and target. */
export function discMask(points: readonly Point[], radius: number, res: number): MaskInput {
  const inside = near(points, radius);
  const data = new Float32Array(res * res);
  for (let y = 0; y < res; y++) for (let x = 0; x < res; x++) data[y * res + x] = inside(x, y) ? 1 : 0;
  return { width: res, height: res, data };
}

const clampInside = (p: Point, res: number): Point => ({
  x: Math.min(res - 1, Math.max(0, p.x)),
  y: Math.min(res - 1, Math.max(0, p.y)),
});

export interface LandmarkBenchmarkOptions {
  pairs: number;
  points: PointSet;
  seed: number;
  psi?: number;
  /** Each method runs on the same pairs (default: hp.method alone). */
  methods?: readonly DragMethod[];
  /** Masked variant: only discs of this radius (px) around the handles and targets may change. */
  maskRadius?: number;
  onPair?(r: PairResult, i: number, method: DragMethod): void;
  signal?: AbortSignal;
}

/** One method's figures over the pairs it has run (also for partial reports while a benchmark runs). */
export function summarise(method: DragMethod, results: PairResult[]): LandmarkBenchmarkResult {
  const mdBefore = mean(results.map((r) => r.mdBefore));
  const mdAfter = mean(results.map((r) => r.mdAfter));
  const handles = results.reduce((a, r) => a + r.handles, 0);
  return {
    method,
    pairs: results,
    md_before: mdBefore,
    md_after: mdAfter,
    ratio: mdAfter / mdBefore,
    steps_mean: mean(results.map((r) => r.steps)),
    seconds_per_edit: mean(results.map((r) => r.seconds)),
    drift_mean: mean(results.map((r) => r.drift)),
    lost_rate: handles ? results.reduce((a, r) => a + r.lost, 0) / handles : NaN,
  };
}

/**
 * The paper's landmark manipulation protocol (Table 1): two latents from seeds, landmarks detected on both images,
 * the first image's landmarks dragged to the second's with the default hyper-parameters, landmarks detected on the
 * result. md_before is the "no edit" row; md_after is the method's. Several methods run on the same pairs, one
 * after the other per pair, so the machine's load falls on them alike.
 */
export async function runLandmarkBenchmark(
  gen: Generator,
  detector: LandmarkDetector,
  hp: DragHyperParameters,
  o: LandmarkBenchmarkOptions,
): Promise<LandmarkBenchmarkResult[]> {
  const res = gen.config.img_resolution;
  const idx = landmarkIndices(detector.names, o.points);
  const pick = (ps: Point[]) => idx.map((i) => clampInside(ps[i], res));
  const methods = o.methods ?? [hp.method ?? 'draggan'];
  const results: PairResult[][] = methods.map(() => []);
  for (let i = 0; i < o.pairs && !o.signal?.aborted; i++) {
    const seeds: [number, number] = [o.seed + 2 * i, o.seed + 2 * i + 1];
    const [wa, wb] = await Promise.all(seeds.map((s) => gen.mapping(zFromSeed(s, gen.config.z_dim), o.psi ?? 0.7)));
    const imgA = toRgba8((await gen.synthesize(wa)).img);
    const imgB = toRgba8((await gen.synthesize(wb)).img);
    const handles = pick(await detector.detect(imgA));
    const targets = pick(await detector.detect(imgB));
    const ends = [...handles, ...targets];
    const mask = o.maskRadius === undefined ? undefined : discMask(ends, o.maskRadius, res);
    for (let m = 0; m < methods.length && !o.signal?.aborted; m++) {
      const t0 = Date.now();
      const session = new DragSession(gen, wa, { ...hp, method: methods[m] });
      session.setPoints(handles.map((h, k) => ({ handle: h, target: targets[k] })));
      if (mask) session.setMask(mask);
      const run = await session.run({ signal: o.signal });
      const seconds = (Date.now() - t0) / 1000;
      const edited = toRgba8((await gen.synthesize(session.latent())).img);
      const after = pick(await detector.detect(edited));
      const r: PairResult = {
        seeds,
        mdBefore: meanDistance(handles, targets),
        mdAfter: meanDistance(after, targets),
        steps: run.steps,
        seconds,
        drift: mask
          ? driftWhere(imgA, edited, (x, y) => mask.data[y * res + x] === 0)
          : driftOutside(imgA, edited, ends, res / 8),
        lost: run.points.filter((p, k) => Math.hypot(p.x - after[k].x, p.y - after[k].y) > LOST_HANDLE_PX).length,
        handles: handles.length,
        reason: run.reason,
      };
      results[m].push(r);
      o.onPair?.(r, i, methods[m]);
    }
  }
  return methods.map((m, k) => summarise(m, results[k]));
}
