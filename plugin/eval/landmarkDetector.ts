import type { Image8 } from '../codecs/image8';
import type { Point } from '../core/types';
import type { CropLandmarkDetector } from '../faces/landmarkFaceSearch';
import type { Runtime } from '../runtime/runtime';

export interface LandmarkDetector {
  /** One name per landmark, in output order (e.g. 'nose_tip'). */
  readonly names: readonly string[];
  detect(image: Image8): Promise<Point[]>;
  /** Frees the detector's session, where it has one (a process that runs many edits would otherwise keep each). */
  release?(): Promise<void>;
}

/** What the detector's ONNX file expects; shipped beside it as detector.json. */
export interface DetectorCard {
  names: string[];
  resolution: number;
  input: string;
  output: string;
  /**
   * Where the landmarks sit on average in the training faces (models/landmarks/mean_face.py), in the detector's
   * pixels: the framing a face found in a larger picture is brought to. Cards made before it lack it.
   */
  mean_face?: [number, number][];
}

/**
 * A landmark CNN exported to ONNX, run through the project's runtime: input [1, 3, R, R] in [-1, 1]
 * (pixel / 127.5 - 1), output [1, K, 2] as (x, y) in pixels, x = column.
 */
export async function onnxLandmarkDetector(
  runtime: Runtime,
  onnx: Uint8Array,
  card: DetectorCard,
): Promise<LandmarkDetector & CropLandmarkDetector> {
  const session = await runtime.createSession(onnx);
  const r = card.resolution;
  const plane = 3 * r * r;
  const pointsOf = (out: ArrayLike<number>, n: number): Point[] =>
    card.names.map((_, k) => ({
      x: out[n * 2 * card.names.length + 2 * k],
      y: out[n * 2 * card.names.length + 2 * k + 1],
    }));
  return {
    names: card.names,
    resolution: r,
    async detectCrops(crops: readonly Float32Array[]): Promise<Point[][]> {
      if (crops.length === 0) return [];
      const x = new Float32Array(crops.length * plane);
      crops.forEach((c, n) => {
        if (c.length !== plane)
          throw new Error(`the landmark detector takes ${r}x${r} RGB crops, got ${c.length} values`);
        for (let i = 0; i < plane; i++) x[n * plane + i] = c[i] / 127.5 - 1;
      });
      const out = (await session.run({ [card.input]: { shape: [crops.length, 3, r, r], data: x } }))[card.output];
      return crops.map((_, n) => pointsOf(out.data, n));
    },
    async detect(image: Image8): Promise<Point[]> {
      if (image.width !== r || image.height !== r)
        throw new Error(`the landmark detector takes ${r}x${r} images, got ${image.width}x${image.height}`);
      const x = new Float32Array(3 * r * r);
      for (let i = 0; i < r * r; i++) for (let c = 0; c < 3; c++) x[c * r * r + i] = image.data[i * 4 + c] / 127.5 - 1;
      const out = (await session.run({ [card.input]: { shape: [1, 3, r, r], data: x } }))[card.output];
      return pointsOf(out.data, 0);
    },
    release: () => session.release(),
  };
}
