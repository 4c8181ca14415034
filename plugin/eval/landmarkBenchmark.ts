import { DragSession } from '../drag/dragSession';
import type { DragHyperParameters, Point } from '../engine/core/types';
import { toRgba8 } from '../stylegan2/imageConversion';
import type { Generator } from '../stylegan2/generator';
import { zFromSeed } from '../stylegan2/latentSeed';
import type { LandmarkDetector, Rgba8 } from './landmarkDetector';

/** Which landmarks are dragged: the paper's 1-, 5- and all-point settings (68 on FFHQ; every landmark here). */
export type PointSet = 1 | 5 | 'all';

const ONE = ['nose_tip'];
const FIVE = ['pupil_l', 'pupil_r', 'nose_tip', 'mouth_l', 'mouth_r'];

export function landmarkIndices(names: readonly string[], set: PointSet): number[] {
  if (set === 'all') return names.map((_, i) => i);
  const wanted = set === 1 ? ONE : FIVE;
  const idx = wanted.map((n) => names.indexOf(n));
  if (idx.some((i) => i < 0)) throw new Error(`the detector has no landmark named ${wanted.filter((_, i) => idx[i] < 0).join(', ')}`);
  return idx;
}

export interface PairResult {
  seeds: [number, number];
  mdBefore: number;
  mdAfter: number;
  steps: number;
  seconds: number;
  /** Mean absolute 8-bit change of the pixels far from every handle and target. */
  drift: number;
  reason: string;
}

export interface LandmarkBenchmarkResult {
  pairs: PairResult[];
  md_before: number;
  md_after: number;
  ratio: number;
  steps_mean: number;
  seconds_per_edit: number;
  drift_mean: number;
}

const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

function meanDistance(a: readonly Point[], b: readonly Point[]): number {
  return mean(a.map((p, i) => Math.hypot(p.x - b[i].x, p.y - b[i].y)));
}

/** Mean |change| over the pixels farther than `radius` from all the given points. */
export function driftOutside(before: Rgba8, after: Rgba8, points: readonly Point[], radius: number): number {
  let sum = 0;
  let n = 0;
  for (let y = 0; y < before.height; y++) {
    for (let x = 0; x < before.width; x++) {
      if (points.some((p) => Math.hypot(p.x - x, p.y - y) <= radius)) continue;
      const i = (y * before.width + x) * 4;
      for (let c = 0; c < 3; c++) sum += Math.abs(before.data[i + c] - after.data[i + c]);
      n += 3;
    }
  }
  return n ? sum / n : 0;
}

const clampInside = (p: Point, res: number): Point => ({ x: Math.min(res - 1, Math.max(0, p.x)), y: Math.min(res - 1, Math.max(0, p.y)) });

/**
 * The paper's landmark manipulation protocol (Table 1): two latents from seeds, landmarks detected on both images,
 * the first image's landmarks dragged to the second's with the default hyper-parameters, landmarks detected on the
 * result. md_before is the "no edit" row; md_after is the method's.
 */
export async function runLandmarkBenchmark(
  gen: Generator,
  detector: LandmarkDetector,
  hp: DragHyperParameters,
  o: { pairs: number; points: PointSet; seed: number; psi?: number; onPair?(r: PairResult, i: number): void; signal?: AbortSignal },
): Promise<LandmarkBenchmarkResult> {
  const res = gen.config.img_resolution;
  const idx = landmarkIndices(detector.names, o.points);
  const pick = (ps: Point[]) => idx.map((i) => clampInside(ps[i], res));
  const results: PairResult[] = [];
  for (let i = 0; i < o.pairs && !o.signal?.aborted; i++) {
    const seeds: [number, number] = [o.seed + 2 * i, o.seed + 2 * i + 1];
    const [wa, wb] = await Promise.all(seeds.map((s) => gen.mapping(zFromSeed(s, gen.config.z_dim), o.psi ?? 0.7)));
    const imgA = toRgba8((await gen.synthesize(wa)).img);
    const imgB = toRgba8((await gen.synthesize(wb)).img);
    const handles = pick(await detector.detect(imgA));
    const targets = pick(await detector.detect(imgB));
    const t0 = Date.now();
    const session = new DragSession(gen, wa, hp);
    session.setPoints(handles.map((h, k) => ({ handle: h, target: targets[k] })));
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
      drift: driftOutside(imgA, edited, [...handles, ...targets], res / 8),
      reason: run.reason,
    };
    results.push(r);
    o.onPair?.(r, i);
  }
  const mdBefore = mean(results.map((r) => r.mdBefore));
  const mdAfter = mean(results.map((r) => r.mdAfter));
  return {
    pairs: results,
    md_before: mdBefore,
    md_after: mdAfter,
    ratio: mdAfter / mdBefore,
    steps_mean: mean(results.map((r) => r.steps)),
    seconds_per_edit: mean(results.map((r) => r.seconds)),
    drift_mean: mean(results.map((r) => r.drift)),
  };
}
