/**
 * `draggan photo` in-process: a photo is framed as its model asks (the bundled model's own face search and framing,
 * the FFHQ-aligned face for a model whose card says "ffhq"), inverted, dragged with points in the photo's pixels or
 * presets and composited back at the photo's size; what lies outside the changed region is the photo's own pixels,
 * bit for bit.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { applyAffine, type Affine } from '../../plugin/faces/affine';
import { runCli } from '../../plugin/hosts/cli/runCli';
import { decodePng } from '../../plugin/hosts/node/pngDecode';
import { encodePng } from '../../plugin/hosts/node/pngEncode';
import { placeFace } from '../faces/placedFace';
import { memoryIo } from './memoryIo';
import { ROOT } from './referenceImage';

let dir: string;
/** The bundled model's face, turned by 20 degrees and scaled by 2, in a larger picture over a busy background. */
const W = 420;
const H = 340;
const ANGLE = (20 * Math.PI) / 180;
const SCALE = 2;
let faceToPicture: Affine;

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

function readRgb(path: string): { width: number; height: number; data: Uint8Array } {
  const r = decodePng(new Uint8Array(readFileSync(path)));
  const data = new Uint8Array(r.width * r.height * 3);
  for (let i = 0; i < r.width * r.height; i++)
    for (let c = 0; c < 3; c++) data[3 * i + c] = r.data[r.channels * i + (r.channels >= 3 ? c : 0)];
  return { width: r.width, height: r.height, data };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'draggan-photo-'));
  expect((await run('generate', '--seed', '3', '--out', join(dir, 'face.png'))).code).toBe(0);
  const face = readRgb(join(dir, 'face.png'));
  const rgba = new Uint8ClampedArray(128 * 128 * 4);
  for (let i = 0; i < 128 * 128; i++)
    rgba.set([face.data[3 * i], face.data[3 * i + 1], face.data[3 * i + 2], 255], 4 * i);
  const placed = placeFace({ width: 128, height: 128, data: rgba }, W, H, ANGLE, SCALE, 230, 165);
  faceToPicture = placed.toPicture;
  const rgb = new Uint8Array(W * H * 3);
  for (let i = 0; i < W * H; i++) for (let c = 0; c < 3; c++) rgb[3 * i + c] = placed.picture.data[4 * i + c];
  writeFileSync(join(dir, 'photo.png'), encodePng({ width: W, height: H, channels: 3, data: rgb }));
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface PhotoReport {
  framing: string;
  face: { confidence: number };
  toPhoto: Affine;
  inversion: { psnr: number };
  presetPairs?: { part: string; handle: { x: number; y: number }; target: { x: number; y: number } }[];
  drag: { handles: { x: number; y: number }[]; finalPoints: { x: number; y: number }[] };
  photoPoints: { handles: { x: number; y: number }[]; finalPoints: { x: number; y: number }[] };
}

