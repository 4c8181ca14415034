import { hyperParametersFor, type DragDefaults } from '../../engine/core/defaults';
import { DRAG_METHODS, type DragHyperParameters, type DragMethod } from '../../engine/core/types';
import { intOption, limitOption, UsageError } from './args';

/** --method: one method (drag), or a comma-separated list to compare on the same pairs (eval). */
export function methodsFromArgs(command: string, text: string | undefined, several: boolean): DragMethod[] {
  if (text === undefined) return ['draggan'];
  const names = text.split(',').map((m) => m.trim());
  const bad = names.find((m) => !DRAG_METHODS.includes(m as DragMethod));
  if (bad !== undefined) throw new UsageError(`--method must be ${DRAG_METHODS.join(' or ')}${several ? ' (or several, comma-separated)' : ''}, got '${bad}'`, command);
  if (!several && names.length > 1) throw new UsageError('--method takes one method here', command);
  if (new Set(names).size !== names.length) throw new UsageError(`--method names a method twice: '${text}'`, command);
  return names as DragMethod[];
}

/** The options that override a model's drag defaults (model.json `draggan`), shared by `drag` and `eval`. */
export const hyperParameterOptions = { lr: 'value', r1: 'value', r2: 'value', lambda: 'value', 'feature-idx': 'value', method: 'value' } as const;
export type HyperParameterOption = keyof typeof hyperParameterOptions;

/** The model's defaults with any --lr/--r1/--r2/--lambda/--feature-idx the user gave (--method: methodsFromArgs), each within the engine's limits. */
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
