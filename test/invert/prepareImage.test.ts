import { centredSquare } from '../../plugin/codecs/image8';
import { InvertInputError } from '../../plugin/core/errors';
import { prepareImage } from '../../plugin/invert/prepareImage';
import type { RgbImage } from '../../plugin/invert/rgbImage';

/** An RGB image whose red channel is f(x, y) (in 8-bit levels), green 0, blue 255. */
function rgb(width: number, height: number, f: (x: number, y: number) => number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      data[(y * width + x) * 3] = f(x, y);
      data[(y * width + x) * 3 + 2] = 255;
    }
  }
  return { width, height, channels: 3, data };
}

/** Channel c of a prepared target as 8-bit levels, row-major. */
function levels(img: RgbImage, res: number, c = 0): number[] {
  const { target } = prepareImage(img, res);
  return Array.from(
    target.data.subarray(c * res * res, (c + 1) * res * res),
    (v) => Math.round((v + 1) * 127.5 * 1000) / 1000,
  );
}

test('the centred square of a wide or tall image', () => {
  expect(centredSquare(10, 4)).toEqual({ x: 3, y: 0, size: 4 });
  expect(centredSquare(4, 9)).toEqual({ x: 0, y: 2, size: 4 });
  expect(centredSquare(5, 5)).toEqual({ x: 0, y: 0, size: 5 });
});

test('a wide image keeps its centre: the crop, at the same size, is copied exactly and scaled to [-1, 1]', () => {
  const img = rgb(4, 2, (x, y) => 10 * x + 100 * y);
  expect(levels(img, 2)).toEqual([10, 20, 110, 120]);
  expect(levels(img, 2, 1)).toEqual([0, 0, 0, 0]);
  const { target } = prepareImage(img, 2);
  expect(target.shape).toEqual([1, 3, 2, 2]);
  expect(Array.from(target.data.subarray(8))).toEqual([1, 1, 1, 1]);
  expect(target.data[4]).toBe(-1);
});

test('shrinking by a whole factor averages each block (area filter)', () => {
  const img = rgb(4, 4, (x, y) => 16 * y + 4 * x);
  // block (0,0) holds 0, 4, 16, 20 -> 10
  expect(levels(img, 2)).toEqual([10, 18, 42, 50]);
});

test('shrinking by a fraction weighs each source pixel by its overlap, so no pixel is skipped', () => {
  // 3 -> 2: output 0 covers source [0, 1.5): 2/3 of pixel 0, 1/3 of pixel 1
  const img = rgb(3, 3, (x) => [0, 90, 180][x]);
  expect(levels(img, 2).map((v) => Math.round(v))).toEqual([30, 150, 30, 150]);
  // a constant image stays constant
  expect(
    new Set(
      levels(
        rgb(7, 7, () => 77),
        3,
      ),
    ),
  ).toEqual(new Set([77]));
});

test('enlarging is bilinear with half-pixel centres (torch align_corners=False)', () => {
  const img = rgb(2, 2, (x) => [0, 200][x]);
  expect(levels(img, 4).slice(0, 4)).toEqual([0, 50, 150, 200]);
});

test('transparent pixels are composited over white', () => {
  const data = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0, 51, 0, 0, 0, 255]);
  const { target } = prepareImage({ width: 2, height: 2, channels: 4, data }, 2);
  expect(Array.from(target.data.subarray(0, 4), (v) => Math.round((v + 1) * 127.5))).toEqual([255, 0, 204, 0]);
});

describe('images the projection cannot use get their own sentence', () => {
  const bad = (img: RgbImage, message: RegExp) => {
    expect(() => prepareImage(img, 8)).toThrow(InvertInputError);
    expect(() => prepareImage(img, 8)).toThrow(message);
  };
  test('empty', () => {
    bad({ width: 0, height: 0, channels: 3, data: new Uint8Array(0) }, /empty \(0x0 pixels\)/);
    bad({ width: 5, height: 0, channels: 4, data: new Uint8Array(0) }, /empty/);
  });
  test('1x1 and one-pixel-thin', () => {
    bad({ width: 1, height: 1, channels: 3, data: new Uint8Array(3) }, /1x1 pixels; it needs at least 2x2/);
    bad({ width: 1, height: 9, channels: 3, data: new Uint8Array(27) }, /1x9/);
  });
  test('not RGB', () => {
    bad({ width: 2, height: 2, channels: 1, data: new Uint8Array(4) }, /greyscale.*RGB/);
    bad({ width: 2, height: 2, channels: 2, data: new Uint8Array(8) }, /greyscale/);
    bad({ width: 2, height: 2, channels: 5, data: new Uint8Array(20) }, /5 channels/);
  });
  test('data that does not fit the size', () => {
    bad({ width: 2, height: 2, channels: 3, data: new Uint8Array(11) }, /11 values .* needs 12/);
    bad({ width: 2.5, height: 2, channels: 3, data: new Uint8Array(15) }, /not a valid size/);
  });
});
