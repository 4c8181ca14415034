/** A dense float32 tensor living in host memory (row-major, C order). */
export interface HostTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function hostTensor(shape: readonly number[], data?: Float32Array): HostTensor {
  const n = numel(shape);
  const d = data ?? new Float32Array(n);
  if (d.length !== n)
    throw new Error(`tensor data has ${d.length} elements but shape [${shape.join(', ')}] needs ${n}`);
  return { shape: [...shape], data: d };
}