test('the bundled model: its face, turned and scaled in a larger picture, is found, framed, inverted, dragged by a preset and composited back', async () => {
  const r = await run(
    'photo',
    '--image',
    join(dir, 'photo.png'),
    '--preset',
    'smile',
    '--invert-steps',
    '300',
    '--steps',
    '40',
    '--out',
    join(dir, 'out.png'),
    '--mask-out',
    join(dir, 'mask.png'),
    '--crop-out',
    join(dir, 'crop.png'),
    '--json',
  );
  expect(r.err).not.toMatch(/internal error/);
  expect(r.code).toBe(0);
  const report = JSON.parse(r.out) as PhotoReport;
  expect(report.framing).toMatch(/face 1 of 1, aligned as the model's training faces were drawn/);
  // the framing undoes the placement: the face's own centre comes back to about the model's centre, scale 2, turned 20 degrees
  expect(Math.hypot(report.toPhoto.a, report.toPhoto.d)).toBeCloseTo(SCALE, 0);
  expect(Math.abs(Math.atan2(report.toPhoto.d, report.toPhoto.a) - ANGLE)).toBeLessThan((8 * Math.PI) / 180);
  const centre = applyAffine(report.toPhoto, { x: 63.5, y: 63.5 });
  const truth = applyAffine(faceToPicture, { x: 63.5, y: 63.5 });
  expect(Math.hypot(centre.x - truth.x, centre.y - truth.y)).toBeLessThan(12);
  console.log(`aligned crop inverted to ${report.inversion.psnr.toFixed(2)} dB`);
  expect(report.inversion.psnr).toBeGreaterThanOrEqual(25);
  // the smile's pairs sit on the mouth corners, which the drag moved towards their targets
  expect(report.presetPairs?.map((p) => p.part).sort()).toEqual(['mouth.left', 'mouth.right']);
  const moved = report.drag.finalPoints.map((p, i) =>
    Math.hypot(p.x - report.drag.handles[i].x, p.y - report.drag.handles[i].y),
  );
  expect(Math.max(...moved)).toBeGreaterThan(1);

  const photo = readRgb(join(dir, 'photo.png'));
  const out = readRgb(join(dir, 'out.png'));
  const mask = decodePng(new Uint8Array(readFileSync(join(dir, 'mask.png'))));
  expect([out.width, out.height, mask.width, mask.height]).toEqual([W, H, W, H]);
  let changed = 0;
  for (let i = 0; i < W * H; i++) {
    const same =
      out.data[3 * i] === photo.data[3 * i] &&
      out.data[3 * i + 1] === photo.data[3 * i + 1] &&
      out.data[3 * i + 2] === photo.data[3 * i + 2];
    // outside the feathered region the output is the input, bit for bit
    if (mask.data[i] === 0) expect(same).toBe(true);
    if (!same) changed++;
  }
  expect(changed).toBeGreaterThan(200);
}, 300_000);

test('draggan faces --face-model procedural: the face and its named points, with progress on stderr', async () => {
  const r = await run('faces', '--image', join(dir, 'photo.png'), '--face-model', 'procedural', '--json');
  expect(r.code).toBe(0);
  const summary = JSON.parse(r.out) as {
    faces: { box: { x: number; y: number; width: number; height: number }; landmarks: { name: string }[] }[];
  };
  expect(summary.faces).toHaveLength(1);
  const b = summary.faces[0].box;
  // the framing's box holds the face put at (230, 165), turned, so a little larger than 2 x 128
  expect(Math.hypot(b.x + b.width / 2 - 230, b.y + b.height / 2 - 165)).toBeLessThan(6);
  expect(summary.faces[0].landmarks.map((p) => p.name)).toContain('nose_tip');
  // not a terminal: the bar's plain lines, ending in what was found
  expect(r.err).toMatch(/faces: \d+\/\d+ crops read/);
  expect(r.err).toMatch(/faces: 1 face\n/);
});

test('a picture without one of its faces: exit 2, saying what the bundled model edits', async () => {
  const noise = new Uint8Array(240 * 180 * 3).map((_, i) => (i * 7919) % 251);
  writeFileSync(join(dir, 'noise.png'), encodePng({ width: 240, height: 180, channels: 3, data: noise }));
  const r = await run('photo', '--image', join(dir, 'noise.png'), '--preset', 'smile', '--out', join(dir, 'n.png'));
  expect(r.code).toBe(2);
  expect(r.err).toMatch(
    /no face was found in .*noise\.png by the bundled landmark detector: this model edits only its own cartoon faces/,
  );
}, 120_000);

describe('a model whose card asks for FFHQ-aligned faces', () => {
  let model: string;
  beforeAll(() => {
    model = join(dir, 'ffhq-tiny');
    cpSync(join(ROOT, 'test/fixtures/packages/tiny128'), model, { recursive: true });
    const card = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(model, 'model.json'), JSON.stringify({ ...card, alignment: 'ffhq' }));
  });
  const astronaut = join(ROOT, 'test/fixtures/photos/astronaut.jpg');
  /** `draggan photo` of this image on the FFHQ-aligned model. */
  const photo = (image: string, ...argv: string[]) => run('photo', '--model', model, '--image', image, ...argv);

  test('the face of a real photo is found and aligned, and the edit comes back into the full photo', async () => {
    // a point between the eyes, moved a little (the random-weight model draws noise: this checks the plumbing)
    const r = await photo(
      astronaut,
      '--point',
      '230,150:236,150',
      '--invert-steps',
      '2',
      '--steps',
      '2',
      '--out',
      join(dir, 'astro.png'),
      '--json',
    );
    expect(r.err).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as {
      framing: string;
      face: { index: number; of: number; confidence: number };
      width: number;
    };
    expect(report.framing).toMatch(/face 1 of 1, aligned as in FFHQ/);
    expect(report.face.confidence).toBeGreaterThan(0.5);
    const out = readRgb(join(dir, 'astro.png'));
    expect(out.width).toBe(report.width);
  }, 180_000);

  test("a preset on a photo: placed from the face's 68 landmarks carried into the aligned crop", async () => {
    const r = await photo(
      astronaut,
      '--preset',
      'smile',
      '--invert-steps',
      '1',
      '--steps',
      '1',
      '--out',
      join(dir, 'astro-smile.png'),
      '--json',
    );
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as { presetPairs: { part: string; handle: { x: number; y: number } }[] };
    expect(report.presetPairs.length).toBeGreaterThanOrEqual(2);
    // the mouth sits in the lower middle of an FFHQ-aligned crop
    for (const p of report.presetPairs) {
      expect(p.handle.x).toBeGreaterThan(30);
      expect(p.handle.x).toBeLessThan(98);
      expect(p.handle.y).toBeGreaterThan(64);
    }
  }, 180_000);

  test('a picture with no face: exit 2, saying what the model needs', async () => {
    const grey = new Uint8Array(200 * 150 * 3).fill(128);
    writeFileSync(join(dir, 'grey.png'), encodePng({ width: 200, height: 150, channels: 3, data: grey }));
    const r = await photo(join(dir, 'grey.png'), '--point', '10,10:20,10', '--out', join(dir, 'x.png'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /no face was found in .*grey\.png by the photo face finder: this model edits photographed faces/,
    );
  }, 60_000);

  test('a point outside the aligned face: exit 2, before any drag', async () => {
    const r = await photo(astronaut, '--point', '2,2:5,5', '--invert-steps', '1', '--out', join(dir, 'y.png'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/the handle \(2, 2\) lies outside the part of the photo the model edits/);
  }, 120_000);
});
