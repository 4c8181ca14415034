/**
 * How far, in frames, a clip's edits are averaged (a Gaussian's sigma). Each frame's drag stops where its own stop
 * criterion or step cap meets it (0 to 116 steps on the 24-frame bench), so neighbouring edits differ by more than
 * the clip's motion: averaged over about 2 frames each side, a 24-frame clip's flicker fell from 1.5x the input's to
 * 1.01x, and the least landmark progress rose (0.51 -> 0.61), the stragglers lifted by their neighbours.
 */
export const EDIT_SMOOTHING_FRAMES = 2;

/**
 * A clip's per-frame edits (latent deltas, edited - inverted, consecutive frames in order) filtered across
 * neighbouring frames: a Gaussian of `sigma` frames, cut at 3 sigma and normalised over the frames there are, so an
 * edit that is the same on every frame comes back unchanged, the clip's ends included. sigma 0 returns copies.
 */
export function smoothEdits(deltas: readonly Float32Array[], sigma = EDIT_SMOOTHING_FRAMES): Float32Array[] {
  if (!(sigma >= 0)) throw new RangeError(`smoothing sigma ${sigma}: want 0 or more frames`);
  const reach = Math.ceil(3 * sigma);
  const weight = (k: number) => (sigma === 0 ? 1 : Math.exp(-(k * k) / (2 * sigma * sigma)));
  return deltas.map((d, f) => {
    const out = new Float32Array(d.length);
    let total = 0;
    for (let g = Math.max(0, f - reach); g <= Math.min(deltas.length - 1, f + reach); g++) {
      if (deltas[g].length !== d.length)
        throw new RangeError(`edit ${g} has ${deltas[g].length} values, edit ${f} ${d.length}: one latent shape`);
      const w = weight(g - f);
      total += w;
      for (let i = 0; i < d.length; i++) out[i] += w * deltas[g][i];
    }
    for (let i = 0; i < d.length; i++) out[i] /= total;
    return out;
  });
}
