/** The k-th smallest value (Hoare's selection; reorders the array in place). */
function select(v: Float32Array, k: number): number {
  let lo = 0;
  let hi = v.length - 1;
  while (hi > lo) {
    const pivot = v[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (v[i] < pivot) i++;
      while (v[j] > pivot) j--;
      if (i <= j) {
        const t = v[i];
        v[i] = v[j];
        v[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return v[k];
  }
  return v[k];
}

/** numpy's median of one channel of interleaved RGB (the mean of the two middle values when the count is even). */
export function channelMedian(data: Float32Array, channel: number): number {
  const n = data.length / 3;
  if (n === 0) throw new Error('median of no pixels');
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = data[3 * i + channel];
  const upper = select(v, n >> 1);
  if (n % 2 === 1) return upper;
  // after selecting index n/2 everything below it is <= it: the lower middle is the largest of that part
  let lower = -Infinity;
  for (let i = 0; i < n >> 1; i++) if (v[i] > lower) lower = v[i];
  return (lower + upper) / 2;
}
