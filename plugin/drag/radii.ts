/** Python's round(): halves go to the even neighbour, as the official code's round(r / 512 * res) does. */
export function pyRound(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** A radius given at 512 px, scaled to the model's resolution (at least 1 pixel). */
export function scaledRadius(r512: number, resolution: number): number {
  return Math.max(1, pyRound((r512 / 512) * resolution));
}
