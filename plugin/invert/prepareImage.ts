import { centredSquare, type CropBox } from '../codecs/image8';
import { hostTensor, type HostTensor } from '../graph/tensor';
import { axisTaps } from './resample';
import { checkRgbImage, type RgbImage } from './rgbImage';

/**
 * Any RGB/RGBA image -> the projection target [1, 3, R, R] in [-1, 1] (the generator's range: v / 127.5 - 1).
 * Transparent pixels are composited over white, as a flattened export would show them.
 */
export function prepareImage(img: RgbImage, resolution: number): { target: HostTensor; crop: CropBox } {
  checkRgbImage(img);
  const crop = centredSquare(img.width, img.height);
  const { width, channels, data } = img;
  const alpha = channels === 4;
  const rows = axisTaps(crop.size, resolution);
  const cols = axisTaps(crop.size, resolution);
  const plane = resolution * resolution;
  const out = new Float32Array(3 * plane);
  // rows first into a [R, size, 3] buffer, then columns: separable, so O(R * size) per axis
  const tmp = new Float64Array(resolution * crop.size * 3);
  for (let oy = 0; oy < resolution; oy++) {
    const ri = rows.index[oy];
    const rw = rows.weight[oy];
    for (let k = 0; k < ri.length; k++) {
      const w = rw[k];
      const srcRow = (crop.y + ri[k]) * width;
      for (let x = 0; x < crop.size; x++) {
        const p = (srcRow + crop.x + x) * channels;
        const a = alpha ? data[p + 3] / 255 : 1;
        const t = (oy * crop.size + x) * 3;
        for (let c = 0; c < 3; c++) tmp[t + c] += w * (data[p + c] * a + 255 * (1 - a));
      }
    }
  }
  for (let oy = 0; oy < resolution; oy++) {
    for (let ox = 0; ox < resolution; ox++) {
      const ci = cols.index[ox];
      const cw = cols.weight[ox];
      for (let c = 0; c < 3; c++) {
        let v = 0;
        for (let k = 0; k < ci.length; k++) v += cw[k] * tmp[(oy * crop.size + ci[k]) * 3 + c];
        out[c * plane + oy * resolution + ox] = v / 127.5 - 1;
      }
    }
  }
  return { target: hostTensor([1, 3, resolution, resolution], out), crop };
}
