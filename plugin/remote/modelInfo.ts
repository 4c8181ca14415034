import type { DragHyperParameters } from '../core/dragSettings';
import type { ModelInfo } from './protocol';

/** The hyper-parameters the model's card on the endpoint recommends, with any overrides. */
export function hyperParametersOfInfo(
  info: ModelInfo,
  overrides: Partial<DragHyperParameters> = {},
): DragHyperParameters {
  const { psi: _psi, ...defaults } = info.defaults;
  return { ...defaults, ...overrides };
}
