import type { Point } from '../core/types';
import { applyAffine, composeAffine, type Affine } from './affine';
import { checkFaceImage, type FaceImage } from './faceImage';
import { continuousOf, fitSimilarity, similarityScale } from './similarityFit';
import { sampleCrop } from './sampleCrop';
import { SHIFT_PX } from './shiftCheck';

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
   * fifth of the picture's short side, at least 48 (a smaller face: search a crop around it).
   */
  minSide?: number;
  /** How many of the first pass's best windows are followed to a face. */
  candidates?: number;
  /** Faces whose points stray further than this (model px) when the picture moves are not faces. */
  tolerance?: number;
}

/** Points the framing is fitted on: the eye corners, nose tip and mouth, which the recipe's expressions move least. */
const FIT_POINTS = ['eye_l_out', 'eye_l_in', 'eye_r_in', 'eye_r_out', 'nose_tip', 'mouth_l', 'mouth_c', 'mouth_r'];
/** Window sides shrink by this factor from the picture's short side down to minSide; windows overlap by 2/3. */
const PYRAMID = 0.75;
const STRIDE = 1 / 3;
/** Start windows also turned by these angles, so a face rolled beyond the net's training range is still met upright. */
const TURNS = [0, -Math.PI / 6, Math.PI / 6];
/** Crops per detector call: large enough to amortise a call, small enough to keep the memory flat. */
const BATCH = 32;
const REFINEMENTS = 3;

/**
 * Finds faces of a model's kind anywhere in a larger picture, at any size and roll, with a landmark net that only
 * reads faces framed as its training faces were. A regression net always answers, so the search asks it where the
 * face would be in every window of a pyramid (several roll angles), scores each answer by whether its points follow
 * the window when it moves by a few pixels (shiftCheck.ts: on a face they do, on background the net answers an
 * average face wherever it looks), follows the best few to the framing their points imply until it settles, and
 * keeps the settled framings that pass the same test with four moves. The framing is the similarity that puts the
 * face's eye corners, nose and mouth where they are on the mean training face.
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
  const minSide = Math.min(short, options.minSide ?? Math.max(48, short / 5));
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

  // 1. every window of the pyramid, seen as it is and moved diagonally
  const windows: Affine[] = [];
  for (let side = short; side >= minSide; side *= PYRAMID) {
    const k = side / R;
    const step = Math.max(1, side * STRIDE);
    for (const turn of TURNS) {
      for (let y0 = 0; y0 + side <= image.height + 1e-6; y0 += step) {
        for (let x0 = 0; x0 + side <= image.width + 1e-6; x0 += step) {
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
  const first = await detect(windows.flatMap((t) => [t, shiftBy(t, SHIFT_PX, SHIFT_PX)]));
  const scored = windows.map((t, i) => {
    const found = first[2 * i];
    const frame = implied(t, found);
    return {
      frame,
      score: disagreement(found, first[2 * i + 1], SHIFT_PX, SHIFT_PX),
      scale: similarityScale(frame) / similarityScale(t),
    };
  });

  // 2. the best windows whose answer frames a face of about the window's size, one per place
  const seeds: Affine[] = [];
  for (const s of scored.filter((w) => w.scale > 0.5 && w.scale < 2).sort((p, q) => p.score - q.score)) {
    if (seeds.length >= keep) break;
    if (seeds.some((f) => sameFace(f, s.frame, R))) continue;
    seeds.push(s.frame);
  }

  // 3. each followed to the framing its points settle on
  let frames = seeds;
  let points: Point[][] = [];
  for (let r = 0; r < REFINEMENTS; r++) {
    points = await detect(frames);
    frames = frames.map((t, i) => implied(t, points[i]));
  }
  points = await detect(frames);

  // 4. kept where the points follow the picture moved four ways
  const moves: [number, number][] = [
    [SHIFT_PX, 0],
    [-SHIFT_PX, 0],
    [0, SHIFT_PX],
    [0, -SHIFT_PX],
  ];
  const moved = await detect(frames.flatMap((t) => moves.map(([dx, dy]) => shiftBy(t, dx, dy))));
  const faces: FoundFace[] = [];
  frames.forEach((t, i) => {
    const d = moves.reduce((s, [dx, dy], j) => s + disagreement(points[i], moved[4 * i + j], dx, dy), 0) / moves.length;
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
