import type { DragHyperParameters } from '../../engine/core/types';
import type { DragDefaults } from '../../engine/core/defaults';
import { intOption, numberOption, UsageError } from './args';

/** The options that override a model's drag defaults (model.json `draggan`), shared by `drag` and `eval`. */
export const hyperParameterOptions = { lr: 'value', r1: 'value', r2: 'value', lambda: 'value', 'feature-idx': 'value' } as const;
export type HyperParameterOption = keyof typeof hyperParameterOptions;

/** The model's defaults with any --lr/--r1/--r2/--lambda/--feature-idx the user gave. */
export function hyperParametersFromArgs(
  command: string,
  v: Partial<Record<HyperParameterOption, string>>,
  defaults: DragDefaults,
  rest: Pick<DragHyperParameters, 'optimisedRows' | 'mode' | 'maxSteps'>,
): DragHyperParameters {
  const positive = (name: 'lr' | 'r1' | 'r2' | 'lambda', fallback: number): number => {
    const text = v[name];
    if (text === undefined) return fallback;
    const x = numberOption(command, name, text);
    if (!(x > 0) && !(name === 'lambda' && x === 0)) throw new UsageError(`--${name} must be positive, got ${text}`, command);
    return x;
  };
  const featureIdx = v['feature-idx'] === undefined ? defaults.feature_idx : intOption(command, 'feature-idx', v['feature-idx'], 0, 64);
  return {
    lr: positive('lr', defaults.lr),
    r1: positive('r1', defaults.r1),
    r2: positive('r2', defaults.r2),
    lambda: positive('lambda', defaults.lambda),
    featureIdx,
    ...rest,
  };
}
