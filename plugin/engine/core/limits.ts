import { DragInputError } from './errors';
import { DRAG_METHODS, type DragHyperParameters } from './types';

export interface Limit {
  /** How the value is named in a message. */
  readonly what: string;
  readonly min: number;
  readonly max: number;
  /** Whether the minimum itself is allowed. */
  readonly minIncluded: boolean;
  readonly integer: boolean;
  /** What to try, said after the range. */
  readonly hint?: string;
}

const limit = (what: string, min: number, max: number, o: { integer?: boolean; minIncluded?: boolean; hint?: string } = {}): Limit => ({
  what,
  min,
  max,
  minIncluded: o.minIncluded ?? true,
  integer: o.integer ?? false,
  hint: o.hint,
});

/**
 * The bounds of every number a user can set, in one table shared by the engine, the CLI's options, the panel's
 * settings and the remote protocol, so a value one accepts the others accept too.
 */
export const LIMITS = {
  lr: limit('the learning rate', 0, 1, { minIncluded: false, hint: 'the official default is 0.002 for faces, 0.001 otherwise' }),
  r1: limit('r1 (the motion-supervision radius, at 512 px)', 1, 512, { hint: 'the official value is 3' }),
  r2: limit('r2 (the tracking radius, at 512 px)', 1, 512, { hint: 'the official value is 12' }),
  lambda: limit('lambda (the weight that keeps the unmasked region still)', 0, 10000),
  maxSteps: limit('the step cap', 0, 100000, { integer: true }),
  stopDistance: limit('the stop distance', 0, 1024),
  psi: limit('the truncation psi', -2, 2, { hint: '0.7 is usual' }),
  seed: limit('the seed', 0, 0xffffffff, { integer: true }),
  points: limit('the number of point pairs', 1, 128, { integer: true }),
  invertSteps: limit('the number of inversion steps', 1, 5000, { integer: true }),
  previewEvery: limit('the preview interval', 1, 10000, { integer: true }),
} as const;

export type LimitName = keyof typeof LIMITS;

/** "a whole number from 0 to 10", as messages say it. */
export function rangeText(l: Limit): string {
  const kind = l.integer ? 'a whole number' : 'a number';
  return l.minIncluded ? `${kind} from ${l.min} to ${l.max}` : `${kind} above ${l.min} and at most ${l.max}`;
}

/** The problem with a value, said as what to change; undefined when it is within its limit. */
export function limitProblem(name: LimitName, value: number): string | undefined {
  const l: Limit = LIMITS[name];
  const ok = Number.isFinite(value) && (l.minIncluded ? value >= l.min : value > l.min) && value <= l.max && (!l.integer || Number.isInteger(value));
  if (ok) return undefined;
  return `${l.what} must be ${rangeText(l)}, got ${value}${l.hint ? ` (${l.hint})` : ''}`;
}

/** Throws a DragInputError naming the value and its range when it is out of bounds. */
export function checkLimit(name: LimitName, value: number): number {
  const problem = limitProblem(name, value);
  if (problem) throw new DragInputError(problem);
  return value;
}

/** What a model allows on top of the fixed limits. */
export interface ModelShape {
  numWs: number;
  /** Synthesis blocks (4 px ... resolution). */
  numBlocks: number;
}

/** The one hyper-parameter validator: every host and the wire call it, so each mistake is named the same way. */
export function validateHyperParameters(hp: DragHyperParameters, model: ModelShape): void {
  checkLimit('lr', hp.lr);
  checkLimit('r1', hp.r1);
  checkLimit('r2', hp.r2);
  checkLimit('lambda', hp.lambda);
  checkLimit('maxSteps', hp.maxSteps);
  if (hp.stopDistance !== undefined) checkLimit('stopDistance', hp.stopDistance);
  if (hp.mode !== 'w+' && hp.mode !== 'w') throw new DragInputError(`the latent mode must be 'w+' or 'w', got ${String(hp.mode)}`);
  if (hp.method !== undefined && !DRAG_METHODS.includes(hp.method)) throw new DragInputError(`the drag method must be ${DRAG_METHODS.join(' or ')}, got ${String(hp.method)}`);
  if (!Number.isInteger(hp.optimisedRows) || hp.optimisedRows < 1 || hp.optimisedRows > model.numWs) {
    throw new DragInputError(`the number of optimised W+ rows must be 1..${model.numWs}, got ${hp.optimisedRows}`);
  }
  if (!Number.isInteger(hp.featureIdx) || hp.featureIdx < 0 || hp.featureIdx >= model.numBlocks) {
    throw new DragInputError(`feature_idx must be 0..${model.numBlocks - 1} for this model, got ${hp.featureIdx}`);
  }
}
