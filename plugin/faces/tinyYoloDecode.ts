import type { HostTensor } from '../graph/tensor';

/** A box in some pixel frame, with the detector's confidence. */
export interface ScoredBox {
  x: number;
  y: number;
  width: number;
  height: number;
  score: number;
}

/** face-api's TinyFaceDetector anchors (tinyFaceDetector/const.ts), in output cells. */
const ANCHORS: readonly (readonly [number, number])[] = [
  [1.603231, 2.094468],
  [6.041143, 7.080126],
  [2.882459, 3.518061],
  [4.266906, 5.178857],
  [9.041765, 10.66308],
];
/** face-api's IOU_THRESHOLD for the tiny face detector. */
export const NMS_IOU = 0.4;

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/**
 * tiny-YOLOv2's box decode as TinyYolov2Base.extractBoxes does it: per cell (row, col) and anchor, the centre is
 * (col + sigmoid(tx), row + sigmoid(ty)) cells, the size exp(tw) * anchor cells, the score sigmoid(ts). `grid` is the
 * graph's NCHW output [1, 25, cells, cells] (channel = anchor * 5 + field); boxes come out in input pixels.
 */
export function decodeGrid(grid: HostTensor, inputSize: number, minScore: number): ScoredBox[] {
  const [, channels, rows, cols] = grid.shape;
  if (channels !== ANCHORS.length * 5)
    throw new Error(`detector output has ${channels} channels, expected ${ANCHORS.length * 5}`);
  const cell = inputSize / cols;
  const plane = rows * cols;
  const at = (anchor: number, field: number, row: number, col: number): number =>
    grid.data[(anchor * 5 + field) * plane + row * cols + col];
  const boxes: ScoredBox[] = [];
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      ANCHORS.forEach(([ax, ay], anchor) => {
        const score = sigmoid(at(anchor, 4, row, col));
        if (score <= minScore) return;
        const cx = (col + sigmoid(at(anchor, 0, row, col))) * cell;
        const cy = (row + sigmoid(at(anchor, 1, row, col))) * cell;
        const width = Math.exp(at(anchor, 2, row, col)) * ax * cell;
        const height = Math.exp(at(anchor, 3, row, col)) * ay * cell;
        boxes.push({ x: cx - width / 2, y: cy - height / 2, width, height, score });
      });
    }
  }
  return boxes;
}

function iou(p: ScoredBox, q: ScoredBox): number {
  const w = Math.min(p.x + p.width, q.x + q.width) - Math.max(p.x, q.x);
  const h = Math.min(p.y + p.height, q.y + q.height) - Math.max(p.y, q.y);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (p.width * p.height + q.width * q.height - inter);
}

/** Greedy non-maximum suppression, best score first (face-api's nonMaxSuppression with IoU). */
export function nonMaxSuppression(boxes: readonly ScoredBox[], maxIou = NMS_IOU): ScoredBox[] {
  const kept: ScoredBox[] = [];
  for (const box of [...boxes].sort((p, q) => q.score - p.score)) {
    if (kept.every((k) => iou(k, box) <= maxIou)) kept.push(box);
  }
  return kept;
}
