import { readFileSync } from 'fs';
import { join } from 'path';
import type { HostTensor } from '../../plugin/graph/tensor';
import { parseModelPackage, type ModelPackage } from '../../plugin/model/modelPackage';
import { readSafetensors } from '../../plugin/model/safetensors';

export const FIXTURES = join(__dirname, '..', 'fixtures');

export function fixturePackage(name: string): ModelPackage {
  const dir = join(FIXTURES, 'packages', name);
  return parseModelPackage(
    readFileSync(join(dir, 'model.json'), 'utf8'),
    new Uint8Array(readFileSync(join(dir, 'weights.safetensors'))),
  );
}

/** Tensors and settings the official code produced on a fixture checkpoint (models/recipes/make_reference.py). */
export interface Reference<M> {
  tensors: Map<string, HostTensor>;
  meta: M;
  /** One tensor; a name the file lacks fails the test, naming the file (never an `undefined` compared by chance). */
  tensor(key: string): HostTensor;
}

/** A reference's files; a missing file fails the suite (ENOENT with its path): a comparison is never skipped. */
export function reference<M = ReferenceMeta>(name: string): Reference<M> {
  const file = join(FIXTURES, 'reference', `${name}.safetensors`);
  const tensors = readSafetensors(new Uint8Array(readFileSync(file)));
  return {
    tensors,
    meta: JSON.parse(readFileSync(join(FIXTURES, 'reference', `${name}.json`), 'utf8')) as M,
    tensor(key) {
      const t = tensors.get(key);
      if (!t) throw new Error(`${file} has no tensor "${key}": remake it with its recipe in models/recipes`);
      return t;
    },
  };
}

type RowCol = [number, number];

export interface DragReference {
  tracked_points: RowCol[][];
  loss: number[];
  lr?: number;
}

export interface ReferenceMeta {
  seed: number;
  truncation_psi: number;
  feature_idx: number;
  lr: number;
  steps: number;
  num_optimised_ws: number;
  handles: RowCol[];
  targets: RowCol[];
  mask: { flexible_rect: { row0: number; row1: number; col0: number; col1: number } };
  drag: DragReference;
  drag_mask: DragReference;
  drag_fast: DragReference;
}

/** What models/recipes/make_stylegan3_reference.py records beside its tensors. */
export interface StyleGan3ReferenceMeta {
  feature_idx: number;
  /** Every layer's output shape, [1, C, size, size]. */
  feature_sizes: number[][];
  r1: number;
  r2: number;
  lr: number;
  handles: RowCol[];
  targets: RowCol[];
  drag: DragReference;
  drag_fast: DragReference;
}

/** Row `k` of a stacked tensor [K, ...rest] as a tensor of shape `shape`. */
export function row(t: HostTensor, k: number, shape: number[]): HostTensor {
  const n = t.data.length / t.shape[0];
  return { shape, data: t.data.slice(k * n, (k + 1) * n) };
}

/** Relative L2 error |a - b| / |b|. */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let e = 0;
  let r = 0;
  for (let i = 0; i < b.length; i++) {
    e += (a[i] - b[i]) ** 2;
    r += b[i] ** 2;
  }
  return Math.sqrt(e / r);
}
