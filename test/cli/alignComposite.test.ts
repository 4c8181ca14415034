/**
 * `draggan align` and `draggan composite` in-process on a synthetic face photo: the crop has the eyes where the
 * FFHQ recipe puts them, the transform file carries the edit back, and outside the written mask the result is the
 * photo's own pixels; bad input ends in exit 2 with a sentence.
 */
import type { Image8 } from '../../plugin/codecs/image8';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { warpByFlow } from '../../plugin/faces/denseFlow';
import { floatFromImage8, image8FromFloat } from '../../plugin/faces/rgbFloat';
import { runCli } from '../../plugin/hosts/cli/runCli';
import { decodePng } from '../../plugin/hosts/node/pngDecode';
import { encodePng } from '../../plugin/hosts/node/pngEncode';
import { bumpFlow } from '../faces/flowFixtures';
import { darkCentroid, drawFacePhoto, placedLandmarks, type Placement } from '../faces/syntheticFace';
import { memoryIo } from './memoryIo';
import { TINY128_PKL } from './referenceImage';

let dir: string;
const T: Placement = { angle: 0.3, scale: 2.2, x: 420, y: 360 };
const photo = drawFacePhoto(840, 760, T);

function rgb(img: Image8): Uint8Array {
  const out = new Uint8Array(img.width * img.height * 3);
  for (let i = 0; i < img.width * img.height; i++) for (let c = 0; c < 3; c++) out[3 * i + c] = img.data[4 * i + c];
  return out;
}

