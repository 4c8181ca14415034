/**
 * FFHQ alignment (plugin/faces/ffhqAlign.ts) on synthetic face photos whose eye and mouth positions are known: the
 * eyes land where the FFHQ recipe puts them, whatever the face's rotation, size and place in the photo, and the
 * transform it returns is the exact way between the two images.
 */
import { applyAffine } from '../../plugin/faces/affine';
import { FaceInputError } from '../../plugin/core/errors';
import { ffhqAlign } from '../../plugin/faces/ffhqAlign';
import { ffhqQuad } from '../../plugin/faces/ffhqQuad';
import type { Point } from '../../plugin/core/types';
import { darkCentroid, drawFacePhoto, EYE, MOUTH, place, placedLandmarks, type Placement } from './syntheticFace';

/**
 * Where the recipe puts a canonical point (eyes at (+-EYE, 0), mouth centre at (0, MOUTH)) at resolution S, worked
 * out by hand from the script: eye_to_eye = (2 EYE, 0) and eye_to_mouth = (0, MOUTH), so x = (2 EYE + MOUTH, 0) is
 * along the eye line; its length is max(2 |eye_to_eye|, 1.8 |eye_to_mouth|); the centre is 0.1 of the way to the
 * mouth; the output's edges are the square's edges.
 */
function canonical(p: Point, S: number): Point {
  const half = Math.max(2 * 2 * EYE, 1.8 * MOUTH);
  const c = { x: 0, y: 0.1 * MOUTH };
  return { x: ((p.x - c.x) / (2 * half)) * S + S / 2 - 0.5, y: ((p.y - c.y) / (2 * half)) * S + S / 2 - 0.5 };
}

function eyesIn(photoPlacement: Placement, width: number, height: number, S: number) {
  const photo = drawFacePhoto(width, height, photoPlacement);
  const t0 = Date.now();
  const aligned = ffhqAlign(photo, placedLandmarks(photoPlacement), S);
  const ms = Date.now() - t0;
  const want = [canonical({ x: -EYE, y: 0 }, S), canonical({ x: EYE, y: 0 }, S)];
  const got = want.map((w) => darkCentroid(aligned.image, w, S / 12));
  const err = Math.max(...got.map((g, i) => Math.hypot(g.x - want[i].x, g.y - want[i].y)));
  return { aligned, want, got, err, ms };
}

