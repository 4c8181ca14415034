import { hyperParametersFor, type DragDefaults } from '../../engine/core/defaults';
import type { DragHyperParameters } from '../../engine/core/types';
import { intOption, limitOption } from './args';

/** The options that override a model's drag defaults (model.json `draggan`), shared by `drag` and `eval`. */
export const hyperParameterOptions = { lr: 'value', r1: 'value', r2: 'value', lambda: 'value', 'feature-idx': 'value' } as const;
export type HyperParameterOption = keyof typeof hyperParameterOptions;

/** The model's defaults with any --lr/--r1/--r2/--lambda/--feature-idx the user gave, each within the engine's limits. */
export function hyperParametersFromArgs(
  command: string,
  v: Partial<Record<HyperParameterOption, string>>,
  model: { draggan: DragDefaults; numWs: number },
  rest: Partial<DragHyperParameters> = {},
): DragHyperParameters {
  const given: Partial<DragHyperParameters> = {};
  for (const name of ['lr', 'r1', 'r2', 'lambda'] as const) {
    const text = v[name];
    if (text !== undefined) given[name] = limitOption(command, name, name, text);
  }
  if (v['feature-idx'] !== undefined) given.featureIdx = intOption(command, 'feature-idx', v['feature-idx'], 0, 64);
  return hyperParametersFor(model, { ...rest, ...given });
}
