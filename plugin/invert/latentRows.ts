/** One w [w_dim] repeated for every W+ row: [num_ws * w_dim]. */
export function repeatRows(w: Float32Array, n: number): Float32Array {
  const out = new Float32Array(n * w.length);
  for (let r = 0; r < n; r++) out.set(w, r * w.length);
  return out;
}

/** A W+ gradient [n * w_dim] summed over the rows: the gradient for one w shared by every row. */
export function sumRows(g: Float32Array, n: number, wd: number): Float32Array {
  const out = new Float32Array(wd);
  for (let r = 0; r < n; r++) for (let i = 0; i < wd; i++) out[i] += g[r * wd + i];
  return out;
}
