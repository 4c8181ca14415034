import type { Point } from '../core/types';
import { applyAffine, composeAffine, type Affine } from './affine';
import { checkFaceImage, type FaceImage } from './faceImage';
import { continuousOf, fitSimilarity, similarityScale } from './similarityFit';
import { sampleCrop } from './sampleCrop';
import { SHIFT_PX } from './shiftCheck';
import { CropPyramid } from './cropPyramid';

/**
 * A landmark regression net that reads a face framed as a model's training faces were (the bundled model's
 * procedural-face detector, plugin/eval/landmarkDetector.ts): square crops of `resolution` px in, named points out.
 */
export interface CropLandmarkDetector {
  readonly names: readonly string[];
  readonly resolution: number;
  /** Crops as sampleCrop renders them (NCHW RGB, 0..255); points in crop pixels, pixel centres at integers. */
  detectCrops(crops: readonly Float32Array[]): Promise<Point[][]>;
}

/** A face the search found: its landmarks in the picture and the model frame it sits in. */
export interface FoundFace {
  /** The detector's points, named by `detector.names`, in picture pixels (centres at integers). */
  landmarks: Point[];
  /** Model pixel -> picture pixel (centres at integers on both sides): the face framed as the training faces were. */
  toPicture: Affine;
  /** How far (px of the model's frame) the net's points fail to follow the picture when it is moved: small on a face. */
  disagreement: number;
  /** 0..1, from the disagreement (1: the points follow exactly; 0: at the tolerance or beyond). */
  confidence: number;
  /** The framed square's bounding box in the picture. */
  box: { x: number; y: number; width: number; height: number };
}

export interface FaceSearchOptions {
  /**
   * Smallest face framing searched, in picture pixels (the side of the model's square around a face); by default a
   * tenth of the picture's short side, at least 48 (a smaller face: search a crop around it).
   */
  minSide?: number;
  /** How many of the first pass's best windows are followed to a face. */
  candidates?: number;
  /** Faces whose points stray further than this (model px) when the picture moves are not faces. */
  tolerance?: number;
  /** Called as crops are read: `done` of about `total` (the windows, then the candidates followed). */
  onProgress?(p: FaceSearchProgress): void;
  /** Stops the search after the crops being read; it then resolves with no faces. */
  signal?: AbortSignal;
}

export interface FaceSearchProgress {
  done: number;
  total: number;
}

/** Points the framing is fitted on: the eye corners, nose tip and mouth, which the recipe's expressions move least. */
const FIT_POINTS = ['eye_l_out', 'eye_l_in', 'eye_r_in', 'eye_r_out', 'nose_tip', 'mouth_l', 'mouth_c', 'mouth_r'];
/**
 * Window sides shrink by this factor from the picture's short side down to minSide; windows overlap by 2/3. The net
 * finds a face's points from a window up to 1.7 times the face's framing and a quarter of a window off (measured on
 * the bundled model's faces), so each face is met by windows of one size or two, at a place or two.
 */
const PYRAMID = 0.7;
const STRIDE = 1 / 3;
/** Two windows' answers agree when their points lie this close (px of the smaller window's crop) in the picture. */
const AGREE_PX = 3;
/** The moves a found face's points must follow. */
const MOVES: readonly (readonly [number, number])[] = [
  [SHIFT_PX, 0],
  [-SHIFT_PX, 0],
  [0, SHIFT_PX],
  [0, -SHIFT_PX],
];
/**
 * Windows also turned by these angles, so a face rolled beyond the net's range (about 25 degrees) is still met
 * upright; windows smaller than a fifth of the short side are not turned: they are most of the windows, and small
 * faces are searched upright only, so that searching them costs about what the large ones do.
 */
const TURNS = [0, -Math.PI / 6, Math.PI / 6];
const TURNED_DOWN_TO = 1 / 5;
/** Crops per detector call: large enough to amortise a call, small enough to keep the memory flat. */
const BATCH = 32;
const REFINEMENTS = 3;

