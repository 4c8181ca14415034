import { dragSettings, type DragHyperParameters, type ModelShape } from './dragSettings';
import { DragInputError } from './errors';
import { limit, outOfLimit, type Limit } from './limit';
import { settingProblem } from './settingProblem';

/**
 * The bounds of the numbers a user can set that are not drag settings (those are in DRAG_SETTINGS), shared by the
 * engine, the CLI's options, the panel's settings and the remote protocol, so a value one accepts the others accept.
 */
export const LIMITS = {
  psi: limit('the truncation psi', -2, 2, { hint: '0.7 is usual' }),
  seed: limit('the seed', 0, 0xffffffff, { integer: true }),
  points: limit('the number of point pairs', 1, 128, { integer: true }),
  invertSteps: limit('the number of inversion steps', 1, 5000, { integer: true }),
  previewEvery: limit('the preview interval', 1, 10000, { integer: true }),
} as const satisfies Record<string, Limit>;

export type LimitName = keyof typeof LIMITS;

/** The problem with a value, said as what to change; undefined when it is within its limit. */
export function limitProblem(name: LimitName, value: number): string | undefined {
  return outOfLimit(LIMITS[name], value);
}

/** Throws a DragInputError naming the value and its range when it is out of bounds. */
export function checkLimit(name: LimitName, value: number): number {
  const problem = limitProblem(name, value);
  if (problem) throw new DragInputError(problem);
  return value;
}

/** The one hyper-parameter validator, for hyper-parameters that enter whole (a new edit): each setting checked once. */
export function validateHyperParameters(hp: DragHyperParameters, model: ModelShape): void {
  const values = hp as Record<string, unknown>;
  for (const [name, s] of dragSettings()) {
    if (s.optional && values[name] === undefined) continue;
    const problem = settingProblem(name, values[name], model);
    if (problem) throw new DragInputError(problem);
  }
}
