import type { Point } from '../core/types';
import { toOnnx } from '../graph/onnx';
import type { Runtime, Session } from '../runtime/runtime';
import { applyAffine, squareCrop, type Affine } from './affine';
import { buildFaceDetectorGraph, DETECTOR_STRIDE } from './faceDetectorGraph';
import { FaceInputError } from '../core/errors';
import { checkFaceImage, type FaceImage } from './faceImage';
import { readFaceWeights, type FaceModelFiles } from './faceModels';
import { frameFromLandmarks } from './landmarkFrame';
import { buildLandmarkGraph, LANDMARK_INPUT } from './landmarkGraph';
import { sampleCrop } from './sampleCrop';
import { decodeGrid, nonMaxSuppression, type ScoredBox } from './tinyYoloDecode';
import type { WeightMap } from './tfjsWeights';

/** One face: coordinates are the input picture's pixels, pixel centres at integers (x = column). */
export interface Face {
  box: { x: number; y: number; width: number; height: number };
  /** The detector's score, 0..1. */
  confidence: number;
  /** 68 points in iBUG 300-W order: jaw 0-16, brows 17-26, nose 27-35, eyes 36-47, mouth 48-67. */
  landmarks: Point[];
}

export interface FindFacesOptions {
  /** Detector scores at or below this are not faces (face-api's default 0.5). */
  minConfidence?: number;
  /** The detector's input side, a multiple of 32 (face-api's default 416); larger finds smaller faces, slower. */
  detectorSize?: number;
  /** Landmark passes after the first, each on a crop turned to level the eyes the previous pass found. */
  refinements?: number;
}

const DEFAULTS: Required<FindFacesOptions> = { minConfidence: 0.5, detectorSize: 416, refinements: 2 };

/**
 * face-api's tiny face detector and 68-point landmark net, converted from their tfjs weights into our graph IR and
 * run as ONNX on the project's runtime, so every host that runs the engine finds faces the same way.
 */
export class FaceFinder {
  private readonly detectors = new Map<number, Promise<Session>>();

  private constructor(
    private readonly runtime: Runtime,
    private readonly detectorWeights: WeightMap,
    private readonly landmarks: Session,
  ) {}

  static async create(runtime: Runtime, files: FaceModelFiles): Promise<FaceFinder> {
    const weights = readFaceWeights(files);
    const landmarks = await runtime.createSession(toOnnx(buildLandmarkGraph(weights.landmarks)), {
      label: 'face landmarks',
    });
    return new FaceFinder(runtime, weights.detector, landmarks);
  }

  /** Every face in the picture, best confidence first. */
  async find(image: FaceImage, options: FindFacesOptions = {}): Promise<Face[]> {
    checkFaceImage(image);
    // an option given as undefined keeps its default
    const o: Required<FindFacesOptions> = {
      minConfidence: options.minConfidence ?? DEFAULTS.minConfidence,
      detectorSize: options.detectorSize ?? DEFAULTS.detectorSize,
      refinements: options.refinements ?? DEFAULTS.refinements,
    };
    const boxes = await this.detect(image, o.detectorSize, o.minConfidence);
    const faces: Face[] = [];
    for (const box of boxes) {
      // face-api's crop: the box padded to a square about its centre
      const side = Math.max(box.width, box.height);
      let landmarks = await this.landmarksIn(
        image,
        squareCrop({ x: box.x + box.width / 2, y: box.y + box.height / 2 }, side, 0, LANDMARK_INPUT),
      );
      for (let i = 0; i < o.refinements; i++) {
        const frame = frameFromLandmarks(landmarks);
        landmarks = await this.landmarksIn(image, squareCrop(frame.centre, frame.side, frame.angle, LANDMARK_INPUT));
      }
      faces.push({
        box: { x: box.x - 0.5, y: box.y - 0.5, width: box.width, height: box.height },
        confidence: box.score,
        landmarks: landmarks.map((p) => ({ x: p.x - 0.5, y: p.y - 0.5 })),
      });
    }
    return faces;
  }

  /** Detector boxes in picture coordinates (continuous: pixel i covers [i, i+1)). */
  async detect(image: FaceImage, size: number, minScore: number): Promise<ScoredBox[]> {
    // letterboxed as face-api does: scaled so the longer side fills the square, padded at the bottom or right
    const scale = size / Math.max(image.width, image.height);
    const toPicture: Affine = { a: 1 / scale, b: 0, c: 0, d: 0, e: 1 / scale, f: 0 };
    const session = await this.detectorSession(size);
    const { grid } = await session.run(
      { image: { shape: [1, 3, size, size], data: sampleCrop(image, toPicture, size) } },
      ['grid'],
    );
    const boxes = nonMaxSuppression(decodeGrid(grid, size, minScore));
    return boxes.map((b) => ({
      x: b.x / scale,
      y: b.y / scale,
      width: b.width / scale,
      height: b.height / scale,
      score: b.score,
    }));
  }

  /** The 68 landmarks the net finds in one crop, mapped back to picture coordinates. */
  async landmarksIn(image: FaceImage, toPicture: Affine): Promise<Point[]> {
    const { landmarks } = await this.landmarks.run(
      { image: { shape: [1, 3, LANDMARK_INPUT, LANDMARK_INPUT], data: sampleCrop(image, toPicture, LANDMARK_INPUT) } },
      ['landmarks'],
    );
    const out: Point[] = [];
    for (let i = 0; i < 68; i++)
      out.push(
        applyAffine(toPicture, {
          x: landmarks.data[2 * i] * LANDMARK_INPUT,
          y: landmarks.data[2 * i + 1] * LANDMARK_INPUT,
        }),
      );
    return out;
  }

  private detectorSession(size: number): Promise<Session> {
    if (!Number.isInteger(size) || size % DETECTOR_STRIDE !== 0 || size < 64 || size > 2048) {
      throw new FaceInputError(`the detector size ${size} is not a multiple of ${DETECTOR_STRIDE} between 64 and 2048`);
    }
    let s = this.detectors.get(size);
    if (!s) {
      s = this.runtime.createSession(toOnnx(buildFaceDetectorGraph(this.detectorWeights, size)), {
        label: `face detector ${size}`,
      });
      this.detectors.set(size, s);
    }
    return s;
  }

  async release(): Promise<void> {
    const sessions = [this.landmarks, ...(await Promise.all(this.detectors.values()))];
    this.detectors.clear();
    await Promise.all(sessions.map((s) => s.release()));
  }
}

/** Finds every face with a finder made once per runtime and set of model files (building the graphs costs). */
export function findFaces(finder: FaceFinder, image: FaceImage, options?: FindFacesOptions): Promise<Face[]> {
  return finder.find(image, options);
}
