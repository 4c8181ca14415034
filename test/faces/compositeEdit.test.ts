/**
 * Putting an edit back into the photo (plugin/faces/compositeEdit.ts): a synthetic face photo is aligned, its crop
 * stands in for the model's reconstruction R, and the "drag" is R moved by a known smooth displacement (the left eye
 * pushed to the right). The composite must keep the photo's own detail, move the eye by the right amount in photo
 * pixels, and leave every pixel outside its mask as it was.
 */
import { cropImage8, resampleImage8, type Image8 } from '../../plugin/codecs/image8';
import { applyAffine as applyAffineTo, applyLinear } from '../../plugin/faces/affine';
import { compositeEdit } from '../../plugin/faces/compositeEdit';
import { warpByFlow } from '../../plugin/faces/denseFlow';
import { ffhqAlign, type AlignedFace } from '../../plugin/faces/ffhqAlign';
import { FaceInputError } from '../../plugin/core/errors';
import { modelCrop } from '../../plugin/invert/prepareImage';
import { addBilinear, floatFromImage8, image8FromFloat } from '../../plugin/faces/rgbFloat';
import { squareCropToPhoto } from '../../plugin/faces/squareCrop';
import { decodePng } from '../../plugin/hosts/node/pngDecode';
import { readFileSync } from 'fs';
import { join } from 'path';
import { bumpFlow, renderLike } from './flowFixtures';
import { darkCentroid, drawFacePhoto, EYE, place, placedLandmarks, type Placement } from './syntheticFace';

const S = 256;
const T: Placement = { angle: 0.25, scale: 3.2, x: 700, y: 600 };
const photo = drawFacePhoto(1400, 1300, T);
const aligned: AlignedFace = ffhqAlign(photo, placedLandmarks(T), S);
const R = aligned.image;
const eyeAligned = (() => {
  const p = place({ x: -EYE, y: 0 }, T);
  const a = aligned.toAligned;
  return { x: a.a * p.x + a.b * p.y + a.c, y: a.d * p.x + a.e * p.y + a.f };
})();
/** The drag: content moves by -D, so D = (-6, 0) pushes the left eye 6 model pixels to the right. */
const PUSH = 6;
const E = image8FromFloat(
  warpByFlow(floatFromImage8(R), bumpFlow(S, eyeAligned.x, eyeAligned.y, 14, { x: -PUSH, y: 0 })),
);

// plain comparisons, no Math calls in the per-pixel loops (they are slow under Jest: plugin/faces/scalar.ts)
function maxDiff(a: Image8, b: Image8, where: (i: number) => boolean = () => true): number {
  let worst = 0;
  for (let i = 0; i < a.width * a.height; i++) {
    if (!where(i)) continue;
    for (let c = 0; c < 4; c++) {
      const d = a.data[4 * i + c] - b.data[4 * i + c];
      if (d > worst) worst = d;
      if (-d > worst) worst = -d;
    }
  }
  return worst;
}

/** Variance of the 4-neighbour Laplacian of the green channel over the pixels `where` picks: the high-frequency energy. */
function laplacianVariance(img: Image8, where: (i: number) => boolean): number {
  const w = img.width;
  const d = img.data;
  let s = 0;
  let s2 = 0;
  let n = 0;
  for (let y = 1; y < img.height - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      if (!where(i)) continue;
      const l = d[4 * (i - 1) + 1] + d[4 * (i + 1) + 1] + d[4 * (i - w) + 1] + d[4 * (i + w) + 1] - 4 * d[4 * i + 1];
      s += l;
      s2 += l * l;
      n++;
    }
  }
  return s2 / n - (s / n) * (s / n);
}

