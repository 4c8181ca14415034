/** The largest centred square of an image, resized to the model's resolution (the generator's images are square). */
import { resampleRgba, type Rgba } from '../../ui/rgba';

export function centreSquare(img: Rgba, resolution: number): Rgba {
  const side = Math.min(img.width, img.height);
  const left = Math.floor((img.width - side) / 2);
  const top = Math.floor((img.height - side) / 2);
  const data = new Uint8ClampedArray(side * side * 4);
  for (let y = 0; y < side; y++) data.set(img.data.subarray(((top + y) * img.width + left) * 4, ((top + y) * img.width + left + side) * 4), y * side * 4);
  return resampleRgba({ width: side, height: side, data }, resolution, resolution);
}
