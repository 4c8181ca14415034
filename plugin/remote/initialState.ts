import type { DragState } from '../drag/dragSession';
import { DragInputError, type DragHyperParameters } from '../drag/types';
import type { HostTensor } from '../graph/tensor';
import type { ModelInfo } from './protocol';

/** The hyper-parameters a model's card recommends (the official defaults where it says nothing). */
export function defaultHyperParameters(info: ModelInfo): DragHyperParameters {
  const d = info.defaults;
  return { lr: d.lr, r1: d.r1, r2: d.r2, lambda: d.lambda, featureIdx: d.featureIdx, optimisedRows: d.optimisedRows, mode: 'w+', maxSteps: d.maxSteps };
}

/**
 * A fresh edit's state without a generator, exactly as `new DragSession(gen, w0, hp).snapshot()` would give it:
 * the optimised rows start at w0, the optimiser at zero, no points yet.
 */
export function newDragState(w0: HostTensor, hp: DragHyperParameters): DragState {
  if (w0.shape.length !== 3 || w0.shape[0] !== 1) throw new DragInputError(`the latent has shape [${w0.shape.join(', ')}]; a W+ latent is [1, num_ws, w_dim]`);
  const [, n, wd] = w0.shape;
  if (hp.optimisedRows < 1 || hp.optimisedRows > n) throw new DragInputError(`optimisedRows must be 1..${n}`);
  const size = (hp.mode === 'w' ? 1 : hp.optimisedRows) * wd;
  return {
    hp: { ...hp },
    w0: { shape: [...w0.shape], data: w0.data.slice() },
    params: w0.data.slice(0, size),
    adam: { m: new Float64Array(size), v: new Float64Array(size), t: 0 },
    pairs: [],
    tracked: [],
    steps: 0,
  };
}
