import type { HostTensor } from '../graph/tensor';

/**
 * PSNR in dB of an image in [-1, 1] against a target, the image clamped as it would be displayed; the peak is the
 * full range 2, so this equals the usual 8-bit PSNR (peak 255) on the same pixels.
 */
export function psnr(img: HostTensor, target: HostTensor): number {
  const x = img.data;
  const y = target.data;
  let se = 0;
  for (let i = 0; i < x.length; i++) {
    const d = Math.min(1, Math.max(-1, x[i])) - y[i];
    se += d * d;
  }
  const mse = se / x.length;
  return mse === 0 ? Infinity : 10 * Math.log10(4 / mse);
}
