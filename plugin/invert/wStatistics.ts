import type { Generator } from '../stylegan2/generator';
import { hostTensor } from '../graph/tensor';
import { NormalRandom } from './random';

/** Centre and spread of W: where the projection starts and how large its exploration noise is. */
export interface WStatistics {
  /** Mean w [w_dim]. */
  mean: Float32Array;
  /** sqrt(E |w - mean|^2), the official projector's w_std (a scalar over all dimensions). */
  std: number;
  /** The first `keep` sampled w, each [w_dim]: candidate starting points. */
  samples: Float32Array[];
}

const Z_STREAM_SEED = 123;

/**
 * Measured from the mapping network over `samples` random z, like the official projector, instead of trusting the
 * `mapping.w_avg` buffer: an imported or freshly initialised model may carry a stale one. The z come from a stream
 * of their own, not from user seeds, so a start candidate is never the exact latent of a "seed N" image (that would
 * flatter every measurement on generated images).
 */
export async function wStatistics(
  gen: Generator,
  samples: number,
  keep: number,
  signal?: AbortSignal,
): Promise<WStatistics> {
  const wd = gen.config.w_dim;
  const rows: Float32Array[] = [];
  const mean = new Float64Array(wd);
  const rng = new NormalRandom(Z_STREAM_SEED);
  for (let s = 0; s < samples; s++) {
    if (signal?.aborted) break;
    const z = hostTensor(
      [1, gen.config.z_dim],
      Float32Array.from({ length: gen.config.z_dim }, () => rng.next()),
    );
    const w = (await gen.mapping(z, 1)).data.slice(0, wd);
    rows.push(w);
    for (let i = 0; i < wd; i++) mean[i] += w[i];
  }
  const n = Math.max(1, rows.length);
  for (let i = 0; i < wd; i++) mean[i] /= n;
  let ss = 0;
  for (const w of rows) for (let i = 0; i < wd; i++) ss += (w[i] - mean[i]) ** 2;
  return { mean: Float32Array.from(mean), std: Math.sqrt(ss / n), samples: rows.slice(0, keep) };
}
