import type { Point } from '../core/types';

/** Mean of the eye contours (iBUG 300-W: 36-41 is the subject's right eye, on the picture's left; 42-47 the other). */
export function eyeCentres(landmarks: readonly Point[]): [Point, Point] {
  const mean = (from: number): Point => {
    let x = 0;
    let y = 0;
    for (let i = from; i < from + 6; i++) {
      x += landmarks[i].x;
      y += landmarks[i].y;
    }
    return { x: x / 6, y: y / 6 };
  };
  return [mean(36), mean(42)];
}

/** Direction of the line from the picture-left eye to the other: 0 for an upright face. */
export function eyeLineAngle(landmarks: readonly Point[]): number {
  const [l, r] = eyeCentres(landmarks);
  return Math.atan2(r.y - l.y, r.x - l.x);
}

/**
 * The square the landmark net should see next, from the landmarks it gave: turned so the eyes are level, and
 * framed as the detector frames an upright face. Measured on the detector's own boxes (see the constants), so a
 * refined crop of an upright face is about the crop the detector gave.
 */
export interface FaceFrame {
  centre: Point;
  side: number;
  angle: number;
}

/**
 * Detector box side / landmark extent, and the box centre's offset from the landmarks' centre down the face (in
 * extents). Measured on test/fixtures/photos/astronaut.jpg: the tiny detector's box is 114.9 px where its first-pass
 * landmarks span 94.7 px (1.21), centred 0.02 extents above them (within noise, so none).
 */
export const FRAME_SCALE = 1.2;
export const FRAME_SHIFT = 0;

export function frameFromLandmarks(landmarks: readonly Point[]): FaceFrame {
  const angle = eyeLineAngle(landmarks);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  // coordinates along the eye line (u) and down the face (v)
  let minU = Infinity;
  let maxU = -Infinity;
  let minV = Infinity;
  let maxV = -Infinity;
  for (const p of landmarks) {
    const u = p.x * cos + p.y * sin;
    const v = -p.x * sin + p.y * cos;
    minU = Math.min(minU, u);
    maxU = Math.max(maxU, u);
    minV = Math.min(minV, v);
    maxV = Math.max(maxV, v);
  }
  const extent = Math.max(maxU - minU, maxV - minV);
  const cu = (minU + maxU) / 2;
  const cv = (minV + maxV) / 2 + FRAME_SHIFT * extent;
  return { centre: { x: cu * cos - cv * sin, y: cu * sin + cv * cos }, side: FRAME_SCALE * extent, angle };
}
