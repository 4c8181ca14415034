import { readFileSync } from 'fs';
import { join } from 'path';
import { FeatureGeometry } from '../../plugin/drag/bilinear';
import { lossSupport } from '../../plugin/drag/lossSupport';
import { MotionSupervision, officialPulls } from '../../plugin/drag/motionSupervision';
import { scaledRadius } from '../../plugin/drag/radii';
import { trackPoint } from '../../plugin/drag/tracking';
import { blockResolutions, type ModelConfig } from '../../plugin/stylegan2/config';
import { chooseWindows } from '../../plugin/stylegan2/featureWindows';
import { randn } from '../helpers/random';

/**
 * The boxes a windowed step computes must hold every feature pixel tracking and motion supervision read. With
 * NaN everywhere outside the boxes, any read outside would poison the result.
 */
test.each([
  [128, 32, 1, 3],
  [128, 32, 3, 9],
  [64, 64, 1, 3],
])(
  'image %i px, features %i px, r1 %i, r2 %i: tracking and the motion loss read only inside the boxes',
  (res, fres, r1, r2) => {
    const channels = 3;
    const geo = new FeatureGeometry(channels, fres, fres, res, res);
    const f = randn(channels * fres * fres, 11);
    const handles = [
      { x: 0, y: 0 },
      { x: res - 1, y: 5 },
      { x: Math.floor(res / 2), y: res - 2 },
      { x: 37, y: 41 },
    ];
    const req = lossSupport(geo, handles, r1, r2);
    const masked = new Float32Array(f.length).fill(NaN);
    for (const bx of req.boxes) {
      expect(bx.y1 - bx.y0).toBeLessThanOrEqual(req.size);
      expect(bx.x1 - bx.x0).toBeLessThanOrEqual(req.size);
      for (let c = 0; c < channels; c++)
        for (let y = bx.y0; y < bx.y1; y++)
          for (let x = bx.x0; x < bx.x1; x++) masked[(c * fres + y) * fres + x] = f[(c * fres + y) * fres + x];
    }
    const motion = new MotionSupervision(geo);
    handles.forEach((p) => {
      const ref = Float64Array.from({ length: channels }, (_, c) => f[c * fres * fres]);
      expect(trackPoint(geo, masked, ref, p, r2)).toEqual(trackPoint(geo, f, ref, p, r2));
      // The motion disc sits around wherever tracking lands: anywhere in the square of radius r2.
      for (let dy = -r2; dy <= r2; dy += r2) {
        for (let dx = -r2; dx <= r2; dx += r2) {
          const q = { x: Math.min(res - 1, Math.max(0, p.x + dx)), y: Math.min(res - 1, Math.max(0, p.y + dy)) };
          for (const target of [
            { x: q.x + 9, y: q.y - 4 },
            { x: q.x - 5, y: q.y + 7 },
          ]) {
            const d1 = new Float32Array(f.length);
            const d2 = new Float32Array(f.length);
            const l1 = motion.accumulate(masked, officialPulls([q], [target], r1), d1);
            expect(Number.isFinite(l1)).toBe(true);
            expect(l1).toBe(motion.accumulate(f, officialPulls([q], [target], r1), d2));
          }
        }
      }
    });
  },
);

test('on the bundled model with its defaults (16 px feature block) the windows would be the whole map: the whole path runs', () => {
  const cfg = JSON.parse(
    readFileSync(join(__dirname, '..', '..', 'models', 'bundled', 'model.json'), 'utf8'),
  ) as ModelConfig;
  const fres = blockResolutions(cfg)[cfg.draggan.feature_idx];
  const geo = new FeatureGeometry(8, fres, fres, cfg.img_resolution, cfg.img_resolution);
  const req = lossSupport(
    geo,
    [{ x: 64, y: 64 }],
    scaledRadius(cfg.draggan.r1, cfg.img_resolution),
    scaledRadius(cfg.draggan.r2, cfg.img_resolution),
  );
  for (const handles of [1, 5])
    expect(chooseWindows(cfg, cfg.draggan.feature_idx, req.size, handles).cheaper).toBe(false);
});