/** The naive way back: the model's edited output, up-sampled (bilinear) through the alignment and pasted under the mask. */
function pasteUpscaled(mask: Uint8ClampedArray): Image8 {
  const out: Image8 = { width: photo.width, height: photo.height, data: new Uint8ClampedArray(photo.data) };
  const e = floatFromImage8(E);
  const t = aligned.toAligned;
  const last = S - 1.001;
  for (let y = 0; y < photo.height; y++) {
    for (let x = 0; x < photo.width; x++) {
      const i = y * photo.width + x;
      if (mask[i] === 0) continue;
      let ax = t.a * x + t.b * y + t.c;
      let ay = t.d * x + t.e * y + t.f;
      ax = ax < 0 ? 0 : ax > last ? last : ax;
      ay = ay < 0 ? 0 : ay > last ? last : ay;
      const x0 = ax | 0;
      const y0 = ay | 0;
      const fx = ax - x0;
      const fy = ay - y0;
      for (let c = 0; c < 3; c++) {
        const p = 3 * (y0 * S + x0) + c;
        const up =
          (1 - fy) * ((1 - fx) * e.data[p] + fx * e.data[p + 3]) +
          fy * ((1 - fx) * e.data[p + 3 * S] + fx * e.data[p + 3 * S + 3]);
        out.data[4 * i + c] = photo.data[4 * i + c] + (mask[i] / 255) * (up - photo.data[4 * i + c]);
      }
    }
  }
  return out;
}

