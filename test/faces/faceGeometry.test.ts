/**
 * The small pieces under the face path: the border fill's blur and median (plugin/faces/gaussianBlur.ts,
 * median.ts), when the FFHQ recipe pads (ffhqPad.ts), the affine helpers and the plain square crop's transform.
 */
import { applyAffine, composeAffine, invertAffine } from '../../plugin/faces/affine';
import { ffhqPadding } from '../../plugin/faces/ffhqPad';
import { gaussianBlur } from '../../plugin/faces/gaussianBlur';
import { channelMedian } from '../../plugin/faces/median';
import { rgbFloat } from '../../plugin/faces/rgbFloat';
import { squareCropToPhoto } from '../../plugin/faces/squareCrop';

describe('face geometry helpers', () => {
  it('blurs like a Gaussian of the asked sigma (three box passes), keeping the total', () => {
    for (const sigma of [1.5, 4, 8, 8.5, 12.5, 30]) {
      const n = 301;
      const img = rgbFloat(n, n);
      const mid = (n - 1) / 2;
      img.data[3 * (mid * n + mid) + 1] = 1000;
      const out = gaussianBlur(img, sigma);
      let sum = 0;
      let second = 0;
      for (let y = 0; y < n; y++) {
        for (let x = 0; x < n; x++) {
          const v = out.data[3 * (y * n + x) + 1];
          sum += v;
          second += v * (x - mid) * (x - mid);
        }
      }
      const sd = Math.sqrt(second / sum);
      console.log(`blur sigma ${sigma}: measured ${sd.toFixed(3)}`);
      expect(sum).toBeCloseTo(1000, 1);
      expect(Math.abs(sd - sigma) / sigma).toBeLessThan(sigma <= 8 ? 0.005 : 0.03);
      expect(out.data[3 * (mid * n + mid)]).toBe(0);
    }
  });

  it('takes the median as numpy does (the mean of the middle two for an even count)', () => {
    const odd = Float32Array.from([9, 1, 7, 3, 5].flatMap((v) => [v, -v, 0]));
    expect(channelMedian(odd, 0)).toBe(5);
    expect(channelMedian(odd, 1)).toBe(-5);
    const even = Float32Array.from([4, 1, 8, 2, 2, 9].flatMap((v) => [0, 0, v]));
    expect(channelMedian(even, 2)).toBe(3);
    const many = Float32Array.from({ length: 3 * 10001 }, (_, i) => ((i * 7919) % 10001) / 3);
    const sorted = Array.from({ length: 10001 }, (_, i) => many[3 * i]).sort((a, b) => a - b);
    expect(channelMedian(many, 0)).toBe(sorted[5000]);
  });

  it('pads only when the square comes within 4 px of the edge, then by at least 30% of the face on every side', () => {
    const inside = [
      { x: 20, y: 20 },
      { x: 20, y: 80 },
      { x: 80, y: 80 },
      { x: 80, y: 20 },
    ];
    expect(ffhqPadding(inside, 100, 100, 60, 10)).toEqual([0, 0, 0, 0]);
    // 5 px from the edge: the script leaves it (the border crop has room); 3 px: it pads
    expect(
      ffhqPadding(
        inside.map((p) => ({ x: p.x - 15, y: p.y })),
        100,
        100,
        60,
        10,
      ),
    ).toEqual([0, 0, 0, 0]);
    expect(
      ffhqPadding(
        inside.map((p) => ({ x: p.x - 17, y: p.y })),
        100,
        100,
        60,
        10,
      ),
    ).toEqual([18, 18, 18, 18]);
    const far = inside.map((p) => ({ x: p.x - 45, y: p.y }));
    expect(ffhqPadding(far, 100, 100, 60, 10)).toEqual([35, 18, 18, 18]);
  });

  it('inverts and composes affine maps; a square crop maps model pixel centres onto the photo pixels they cover', () => {
    const t = { a: 2, b: -0.5, c: 10, d: 0.3, e: 1.5, f: -4 };
    const id = composeAffine(invertAffine(t), t);
    for (const [k, v] of Object.entries({ a: 1, b: 0, c: 0, d: 0, e: 1, f: 0 }))
      expect(id[k as keyof typeof id]).toBeCloseTo(v, 12);
    expect(() => invertAffine({ a: 1, b: 2, c: 0, d: 2, e: 4, f: 0 })).toThrow(/singular/);
    // a 512 px square at (100, 40) shown at 128 px: model pixel 0 covers photo pixels 100..103, centre 101.5
    const sq = squareCropToPhoto({ x: 100, y: 40, size: 512 }, 128);
    expect(applyAffine(sq, { x: 0, y: 0 })).toEqual({ x: 101.5, y: 41.5 });
    expect(applyAffine(sq, { x: 127, y: 127 })).toEqual({ x: 609.5, y: 549.5 });
  });
});
