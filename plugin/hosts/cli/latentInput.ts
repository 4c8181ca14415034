import { hostTensor, type HostTensor } from '../../graph/tensor';
import { readNpy } from '../../model/npy';
import { UserFixableError } from '../../core/errors';
import { LATENT_FILE_LIMIT, readUserFile } from '../node/userFiles';

/** A .npy latent from disk, with a clear message when it cannot be read. */
export function readLatent(path: string): HostTensor {
  try {
    return readNpy(readUserFile(path, 'latent', LATENT_FILE_LIMIT));
  } catch (e) {
    if (e instanceof UserFixableError) throw e;
    throw new UserFixableError(`cannot read latent ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * A latent as the user gives it -> W+ [1, numWs, wDim]. One w [1, wDim] is repeated for every layer, which is
 * what the mapping network's broadcast does.
 */
export function toWPlus(latent: HostTensor, numWs: number, wDim: number, source: string): HostTensor {
  const s = latent.shape;
  if (!latent.data.every(Number.isFinite))
    throw new UserFixableError(`latent ${source} contains NaN or infinite values`);
  if (s.length === 3 && s[0] === 1 && s[1] === numWs && s[2] === wDim) return hostTensor([1, numWs, wDim], latent.data);
  if (s.length === 2 && s[0] === 1 && s[1] === wDim) {
    const data = new Float32Array(numWs * wDim);
    for (let i = 0; i < numWs; i++) data.set(latent.data, i * wDim);
    return hostTensor([1, numWs, wDim], data);
  }
  throw new UserFixableError(
    `latent ${source} has shape [${s.join(', ')}]; this model needs [1, ${numWs}, ${wDim}] (W+) or [1, ${wDim}] (one w for every layer)`,
  );
}