/**
 * Finds faces of a model's kind anywhere in a larger picture, at any size and roll, with a landmark net that only
 * reads faces framed as its training faces were. A regression net always answers, so the search asks it where the
 * face would be in every window of a pyramid (several roll angles), once each, and keeps the answers that other
 * windows agree with: windows at other places, sizes and turns that see one face find the same points, while on
 * background the net answers an average face wherever it looks, which no other window's answer meets. The most
 * agreed are followed to the framing their points imply until it settles, and the settled framings are kept where
 * their points follow the picture moved four ways (shiftCheck.ts). The framing is the similarity that puts the face's
 * eye corners, nose and mouth where they are on the mean training face.
 */
export async function searchFaces(
  detector: CropLandmarkDetector,
  image: FaceImage,
  meanFace: readonly Point[],
  options: FaceSearchOptions = {},
): Promise<FoundFace[]> {
  checkFaceImage(image);
  const R = detector.resolution;
  const fit = FIT_POINTS.map((n) => {
    const i = detector.names.indexOf(n);
    if (i < 0) throw new Error(`the landmark detector has no point named ${n}`);
    return i;
  });
  if (meanFace.length !== detector.names.length)
    throw new Error(`the mean face has ${meanFace.length} points; the detector names ${detector.names.length}`);
  const template = fit.map((i) => meanFace[i]);
  const short = Math.min(image.width, image.height);
  const minSide = Math.min(short, options.minSide ?? Math.max(48, short / 10));
  const tolerance = options.tolerance ?? 2;
  const keep = options.candidates ?? 6;

  const detect = async (frames: readonly Affine[]): Promise<Point[][]> => {
    const out: Point[][] = [];
    for (let i = 0; i < frames.length; i += BATCH) {
      const crops = frames.slice(i, i + BATCH).map((t) => sampleCrop(image, continuousOf(t), R));
      out.push(...(await detector.detectCrops(crops)));
    }
    return out;
  };
  const shiftBy = (t: Affine, dx: number, dy: number): Affine =>
    composeAffine(t, { a: 1, b: 0, c: dx, d: 0, e: 1, f: dy });
  /** The framing a window's points imply: their similarity onto the mean face, in picture pixels. */
  const implied = (t: Affine, pts: readonly Point[]): Affine =>
    fitSimilarity(
      template,
      fit.map((i) => applyAffine(t, pts[i])),
    );
  const disagreement = (found: readonly Point[], moved: readonly Point[], dx: number, dy: number): number =>
    fit.reduce((s, i) => s + Math.hypot(moved[i].x + dx - found[i].x, moved[i].y + dy - found[i].y), 0) / fit.length;

  // 1. every window of the pyramid, largest first, read once each from a pyramid of the picture
  const windows = pyramidWindows(image.width, image.height, minSide, R);
  const pyramid = new CropPyramid(image);
  const total = windows.length + keep * (REFINEMENTS + 1 + MOVES.length);
  let done = 0;
  const tick = (n: number): boolean => {
    done += n;
    options.onProgress?.({ done, total });
    return options.signal?.aborted === true;
  };
  const answers: { frame: Affine; points: Point[]; k: number }[] = [];
  for (let i = 0; i < windows.length; i += BATCH) {
    const batch = windows.slice(i, i + BATCH);
    const found = await detector.detectCrops(batch.map((t) => pyramid.crop(continuousOf(t), R)));
    batch.forEach((t, j) => {
      const frame = implied(t, found[j]);
      const k = similarityScale(t);
      if (!(similarityScale(frame) / k > 0.5 && similarityScale(frame) / k < 2)) return;
      answers.push({ frame, points: fit.map((f) => applyAffine(t, found[j][f])), k });
    });
    if (tick(batch.length)) return [];
  }

  // 2. where several windows agree: on a face, windows at other places, sizes and turns find the same points; on
  // background the net answers an average face where it looks, so no two windows' answers meet
  const votes = answers.map((p) => {
    let n = 0;
    for (const q of answers) {
      if (q === p) continue;
      const d =
        p.points.reduce((s, pt, i) => s + Math.hypot(pt.x - q.points[i].x, pt.y - q.points[i].y), 0) / fit.length;
      if (d < AGREE_PX * Math.min(p.k, q.k)) n++;
    }
    return n;
  });
  const seeds: Affine[] = [];
  for (const i of answers.map((_, i) => i).sort((p, q) => votes[q] - votes[p])) {
    if (seeds.length >= keep || votes[i] < 1) break;
    if (seeds.some((f) => sameFace(f, answers[i].frame, R))) continue;
    seeds.push(answers[i].frame);
  }

  // 3. each followed to the framing its points settle on
  let frames = seeds;
  let points: Point[][] = [];
  for (let r = 0; r < REFINEMENTS; r++) {
    points = await detect(frames);
    frames = frames.map((t, i) => implied(t, points[i]));
    if (tick(keep)) return [];
  }
  points = await detect(frames);
  if (tick(keep)) return [];

  // 4. kept where the points follow the picture moved four ways
  const moved = await detect(frames.flatMap((t) => MOVES.map(([dx, dy]) => shiftBy(t, dx, dy))));
  tick(total - done);
  const faces: FoundFace[] = [];
  frames.forEach((t, i) => {
    const d = MOVES.reduce((s, [dx, dy], j) => s + disagreement(points[i], moved[4 * i + j], dx, dy), 0) / MOVES.length;
    if (!(d <= tolerance)) return;
    const corners = [
      { x: -0.5, y: -0.5 },
      { x: R - 0.5, y: -0.5 },
      { x: -0.5, y: R - 0.5 },
      { x: R - 0.5, y: R - 0.5 },
    ].map((p) => applyAffine(t, p));
    const xs = corners.map((p) => p.x);
    const ys = corners.map((p) => p.y);
    const box = {
      x: Math.min(...xs),
      y: Math.min(...ys),
      width: Math.max(...xs) - Math.min(...xs),
      height: Math.max(...ys) - Math.min(...ys),
    };
    faces.push({
      landmarks: points[i].map((p) => applyAffine(t, p)),
      toPicture: t,
      disagreement: d,
      confidence: Math.max(0, 1 - d / tolerance),
      box,
    });
  });
  faces.sort((p, q) => p.disagreement - q.disagreement);
  return faces.filter((f, i) => !faces.slice(0, i).some((g) => sameFace(g.toPicture, f.toPicture, R)));
}