describe('compositing an edit back into the photo', () => {
  it('a drag of zero steps gives the photo back (exactly; within 1 level with render noise)', () => {
    const same = compositeEdit(photo, aligned.toPhoto, R, { ...R, data: new Uint8ClampedArray(R.data) });
    const exact = maxDiff(same.image, photo);
    // the same latent rendered on another backend differs by a level or two here and there
    const noisy = { ...R, data: R.data.map((v, i) => (i % 4 === 3 ? v : v + ((i * 7919) % 5) - 2)) };
    const renderNoise = compositeEdit(photo, aligned.toPhoto, R, noisy);
    const withNoise = maxDiff(renderNoise.image, photo);
    console.log(
      `zero-step drag: max difference from the photo ${exact} levels (E == R), ${withNoise} levels (E = R + render noise of +-2); bounds ${JSON.stringify(same.bounds)}`,
    );
    expect(exact).toBe(0);
    expect(same.bounds).toBeNull();
    expect(withNoise).toBeLessThanOrEqual(1);
  });

  it("keeps the photo's detail where the edit moved it, moves the eye by the drag, and nothing outside the mask changes", () => {
    const t0 = Date.now();
    const out = compositeEdit(photo, aligned.toPhoto, R, E);
    const ms = Date.now() - t0;
    expect(out.bounds).not.toBeNull();
    const inMask = (i: number): boolean => out.mask.data[i] === 255;
    const outside = (i: number): boolean => out.mask.data[i] === 0;
    const full = out.mask.data.reduce((n, v) => n + (v === 255 ? 1 : 0), 0);
    const touched = out.mask.data.reduce((n, v) => n + (v > 0 ? 1 : 0), 0);

    const original = laplacianVariance(photo, inMask);
    const kept = laplacianVariance(out.image, inMask);
    const pasted = laplacianVariance(pasteUpscaled(out.mask.data), inMask);
    console.log(
      `edit composited in ${ms} ms; mask: ${full} px full, ${touched} px touched of ${photo.width * photo.height}, bounds ${JSON.stringify(out.bounds)}\n` +
        `high-frequency energy (variance of the Laplacian) in the edited region: photo ${original.toFixed(1)}, composite ${kept.toFixed(1)} (${((100 * kept) / original).toFixed(1)}%), pasted upscaled model output ${pasted.toFixed(1)} (${((100 * pasted) / original).toFixed(1)}%)`,
    );
    expect(kept / original).toBeGreaterThanOrEqual(0.8);
    expect(pasted / original).toBeLessThan(0.3);

    // the eye moved as far as it moved in the model's images, carried into photo pixels through the alignment
    const inModel = (() => {
      const a = darkCentroid(R, eyeAligned, 12);
      const b = darkCentroid(E, { x: eyeAligned.x + PUSH, y: eyeAligned.y }, 12);
      return { x: b.x - a.x, y: b.y - a.y };
    })();
    const want = applyLinear(aligned.toPhoto, inModel);
    const before = place({ x: -EYE, y: 0 }, T);
    const after = darkCentroid(out.image, { x: before.x + want.x, y: before.y + want.y }, 35);
    const moved = { x: after.x - before.x, y: after.y - before.y };
    const err = Math.hypot(moved.x - want.x, moved.y - want.y);
    console.log(
      `left eye: moved (${inModel.x.toFixed(2)}, ${inModel.y.toFixed(2)}) model px by the drag, so (${want.x.toFixed(2)}, ${want.y.toFixed(2)}) photo px; ` +
        `moved (${moved.x.toFixed(2)}, ${moved.y.toFixed(2)}) in the composite: off by ${err.toFixed(2)} px (${((100 * err) / Math.hypot(want.x, want.y)).toFixed(1)}%)`,
    );
    expect(Math.hypot(want.x, want.y)).toBeGreaterThan(12);
    expect(err).toBeLessThan(0.05 * Math.hypot(want.x, want.y));
    // the right eye, far from the drag, is where it was
    const right = place({ x: EYE, y: 0 }, T);
    const rightAfter = darkCentroid(out.image, right, 35);
    expect(Math.hypot(rightAfter.x - right.x, rightAfter.y - right.y)).toBeLessThan(0.05);

    // outside the feathered mask: the input's own bytes
    expect(maxDiff(out.image, photo, outside)).toBe(0);
    // and the mask hugs the change: a small part of the aligned square's footprint
    expect(touched).toBeLessThan(0.25 * (aligned.quad.size * aligned.quad.size));
    // the layer a host puts at `bounds` carries the edited pixels where the mask is full
    const b = out.bounds!;
    const layer = out.layer!;
    expect([layer.width, layer.height]).toEqual([b.width, b.height]);
    let worst = 0;
    for (let y = 0; y < b.height; y++) {
      for (let x = 0; x < b.width; x++) {
        const i = (b.y + y) * photo.width + b.x + x;
        if (out.mask.data[i] === 255)
          for (let c = 0; c < 4; c++)
            worst = Math.max(worst, Math.abs(layer.data[4 * (y * b.width + x) + c] - out.image.data[4 * i + c]));
      }
    }
    expect(worst).toBe(0);
  });

  it("on a real drag of the bundled model: a flow smooth at the model's pixel scale (no grain streaks), the detail kept", () => {
    // the model's 128 px render as a 512 px "photo" (bilinear, plus grain), and a real drag of it
    const fixture = (name: string): Image8 => {
      const r = decodePng(new Uint8Array(readFileSync(join(__dirname, '..', 'fixtures', 'faces', name))));
      const data = new Uint8ClampedArray(r.width * r.height * 4);
      for (let i = 0; i < r.width * r.height; i++) {
        for (let c = 0; c < 3; c++) data[4 * i + c] = r.data[r.channels * i + c];
        data[4 * i + 3] = 255;
      }
      return { width: r.width, height: r.height, data };
    };
    const render = fixture('bundled-seed0.png');
    const dragged = fixture('bundled-seed0-dragged.png');
    const k = 4;
    const toPhoto = squareCropToPhoto({ x: 0, y: 0, size: 128 * k }, 128);
    const big: Image8 = { width: 512, height: 512, data: new Uint8ClampedArray(512 * 512 * 4) };
    const up = floatFromImage8(render);
    for (let y = 0; y < 512; y++) {
      for (let x = 0; x < 512; x++) {
        const i = y * 512 + x;
        const px = new Float64Array(3);
        addBilinear(up, (x - toPhoto.c) / k, (y - toPhoto.f) / k, 1, px, 0);
        const grain = (((i * 2654435761) >>> 0) % 31) - 15;
        for (let c = 0; c < 3; c++) big.data[4 * i + c] = px[c] + grain;
        big.data[4 * i + 3] = 255;
      }
    }
    const out = compositeEdit(big, toPhoto, render, dragged);
    const full = (i: number): boolean => out.mask.data[i] === 255;
    const hf = laplacianVariance(out.image, full) / laplacianVariance(big, full);
    // a flow that follows the re-rendered GAN texture pixel by pixel takes neighbouring photo pixels from scattered
    // sources: visible streaks in the grain (raw 5x5 Lucas-Kanade here: mean |Laplacian| 0.22 model px)
    const f = out.flow;
    let rough = 0;
    for (let y = 1; y < 127; y++) {
      for (let x = 1; x < 127; x++) {
        const i = y * 128 + x;
        rough +=
          Math.abs(4 * f.dx[i] - f.dx[i - 1] - f.dx[i + 1] - f.dx[i - 128] - f.dx[i + 128]) +
          Math.abs(4 * f.dy[i] - f.dy[i - 1] - f.dy[i + 1] - f.dy[i - 128] - f.dy[i + 128]);
      }
    }
    rough /= 126 * 126;
    console.log(
      `real drag: flow roughness (mean |Laplacian|) ${rough.toFixed(3)} model px; high-frequency energy kept ${(100 * hf).toFixed(1)}%, bounds ${JSON.stringify(out.bounds)}`,
    );
    expect(rough).toBeLessThan(0.08);
    expect(hf).toBeGreaterThan(0.8);
  });

  it('adds what the displacement cannot explain (new content), low-passed, where the model drew it', () => {
    // a dark spot on the cheek that the reconstruction does not have: no motion explains it
    const spot = { x: eyeAligned.x + 10, y: eyeAligned.y + 45 };
    const withSpot = { ...R, data: new Uint8ClampedArray(R.data) };
    for (let y = -6; y <= 6; y++) {
      for (let x = -6; x <= 6; x++) {
        if (x * x + y * y > 25) continue;
        const o = 4 * ((Math.round(spot.y) + y) * S + Math.round(spot.x) + x);
        for (let c = 0; c < 3; c++) withSpot.data[o + c] = 30;
      }
    }
    const out = compositeEdit(photo, aligned.toPhoto, R, withSpot);
    const at = aligned.toPhoto;
    const p = {
      x: Math.round(at.a * spot.x + at.b * spot.y + at.c),
      y: Math.round(at.d * spot.x + at.e * spot.y + at.f),
    };
    const i = 4 * (p.y * photo.width + p.x);
    const before = (photo.data[i] + photo.data[i + 1] + photo.data[i + 2]) / 3;
    const after = (out.image.data[i] + out.image.data[i + 1] + out.image.data[i + 2]) / 3;
    console.log(
      `new content: the spot's centre went from ${before.toFixed(0)} to ${after.toFixed(0)} (drawn at 30 by the model)`,
    );
    expect(after).toBeLessThan(60);
    expect(before).toBeGreaterThan(120);
  });

  it('composites a 512 px edit into a 12-megapixel photo in a few seconds', () => {
    const t: Placement = { angle: -0.15, scale: 6.5, x: 2000, y: 1400 };
    const big = drawFacePhoto(4000, 3000, t);
    let t0 = Date.now();
    const face = ffhqAlign(big, placedLandmarks(t), 512);
    const alignMs = Date.now() - t0;
    const eye = applyAffineTo(face.toAligned, place({ x: -EYE, y: 0 }, t));
    const edited = image8FromFloat(
      warpByFlow(floatFromImage8(face.image), bumpFlow(512, eye.x, eye.y, 28, { x: -12, y: 0 })),
    );
    t0 = Date.now();
    const out = compositeEdit(big, face.toPhoto, face.image, edited);
    const ms = Date.now() - t0;
    console.log(
      `12 MP photo (4000x3000), face ${face.quad.size.toFixed(0)} px: aligned to 512 px in ${alignMs} ms; 512 px pair composited in ${ms} ms (bounds ${JSON.stringify(out.bounds)})`,
    );
    expect(out.bounds).not.toBeNull();
    // generous for a shared 2-core machine; the figure printed is the one to read
    expect(ms).toBeLessThan(20000);
  });

  it("keeps the edit inside the user's selection", () => {
    const sel = { width: photo.width, height: photo.height, data: new Uint8ClampedArray(photo.width * photo.height) };
    const eye = place({ x: -EYE, y: 0 }, T);
    // only the half of the picture left of the eye's centre may change
    for (let y = 0; y < photo.height; y++)
      for (let x = 0; x < Math.floor(eye.x); x++) sel.data[y * photo.width + x] = 255;
    const out = compositeEdit(photo, aligned.toPhoto, R, E, { selection: sel });
    expect(maxDiff(out.image, photo, (i) => sel.data[i] === 0)).toBe(0);
    expect(maxDiff(out.image, photo)).toBeGreaterThan(20);
    expect(out.bounds!.x + out.bounds!.width).toBeLessThanOrEqual(Math.floor(eye.x));
  });

  it('refuses inputs that do not fit together', () => {
    const small = { width: 128, height: 128, data: new Uint8ClampedArray(128 * 128 * 4) };
    expect(() => compositeEdit(photo, aligned.toPhoto, R, small)).toThrow(FaceInputError);
    expect(() => compositeEdit(photo, aligned.toPhoto, R, small)).toThrow(/must be the same size/);
    expect(() =>
      compositeEdit(photo, aligned.toPhoto, R, E, {
        selection: { width: 10, height: 10, data: new Uint8ClampedArray(100) },
      }),
    ).toThrow(/selection \(10x10\) must cover the photo \(1400x1300\)/);
  });
});

