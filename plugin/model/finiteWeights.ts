/**
 * Refuses weights holding NaN or infinity. A generator with them renders garbage (or NaN, shown as black) and every
 * drag step fails later with nothing pointing at the file; checked once, when a model is loaded or imported.
 */
import { printable } from '../codecs/printable';
import { ModelConfigError } from '../core/errors';

export function refuseNonFiniteWeights(
  weights: ReadonlyMap<string, { readonly data: Float32Array | BigInt64Array }>,
  what: string,
): void {
  let count = 0;
  let first: string | undefined;
  for (const [name, t] of weights) {
    if (!(t.data instanceof Float32Array)) continue;
    const d = t.data;
    let bad = 0;
    // x - x is 0 for every finite x and NaN for NaN and infinities: one comparison per value
    for (let i = 0; i < d.length; i++) if (d[i] - d[i] !== 0) bad++;
    if (bad > 0) {
      count += bad;
      first ??= name;
    }
  }
  if (count > 0) {
    throw new ModelConfigError(
      `${what} holds ${count} value${count === 1 ? '' : 's'} that ${count === 1 ? 'is' : 'are'} not finite (NaN or infinity), the first in ${printable(first!)}: ` +
        'the file is damaged or was saved from a training run that diverged; use another checkpoint or an earlier snapshot',
    );
  }
}
