import { DragInputError, type HandleTarget, type Point } from './types';

function checkPoint(p: Point, what: string, res: number): void {
  if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) throw new DragInputError(`${what} has a non-finite coordinate (${p.x}, ${p.y}); give numbers in pixels`);
  if (p.x < 0 || p.y < 0 || p.x > res - 1 || p.y > res - 1) {
    throw new DragInputError(`${what} (${p.x}, ${p.y}) is outside the image: x and y must be within 0..${res - 1} at the model's ${res} px resolution`);
  }
}

/** Rejects anything the drag loop cannot use, with a message that says what to change. */
export function validatePairs(pairs: readonly HandleTarget[], res: number): void {
  if (pairs.length === 0) throw new DragInputError('no points: add at least one handle -> target pair');
  pairs.forEach((p, i) => {
    checkPoint(p.handle, `handle ${i + 1}`, res);
    checkPoint(p.target, `target ${i + 1}`, res);
  });
}

/** A flexible-region mask must cover the model's image exactly; returns the fixed region (1 = keep). */
export function fixedRegionOf(mask: { width: number; height: number; data: ArrayLike<number> }, res: number): Uint8Array | undefined {
  if (mask.width !== res || mask.height !== res) {
    throw new DragInputError(`the mask is ${mask.width}x${mask.height} but the model's image is ${res}x${res}; resize the mask to match`);
  }
  if (mask.data.length !== res * res) throw new DragInputError(`the mask has ${mask.data.length} values; expected ${res * res}`);
  const fixed = new Uint8Array(res * res);
  let anyFixed = false;
  let anyFlexible = false;
  for (let i = 0; i < fixed.length; i++) {
    const flexible = mask.data[i] > 0.5;
    fixed[i] = flexible ? 0 : 1;
    anyFixed ||= !flexible;
    anyFlexible ||= flexible;
  }
  // As in the official renderer, a mask that is all flexible or all fixed constrains nothing.
  return anyFixed && anyFlexible ? fixed : undefined;
}
