/**
 * `draggan photo` in-process: a photo is framed as its model asks (the centred square for the bundled model, the
 * FFHQ-aligned face for a model whose card says "ffhq"), inverted, dragged with points in the photo's pixels and
 * composited back at the photo's size; what lies outside the changed region is the photo's own pixels, bit for bit.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runCli } from '../../plugin/hosts/cli/runCli';
import { decodePng } from '../../plugin/hosts/node/pngDecode';
import { encodePng } from '../../plugin/hosts/node/pngEncode';
import { memoryIo } from './memoryIo';
import { ROOT } from './referenceImage';

let dir: string;
const W = 356;
const H = 256;
/** The bundled model's face fills the centred 256 px square; the sides are a busy pattern the edit must not touch. */
const FACE_X = 50;

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

function readRgb(path: string): { width: number; height: number; data: Uint8Array } {
  const r = decodePng(new Uint8Array(readFileSync(path)));
  const data = new Uint8Array(r.width * r.height * 3);
  for (let i = 0; i < r.width * r.height; i++) for (let c = 0; c < 3; c++) data[3 * i + c] = r.data[r.channels * i + (r.channels >= 3 ? c : 0)];
  return { width: r.width, height: r.height, data };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'draggan-photo-'));
  expect((await run('generate', '--seed', '3', '--out', join(dir, 'face.png'))).code).toBe(0);
  const face = readRgb(join(dir, 'face.png'));
  const out = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 3;
      const u = x - FACE_X;
      if (u >= 0 && u < 256) for (let c = 0; c < 3; c++) out[i + c] = face.data[((y >> 1) * 128 + (u >> 1)) * 3 + c];
      else [out[i], out[i + 1], out[i + 2]] = [(x * 7 + y * 3) % 255, (x * y) % 200, 90];
    }
  }
  writeFileSync(join(dir, 'photo.png'), encodePng({ width: W, height: H, channels: 3, data: out }));
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('the bundled model: the centred square is inverted and dragged, the result has the photo size, the rest is untouched', async () => {
  const r = await run('photo', '--image', join(dir, 'photo.png'), '--point', '178,150:200,150', '--invert-steps', '60', '--steps', '40',
    '--out', join(dir, 'out.png'), '--mask-out', join(dir, 'mask.png'), '--crop-out', join(dir, 'crop.png'), '--json');
  expect(r.code).toBe(0);
  const report = JSON.parse(r.out) as { framing: string; inversion: { psnr: number }; drag: { handles: { x: number }[]; finalPoints: { x: number; y: number }[] }; photoPoints: { finalPoints: { x: number }[] }; toPhoto: { a: number; c: number } };
  expect(report.framing).toMatch(/centred square/);
  // the model's own face, up-scaled 2x: it inverts well
  expect(report.inversion.psnr).toBeGreaterThan(24);
  // photo pixels -> model pixels: the 256 px square at x = 50 was shrunk by 2
  expect(report.toPhoto.a).toBeCloseTo(2, 10);
  expect(report.drag.handles[0].x).toBeCloseTo((178 - FACE_X - 0.5) / 2, 6);
  // the handle moved towards its target, in model pixels and back in the photo's
  expect(report.drag.finalPoints[0].x).toBeGreaterThan(report.drag.handles[0].x + 2);
  expect(report.photoPoints.finalPoints[0].x).toBeGreaterThan(182);

  const photo = readRgb(join(dir, 'photo.png'));
  const out = readRgb(join(dir, 'out.png'));
  const mask = decodePng(new Uint8Array(readFileSync(join(dir, 'mask.png'))));
  expect([out.width, out.height]).toEqual([W, H]);
  expect([readRgb(join(dir, 'crop.png')).width, mask.width, mask.height]).toEqual([128, W, H]);
  let changed = 0;
  for (let i = 0; i < W * H; i++) {
    const same = out.data[3 * i] === photo.data[3 * i] && out.data[3 * i + 1] === photo.data[3 * i + 1] && out.data[3 * i + 2] === photo.data[3 * i + 2];
    if (mask.data[i] === 0) expect(same).toBe(true);
    const x = i % W;
    // the busy sides lie outside the framed square: never changed
    if (x < FACE_X || x >= FACE_X + 256) expect(same).toBe(true);
    if (!same) changed++;
  }
  expect(changed).toBeGreaterThan(500);
}, 180_000);

