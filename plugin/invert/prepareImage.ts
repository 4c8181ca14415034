import { centredBox } from '../codecs/centredBox';
import type { CropBox } from '../codecs/image8';
import { hostTensor, type HostTensor } from '../graph/tensor';
import { axisTaps } from './resample';
import { checkRgbImage, type RgbImage } from './rgbImage';

/**
 * The part of a width x height image a model of `resolution` x `modelWidth` sees: its largest centred box of the
 * model's aspect. Without a person detector this is StyleGAN-Human's framing too (a full-body person centred at 1:2).
 */
export function modelCrop(width: number, height: number, resolution: number, modelWidth = resolution): CropBox {
  const box = centredBox(width, height, modelWidth, resolution);
  return { x: box.x, y: box.y, size: box.height, ...(box.width !== box.height ? { width: box.width } : {}) };
}

/**
 * Any RGB/RGBA image -> the projection target [1, 3, R, W] in [-1, 1] (the generator's range: v / 127.5 - 1), cut
 * from the image's largest centred box of the model's aspect (a square, or StyleGAN-Human's 1:2), so nothing is
 * squashed. Transparent pixels are composited over white, as a flattened export would show them.
 */
export function prepareImage(
  img: RgbImage,
  resolution: number,
  modelWidth = resolution,
): { target: HostTensor; crop: CropBox } {
  checkRgbImage(img);
  const crop = modelCrop(img.width, img.height, resolution, modelWidth);
  const box = { x: crop.x, y: crop.y, width: crop.width ?? crop.size, height: crop.size };
  const { width, channels, data } = img;
  const alpha = channels === 4;
  const rows = axisTaps(box.height, resolution);
  const cols = axisTaps(box.width, modelWidth);
  const plane = resolution * modelWidth;
  const out = new Float32Array(3 * plane);
  // rows first into a [R, box width, 3] buffer, then columns: separable, so O(R * size) per axis
  const tmp = new Float64Array(resolution * box.width * 3);
  for (let oy = 0; oy < resolution; oy++) {
    const ri = rows.index[oy];
    const rw = rows.weight[oy];
    for (let k = 0; k < ri.length; k++) {
      const w = rw[k];
      const srcRow = (crop.y + ri[k]) * width;
      for (let x = 0; x < box.width; x++) {
        const p = (srcRow + crop.x + x) * channels;
        const a = alpha ? data[p + 3] / 255 : 1;
        const t = (oy * box.width + x) * 3;
        for (let c = 0; c < 3; c++) tmp[t + c] += w * (data[p + c] * a + 255 * (1 - a));
      }
    }
  }
  for (let oy = 0; oy < resolution; oy++) {
    for (let ox = 0; ox < modelWidth; ox++) {
      const ci = cols.index[ox];
      const cw = cols.weight[ox];
      for (let c = 0; c < 3; c++) {
        let v = 0;
        for (let k = 0; k < ci.length; k++) v += cw[k] * tmp[(oy * box.width + ci[k]) * 3 + c];
        out[c * plane + oy * modelWidth + ox] = v / 127.5 - 1;
      }
    }
  }
  return { target: hostTensor([1, 3, resolution, modelWidth], out), crop };
}
