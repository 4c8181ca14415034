/** The model package: model.json (init kwargs + DragGAN defaults) and weights.safetensors (official state_dict names). */
import { HostTensor } from '../graph/tensor';
import { ModelConfig } from '../stylegan2/config';
import { normalizeModelConfig } from './validateConfig';
import { ModelConfigError } from '../core/errors';
import { checkWeights } from './checkWeights';
import { refuseNonFiniteWeights } from './finiteWeights';
import { readSafetensors, writeSafetensors } from './safetensors';

export interface ModelPackage {
  config: ModelConfig;
  weights: Map<string, HostTensor>;
}

/** Validates the config and the weights together; defaults are filled in. */
export function makeModelPackage(rawConfig: unknown, weights: Map<string, HostTensor>): ModelPackage {
  const config = normalizeModelConfig(rawConfig);
  const checked = checkWeights(config, weights);
  refuseNonFiniteWeights(checked, 'the model');
  return { config, weights: checked };
}

export function parseModelPackage(modelJson: string, weights: Uint8Array): ModelPackage {
  let raw: unknown;
  try {
    raw = JSON.parse(modelJson);
  } catch (e) {
    throw new ModelConfigError(`model.json is not valid JSON: ${(e as Error).message}`);
  }
  // the config is checked (and its ranges bounded) before the weights are decoded
  const config = normalizeModelConfig(raw);
  const checked = checkWeights(config, readSafetensors(weights));
  refuseNonFiniteWeights(checked, 'weights.safetensors');
  return { config, weights: checked };
}

export function serializeModelPackage(pkg: ModelPackage): { modelJson: string; weights: Uint8Array } {
  return {
    modelJson: JSON.stringify(pkg.config, null, 2) + '\n',
    weights: writeSafetensors(pkg.weights, { metadata: { format: 'pt', producer: 'draggan-photoshop' } }),
  };
}