function readRgba(path: string): Image8 {
  const r = decodePng(new Uint8Array(readFileSync(path)));
  const data = new Uint8ClampedArray(r.width * r.height * 4);
  for (let i = 0; i < r.width * r.height; i++) {
    for (let c = 0; c < 3; c++) data[4 * i + c] = r.data[r.channels * i + (r.channels >= 3 ? c : 0)];
    data[4 * i + 3] = 255;
  }
  return { width: r.width, height: r.height, data };
}

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'draggan-faces-'));
  writeFileSync(
    join(dir, 'photo.png'),
    encodePng({ width: photo.width, height: photo.height, channels: 3, data: rgb(photo) }),
  );
  // the shape draggan faces --json prints: one entry per face
  writeFileSync(
    join(dir, 'faces.json'),
    JSON.stringify({ faces: [{ landmarks: placedLandmarks(T).map((p) => [p.x, p.y]) }] }),
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('align then composite: the eyes land on the recipe, and the edit comes back under its mask', async () => {
  const a = await run(
    'align',
    '--image',
    join(dir, 'photo.png'),
    '--landmarks',
    join(dir, 'faces.json'),
    '--resolution',
    '128',
    '--out',
    join(dir, 'crop.png'),
    '--transform',
    join(dir, 't.json'),
    '--json',
  );
  expect(a.err).toBe('');
  expect(a.code).toBe(0);
  expect(JSON.parse(a.out)).toMatchObject({ command: 'align', resolution: 128 });
  const crop = readRgba(join(dir, 'crop.png'));
  // eyes at (+-30, 0), mouth at 70 (canonical units): the square's half side is max(120, 126) = 126 units
  const eye = darkCentroid(crop, { x: 64 - (30 / 252) * 128 - 0.5, y: 64 - (7 / 252) * 128 - 0.5 }, 10);
  expect(Math.hypot(eye.x - (64 - (30 / 252) * 128 - 0.5), eye.y - (64 - (7 / 252) * 128 - 0.5))).toBeLessThan(0.35);

  const edited = image8FromFloat(warpByFlow(floatFromImage8(crop), bumpFlow(128, eye.x, eye.y, 8, { x: -3, y: 0 })));
  writeFileSync(join(dir, 'edited.png'), encodePng({ width: 128, height: 128, channels: 3, data: rgb(edited) }));
  const c = await run(
    'composite',
    '--image',
    join(dir, 'photo.png'),
    '--transform',
    join(dir, 't.json'),
    '--reconstruction',
    join(dir, 'crop.png'),
    '--edited',
    join(dir, 'edited.png'),
    '--out',
    join(dir, 'result.png'),
    '--mask-out',
    join(dir, 'mask.png'),
    '--json',
  );
  expect(c.err).toBe('');
  expect(c.code).toBe(0);
  const summary = JSON.parse(c.out) as { bounds: { x: number; y: number; width: number; height: number } };
  expect(summary.bounds.width).toBeGreaterThan(10);
  const result = readRgba(join(dir, 'result.png'));
  const mask = decodePng(new Uint8Array(readFileSync(join(dir, 'mask.png'))));
  expect([mask.width, mask.height, mask.channels]).toEqual([photo.width, photo.height, 1]);
  let outside = 0;
  let changedOutside = 0;
  let changedInside = 0;
  for (let i = 0; i < photo.width * photo.height; i++) {
    const same =
      result.data[4 * i] === photo.data[4 * i] &&
      result.data[4 * i + 1] === photo.data[4 * i + 1] &&
      result.data[4 * i + 2] === photo.data[4 * i + 2];
    if (mask.data[i] === 0) {
      outside++;
      if (!same) changedOutside++;
    } else if (!same) changedInside++;
  }
  expect(outside).toBeGreaterThan(0.9 * photo.width * photo.height);
  expect(changedOutside).toBe(0);
  expect(changedInside).toBeGreaterThan(100);
});

test('import --alignment ffhq writes it into model.json, and align takes the resolution from that model', async () => {
  const model = join(dir, 'ffhq-model');
  const imp = await run('import', TINY128_PKL, '--out', model, '--alignment', 'ffhq', '--json');
  expect(imp.code).toBe(0);
  expect(JSON.parse(imp.out)).toMatchObject({ alignment: 'ffhq', resolution: 128 });
  expect(JSON.parse(readFileSync(join(model, 'model.json'), 'utf8'))).toMatchObject({ alignment: 'ffhq' });
  const a = await run(
    'align',
    '--image',
    join(dir, 'photo.png'),
    '--landmarks',
    join(dir, 'faces.json'),
    '--model',
    model,
    '--out',
    join(dir, 'm.png'),
    '--json',
  );
  expect(a.err).toBe('');
  expect(JSON.parse(a.out)).toMatchObject({ resolution: 128 });
  const bad = await run('import', TINY128_PKL, '--out', join(dir, 'x'), '--alignment', 'dlib');
  expect(bad.code).toBe(2);
  expect(bad.err).toMatch(/--alignment must be ffhq or procedural or none/);
});

test('bad input: a clear sentence and exit 2', async () => {
  const missing = await run('align', '--image', join(dir, 'photo.png'), '--out', join(dir, 'x.png'));
  expect(missing.code).toBe(2);
  expect(missing.err).toMatch(/--landmarks face.json is required/);
  writeFileSync(join(dir, 'few.json'), JSON.stringify([[1, 2]]));
  const few = await run(
    'align',
    '--image',
    join(dir, 'photo.png'),
    '--landmarks',
    join(dir, 'few.json'),
    '--resolution',
    '64',
    '--out',
    join(dir, 'x.png'),
  );
  expect(few.code).toBe(2);
  expect(few.err).toMatch(/1 landmarks; the alignment needs the 68 of the iBUG 300-W scheme/);
  const noFace = await run(
    'align',
    '--image',
    join(dir, 'photo.png'),
    '--landmarks',
    join(dir, 'faces.json'),
    '--face',
    '3',
    '--resolution',
    '64',
    '--out',
    join(dir, 'x.png'),
  );
  expect(noFace.err).toMatch(/face 3 asked, the file has 1/);
  writeFileSync(
    join(dir, 'small.png'),
    encodePng({ width: 100, height: 80, channels: 3, data: new Uint8Array(100 * 80 * 3) }),
  );
  const other = await run(
    'composite',
    '--image',
    join(dir, 'small.png'),
    '--transform',
    join(dir, 't.json'),
    '--reconstruction',
    join(dir, 'crop.png'),
    '--edited',
    join(dir, 'crop.png'),
    '--out',
    join(dir, 'x.png'),
  );
  expect(other.code).toBe(2);
  expect(other.err).toMatch(/was made for a 840x760 photo; .*small.png is 100x80/);
  writeFileSync(join(dir, 'broken.json'), '{"alignment": "ffhq", "resolution": 128}');
  const broken = await run(
    'composite',
    '--image',
    join(dir, 'photo.png'),
    '--transform',
    join(dir, 'broken.json'),
    '--reconstruction',
    join(dir, 'crop.png'),
    '--edited',
    join(dir, 'crop.png'),
    '--out',
    join(dir, 'x.png'),
  );
  expect(broken.code).toBe(2);
  expect(broken.err).toMatch(/broken.json: photo must give an integer width and height/);
});
