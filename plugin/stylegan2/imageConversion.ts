import type { Image8 } from '../codecs/image8';
import type { HostTensor } from '../graph/tensor';

/**
 * The official conversion of a generator image to 8-bit RGBA: (x * 127.5 + 128), clamped to [0, 255], truncated.
 * Input [1, 3, H, W] (or [1, 1, H, W], shown as grey); output H*W*4 bytes.
 */
export function toRgba8(img: HostTensor): Image8 {
  const [, c, h, w] = img.shape;
  const out = new Uint8ClampedArray(h * w * 4);
  const plane = h * w;
  for (let i = 0; i < plane; i++) {
    for (let ch = 0; ch < 3; ch++) {
      // float32 arithmetic, as torch does it, so values at a level boundary truncate the same way
      const v = Math.fround(Math.fround(img.data[(c === 1 ? 0 : ch) * plane + i] * 127.5) + 128);
      out[i * 4 + ch] = Math.trunc(Math.min(255, Math.max(0, v)));
    }
    out[i * 4 + 3] = 255;
  }
  return { width: w, height: h, data: out };
}
