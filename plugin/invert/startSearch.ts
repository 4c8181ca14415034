import { hostTensor, type HostTensor } from '../graph/tensor';
import type { Generator } from '../stylegan2/generator';
import { multiResolutionL2 } from './pixelLoss';

/**
 * The starting w with the lowest loss among w_avg and a few sampled w pulled toward it by `psi`. One forward pass
 * each, far cheaper than the optimisation steps it saves: gradient descent from w_avg alone often settles in a
 * poor basin (wrong pose, wrong colours) that it cannot leave. With `imageBlock`, each candidate is scored by the
 * skip architecture's running image after that block against a target of that size: layout and colour show at a low
 * level, at a small part of a full pass's cost (at 512 px, 32 px costs 1/50).
 */
export async function searchStart(
  gen: Generator,
  target: HostTensor,
  mean: Float32Array,
  samples: readonly Float32Array[],
  psi: number,
  levels: number,
  signal?: AbortSignal,
  imageBlock?: number,
): Promise<Float32Array> {
  const n = gen.numWs;
  const wd = gen.config.w_dim;
  const candidates = [mean, ...samples.map((w) => w.map((v, i) => mean[i] + psi * (v - mean[i])))];
  let best = mean;
  let bestLoss = Infinity;
  for (const w of candidates) {
    if (signal?.aborted) break;
    const ws = new Float32Array(n * wd);
    for (let r = 0; r < n; r++) ws.set(w, r * wd);
    const { img } = await gen.synthesize(hostTensor([1, n, wd], ws), { imageBlock });
    const { loss } = multiResolutionL2(img, target, levels);
    if (loss < bestLoss) {
      bestLoss = loss;
      best = w;
    }
  }
  return best.slice();
}
