import type { DragDefaults } from '../engine/core/defaults';
import { hyperParametersFor } from '../engine/core/defaults';
import type { DragHyperParameters } from '../engine/core/types';
import type { ModelInfo } from './protocol';

/** The model's DragGAN defaults as model.json spells them. */
export function dragDefaultsOf(info: ModelInfo): DragDefaults {
  const d = info.defaults;
  return { feature_idx: d.featureIdx, lr: d.lr, r1: d.r1, r2: d.r2, lambda: d.lambda };
}

/** The hyper-parameters the model's card on the endpoint recommends, with any overrides. */
export function hyperParametersOfInfo(info: ModelInfo, overrides: Partial<DragHyperParameters> = {}): DragHyperParameters {
  return hyperParametersFor({ draggan: dragDefaultsOf(info), numWs: info.numWs }, { optimisedRows: info.defaults.optimisedRows, maxSteps: info.defaults.maxSteps, ...overrides });
}