describe("a portrait model's edit (W x H, as StyleGAN-Human's 1:2) composited into the photo like a square one", () => {
  // a 200 x 300 photo; the model (64 x 128) saw its centred 1:2 box, resized by one factor across and down
  const photo = (() => {
    const full = image8FromFloat(renderLike(300, 3));
    return cropImage8(full, { x: 50, y: 0, width: 200, height: 300 });
  })();
  const crop = modelCrop(photo.width, photo.height, 128, 64);
  const toPhoto = squareCropToPhoto(crop, 128);
  const R = resampleImage8(cropImage8(photo, { x: crop.x, y: crop.y, width: crop.width!, height: crop.size }), 64, 128);

  it('a drag of zero steps gives the photo back (exactly; within 1 level with render noise)', () => {
    const same = compositeEdit(photo, toPhoto, R, { ...R, data: new Uint8ClampedArray(R.data) });
    expect(maxDiff(same.image, photo)).toBe(0);
    expect(same.bounds).toBeNull();
    const noisy = { ...R, data: R.data.map((v, i) => (i % 4 === 3 ? v : v + ((i * 7919) % 5) - 2)) };
    expect(maxDiff(compositeEdit(photo, toPhoto, R, noisy).image, photo)).toBeLessThanOrEqual(1);
  });

  it("an edit low in the portrait lands where it was made; outside the feathered mask, the photo's own bytes", () => {
    // a green block at model pixels (40..45, 100..105): below the first 64 rows, so a square's indexing would miss it
    const E = { ...R, data: new Uint8ClampedArray(R.data) };
    for (let y = 100; y < 106; y++) for (let x = 40; x < 46; x++) E.data.set([0, 255, 0, 255], (y * 64 + x) * 4);
    const out = compositeEdit(photo, toPhoto, R, E);
    const at = applyAffineTo(toPhoto, { x: 42.5, y: 102.5 });
    const i = Math.round(at.y) * photo.width + Math.round(at.x);
    expect(out.mask.data[i]).toBe(255);
    expect(out.image.data[4 * i + 1] - out.image.data[4 * i]).toBeGreaterThan(100);
    expect(maxDiff(out.image, photo, (j) => out.mask.data[j] === 0)).toBe(0);
    // the mask hugs the edit: nothing near the top of the portrait, nothing beside its box
    const b = out.bounds!;
    const top = applyAffineTo(toPhoto, { x: 42.5, y: 60 });
    expect(b.y).toBeGreaterThan(top.y);
    expect(b.x).toBeGreaterThanOrEqual(crop.x);
    expect(b.x + b.width).toBeLessThanOrEqual(crop.x + crop.width!);
  });
});