/** Two framings of one face: centres closer than a quarter of the framing's side. */
function sameFace(p: Affine, q: Affine, R: number): boolean {
  const h = (R - 1) / 2;
  const a = applyAffine(p, { x: h, y: h });
  const b = applyAffine(q, { x: h, y: h });
  return Math.hypot(a.x - b.x, a.y - b.y) < 0.25 * R * Math.min(similarityScale(p), similarityScale(q));
}

/** Every window of the search: sides from the picture's short side down to minSide, each place, each turn. */
function pyramidWindows(width: number, height: number, minSide: number, R: number): Affine[] {
  const windows: Affine[] = [];
  const short = Math.min(width, height);
  for (let side = short; side >= minSide; side *= PYRAMID) {
    const k = side / R;
    const step = Math.max(1, side * STRIDE);
    for (const turn of side >= short * TURNED_DOWN_TO - 1e-6 ? TURNS : [0]) {
      for (let y0 = 0; y0 + side <= height + 1e-6; y0 += step) {
        for (let x0 = 0; x0 + side <= width + 1e-6; x0 += step) {
          const centre = { x: x0 + side / 2 - 0.5, y: y0 + side / 2 - 0.5 };
          const cos = Math.cos(turn) * k;
          const sin = Math.sin(turn) * k;
          const h = (R - 1) / 2;
          windows.push({
            a: cos,
            b: -sin,
            c: centre.x - cos * h + sin * h,
            d: sin,
            e: cos,
            f: centre.y - sin * h - cos * h,
          });
        }
      }
    }
  }
  return windows;
}
