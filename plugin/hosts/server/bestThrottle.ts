/**
 * Paces the best-fit events of a streamed inversion: each carries a whole latent (a 1024 px model's is ~50 KB
 * base64), while a GPU runs tens of steps a second. Time, not a step count, is what a Stop loses, so the pace is
 * by the clock: at most one per interval, the first at once (an early Stop still keeps something).
 */
export function bestThrottle(intervalMs: number, now: () => number = Date.now): { due(): boolean } {
  let last = -Infinity;
  return {
    due() {
      const t = now();
      if (t - last < intervalMs) return false;
      last = t;
      return true;
    },
  };
}
