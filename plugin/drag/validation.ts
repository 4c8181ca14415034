import { DragInputError, type DragHyperParameters, type HandleTarget, type Point } from './types';

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

/** Hyper-parameters the loop can run with; each mistake named. */
export function validateHyperParameters(hp: DragHyperParameters, numWs: number, numBlocks: number): void {
  const positive = (name: string, x: number) => {
    if (!(x > 0) || !Number.isFinite(x)) throw new DragInputError(`${name} must be a positive number, got ${x}`);
  };
  positive('the learning rate', hp.lr);
  positive('r1', hp.r1);
  positive('r2', hp.r2);
  if (!(hp.lambda >= 0) || !Number.isFinite(hp.lambda)) throw new DragInputError(`lambda must be 0 or more, got ${hp.lambda}`);
  if (!Number.isInteger(hp.optimisedRows) || hp.optimisedRows < 1 || hp.optimisedRows > numWs) {
    throw new DragInputError(`the number of optimised W+ rows must be 1..${numWs}, got ${hp.optimisedRows}`);
  }
  if (!Number.isInteger(hp.featureIdx) || hp.featureIdx < 0 || hp.featureIdx >= numBlocks) {
    throw new DragInputError(`feature_idx must be 0..${numBlocks - 1} for this model, got ${hp.featureIdx}`);
  }
  if (!Number.isInteger(hp.maxSteps) || hp.maxSteps < 0) throw new DragInputError(`the step cap must be a whole number, got ${hp.maxSteps}`);
  if (hp.stopDistance !== undefined && !(hp.stopDistance >= 0)) throw new DragInputError(`the stop distance must be 0 or more, got ${hp.stopDistance}`);
}