test('a preset on the bundled model: its landmark detector places the pairs on the reconstruction', async () => {
  const r = await run('photo', '--image', join(dir, 'photo.png'), '--preset', 'smile', '--invert-steps', '40', '--steps', '20', '--out', join(dir, 'smile.png'), '--json');
  expect(r.code).toBe(0);
  expect(r.err).toMatch(/preset smile: /);
  const report = JSON.parse(r.out) as { presetPairs: { part: string; handle: { x: number; y: number }; target: { x: number } }[]; photoPoints: { handles: { x: number }[] } };
  expect(report.presetPairs.length).toBeGreaterThanOrEqual(2);
  // every pair lies in the model's picture, and back in the photo inside the framed square
  for (const p of report.presetPairs) expect(p.handle.x >= 0 && p.handle.x <= 127 && p.handle.y >= 0 && p.handle.y <= 127).toBe(true);
  for (const h of report.photoPoints.handles) expect(h.x > FACE_X && h.x < FACE_X + 256).toBe(true);
  expect(readRgb(join(dir, 'smile.png')).width).toBe(W);
}, 180_000);

describe('a model whose card asks for FFHQ-aligned faces', () => {
  let model: string;
  beforeAll(() => {
    model = join(dir, 'ffhq-tiny');
    cpSync(join(ROOT, 'test/fixtures/packages/tiny128'), model, { recursive: true });
    const card = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(model, 'model.json'), JSON.stringify({ ...card, alignment: 'ffhq' }));
  });

  test('the face of a real photo is found and aligned, and the edit comes back into the full photo', async () => {
    const astronaut = join(ROOT, 'test/fixtures/photos/astronaut.jpg');
    // a point between the eyes, moved a little (the random-weight model draws noise: this checks the plumbing)
    const r = await run('photo', '--model', model, '--image', astronaut, '--point', '230,150:236,150', '--invert-steps', '2', '--steps', '2', '--out', join(dir, 'astro.png'), '--json');
    expect(r.err).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as { framing: string; face: { index: number; of: number; confidence: number }; width: number };
    expect(report.framing).toMatch(/face 1 of 1, aligned as in FFHQ/);
    expect(report.face.confidence).toBeGreaterThan(0.5);
    const out = readRgb(join(dir, 'astro.png'));
    expect(out.width).toBe(report.width);
  }, 180_000);

  test("a preset on a photo: placed from the face's 68 landmarks carried into the aligned crop", async () => {
    const astronaut = join(ROOT, 'test/fixtures/photos/astronaut.jpg');
    const r = await run('photo', '--model', model, '--image', astronaut, '--preset', 'smile', '--invert-steps', '1', '--steps', '1', '--out', join(dir, 'astro-smile.png'), '--json');
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
    const r = await run('photo', '--model', model, '--image', join(dir, 'grey.png'), '--point', '10,10:20,10', '--out', join(dir, 'x.png'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no face was found in .*grey\.png: this model edits faces framed as in FFHQ/);
  }, 60_000);

  test('a point outside the aligned face: exit 2, before any drag', async () => {
    const astronaut = join(ROOT, 'test/fixtures/photos/astronaut.jpg');
    const r = await run('photo', '--model', model, '--image', astronaut, '--point', '2,2:5,5', '--invert-steps', '1', '--out', join(dir, 'y.png'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/the handle \(2, 2\) lies outside the part of the photo the model edits/);
  }, 120_000);
});