describe('FFHQ alignment', () => {
  it('puts the eyes at the recipe positions for a rotated, scaled, off-centre face (within 1 px)', () => {
    const cases: [string, Placement, number, number, number][] = [
      ['upright, small', { angle: 0, scale: 1, x: 200, y: 150 }, 400, 320, 128],
      ['rotated 20 deg, scaled 2', { angle: (20 * Math.PI) / 180, scale: 2, x: 420, y: 330 }, 800, 640, 256],
      ['rotated -35 deg, scaled 1.4', { angle: (-35 * Math.PI) / 180, scale: 1.4, x: 330, y: 260 }, 640, 560, 128],
      // a face over 4x the output per side: the box shrink runs first
      ['large: shrunk by 2 first', { angle: (10 * Math.PI) / 180, scale: 4.4, x: 700, y: 620 }, 1400, 1300, 128],
      ['at 512 px', { angle: (15 * Math.PI) / 180, scale: 3, x: 600, y: 520 }, 1200, 1100, 512],
    ];
    for (const [name, t, w, h, S] of cases) {
      const r = eyesIn(t, w, h, S);
      console.log(
        `${name}: ${w}x${h} photo -> ${S} px in ${r.ms} ms; eyes at (${r.got.map((g) => `${g.x.toFixed(2)}, ${g.y.toFixed(2)}`).join('), (')}), recipe (${r.want.map((g) => `${g.x.toFixed(2)}, ${g.y.toFixed(2)}`).join('), (')}): max error ${r.err.toFixed(3)} px`,
      );
      // the brief asks for 1 px; 0.35 also catches a half-pixel slip in the coordinate convention
      expect(r.err).toBeLessThan(0.35);
    }
  });

  it('maps photo -> aligned -> photo within 0.01 px, and the eyes of the photo onto the recipe positions', () => {
    const t: Placement = { angle: 0.3, scale: 1.7, x: 300, y: 280 };
    const S = 256;
    const { toPhoto, toAligned } = ffhqAlign(drawFacePhoto(600, 560, t), placedLandmarks(t), S);
    let worst = 0;
    for (let i = 0; i < 200; i++) {
      const p = { x: (i * 37) % 600, y: (i * 53) % 560 };
      const back = applyAffine(toPhoto, applyAffine(toAligned, p));
      worst = Math.max(worst, Math.hypot(back.x - p.x, back.y - p.y));
    }
    console.log(`round trip photo -> aligned -> photo: worst ${worst.toExponential(2)} px over 200 points`);
    expect(worst).toBeLessThan(0.01);
    // the transform itself (not only its inverse) is the recipe's: the eye centres go exactly to their places
    for (const q of [
      { x: -EYE, y: 0 },
      { x: EYE, y: 0 },
      { x: 0, y: MOUTH },
    ]) {
      const a = applyAffine(toAligned, place(q, t));
      const want = canonical(q, S);
      expect(Math.hypot(a.x - want.x, a.y - want.y)).toBeLessThan(1e-6);
    }
  });

  it('pads a face at the photo edge with the blurred, median-faded mirror (no black), eyes still in place', () => {
    // the face's square reaches far past the top-left corner
    const t: Placement = { angle: 0.2, scale: 1.5, x: 90, y: 80 };
    const r = eyesIn(t, 420, 380, 128);
    expect(r.err).toBeLessThan(1);
    const img = r.aligned.image;
    // the top-left corner of the crop lies outside the photo: filled, smooth, near the photo's median colour
    let min = 255;
    let sum = 0;
    let sq = 0;
    for (let y = 0; y < 10; y++) {
      for (let x = 0; x < 10; x++) {
        const v = img.data[4 * (y * 128 + x)];
        min = Math.min(min, v);
        sum += v;
        sq += v * v;
      }
    }
    const sd = Math.sqrt(sq / 100 - (sum / 100) ** 2);
    console.log(
      `padded corner: mean ${(sum / 100).toFixed(1)}, sd ${sd.toFixed(2)}, min ${min} (the photo's texture has sd ~25)`,
    );
    expect(min).toBeGreaterThan(80);
    expect(sd).toBeLessThan(6);
  });

  it('refuses landmarks it cannot align, saying why', () => {
    const t: Placement = { angle: 0, scale: 1, x: 200, y: 150 };
    const photo = drawFacePhoto(400, 320, t);
    const lm = placedLandmarks(t);
    const align = (l: Point[]) => () => ffhqAlign(photo, l, 128);
    expect(align(lm.slice(0, 67))).toThrow(FaceInputError);
    expect(align(lm.slice(0, 67))).toThrow(/68 landmarks in the iBUG 300-W order; got 67/);
    expect(align(lm.map((p, i) => (i === 40 ? { x: NaN, y: p.y } : p)))).toThrow(
      /landmark 40 is not a pair of finite numbers/,
    );
    expect(align(lm.map((p) => ({ x: p.x + 1000, y: p.y })))).toThrow(/landmark 36 .* lies outside the 400x320 photo/);
    const squashed = lm.map((p, i) => (i >= 36 && i < 48 ? { x: 200, y: 150 } : p));
    expect(align(squashed)).toThrow(/eye centres are 0.00 px apart/);
    expect(() => ffhqQuad(lm, 400, 320)).not.toThrow();
    expect(() => ffhqAlign({ width: 400, height: 320, data: new Uint8ClampedArray(10) }, lm, 128)).toThrow(
      /RGBA needs 512000/,
    );
  });
});
