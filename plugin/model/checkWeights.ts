/** Checks a weight map against the generator's expected names and shapes. */
import { printable } from '../codecs/printable';
import { GeneratorConfig } from '../stylegan2/config';
import { ModelConfigError } from '../core/errors';
import { expectedWeights, isOptionalWeight } from './weightNames';

const fmt = (s: readonly number[]): string => `[${s.join(', ')}]`;

/**
 * Returns the weights in canonical order; throws listing every missing, misshapen or unknown tensor. Only shapes
 * are read, so a checkpoint's tensors can be checked before their values are.
 */
export function checkWeights<T extends { readonly shape: readonly number[] }>(
  cfg: GeneratorConfig,
  weights: Map<string, T>,
): Map<string, T> {
  const expected = expectedWeights(cfg);
  const problems: string[] = [];
  const out = new Map<string, T>();
  for (const [name, shape] of expected) {
    const t = weights.get(name);
    if (!t) problems.push(`missing ${name} ${fmt(shape)}`);
    else if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i]))
      problems.push(`${name} has shape ${fmt(t.shape)}, expected ${fmt(shape)}`);
    else out.set(name, t);
  }
  for (const [name, t] of weights) {
    if (expected.has(name)) continue;
    if (isOptionalWeight(name)) {
      if (t.shape.length !== 2 || t.shape[0] !== 4 || t.shape[1] !== 4)
        problems.push(`${printable(name)} has shape ${fmt(t.shape)}, expected [4, 4]`);
      else out.set(name, t);
    } else {
      problems.push(`unexpected weight ${printable(name)}`);
    }
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 8).join('; ') + (problems.length > 8 ? `; and ${problems.length - 8} more` : '');
    throw new ModelConfigError(
      `weights do not match the model config (${problems.length} problem${problems.length > 1 ? 's' : ''}): ${shown}`,
    );
  }
  return out;
}
