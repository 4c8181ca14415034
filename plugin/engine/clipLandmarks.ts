import type { Image8 } from '../codecs/image8';
import type { Point } from '../core/types';
import type { CropLandmarkDetector } from '../faces/landmarkFaceSearch';
import { sampleCrop } from '../faces/sampleCrop';
import { prepareImage } from '../invert/prepareImage';
import type { RgbImage } from '../invert/rgbImage';
import { toRgba8 } from '../stylegan2/imageConversion';
import type { ClipFrame } from './clipDrag';

/** A dragged clip's handle progress as the model's landmark detector sees it (independent of feature tracking). */
export interface ClipLandmarkProgress {
  /** Per handle: the landmark nearest it on the key frame's input, and how far from the handle it is (model px). */
  nearest: { name: string; distance: number }[];
  /**
   * Per frame (as given), per handle: that landmark's displacement from the frame's input to its output, along the
   * frame's handle -> target direction, over the handle -> target distance (1 = all the way, 0 = not moved).
   */
  progress: number[][];
}

/**
 * Landmarks of model-resolution images. The frames are the model's own square, which for a model whose card names
 * this detector is the detector's framing: the whole image is the face crop, only rescaled to the detector's size.
 */
async function landmarksOf(detector: CropLandmarkDetector, images: Image8[], resolution: number): Promise<Point[][]> {
  const s = resolution / detector.resolution;
  const toImage = { a: s, b: 0, c: 0, d: 0, e: s, f: 0 };
  const found = await detector.detectCrops(images.map((img) => sampleCrop(img, toImage, detector.resolution)));
  // pixel centres at integers on both sides: centre u of the crop covers image [s u, s (u + 1))
  return found.map((pts) => pts.map((p) => ({ x: s * (p.x + 0.5) - 0.5, y: s * (p.y + 0.5) - 0.5 })));
}

/**
 * How far each frame's edit moved the face landmark nearest each handle toward its target, measured by the
 * landmark detector on the frame's input and on its output: the landmark is chosen once, on the key frame's input.
 */
export async function clipLandmarkProgress(
  detector: CropLandmarkDetector,
  clip: readonly RgbImage[],
  frames: readonly ClipFrame[],
  key: { index: number; handles: readonly Point[] },
  resolution: number,
): Promise<ClipLandmarkProgress> {
  const modelView = (f: RgbImage) => toRgba8(prepareImage(f, resolution).target);
  const [keyMarks] = await landmarksOf(detector, [modelView(clip[key.index])], resolution);
  const nearest = key.handles.map((h) => {
    const d = keyMarks.map((m) => Math.hypot(m.x - h.x, m.y - h.y));
    const k = d.indexOf(Math.min(...d));
    return { k, name: detector.names[k], distance: d[k] };
  });
  const progress: number[][] = [];
  for (const f of frames) {
    const [before, after] = await landmarksOf(detector, [modelView(clip[f.index]), f.image], resolution);
    progress.push(
      nearest.map(({ k }, i) => {
        const dir = { x: f.targets[i].x - f.handles[i].x, y: f.targets[i].y - f.handles[i].y };
        const whole = dir.x * dir.x + dir.y * dir.y;
        const moved = { x: after[k].x - before[k].x, y: after[k].y - before[k].y };
        return whole === 0 ? 1 : (moved.x * dir.x + moved.y * dir.y) / whole;
      }),
    );
  }
  return { nearest: nearest.map(({ name, distance }) => ({ name, distance })), progress };
}
