import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { decodePng } from '../../plugin/hosts/node/pngDecode';
import { encodePng } from '../../plugin/hosts/node/pngEncode';
import { runCli } from '../../plugin/hosts/cli/runCli';
import { reference } from '../helpers/fixtures';
import { memoryIo } from './memoryIo';
import { ROOT } from './referenceImage';

/**
 * `draggan import`, `generate`, `drag` and `invert` on the rectangular fixture (human128: 64 wide x 128 tall,
 * StyleGAN-Human's layout), in-process.
 */
let dir: string;
let model: string;
const ref = reference('human128');

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'draggan-rect-'));
  model = join(dir, 'human128');
  const r = await cli('import', join(ROOT, 'test/fixtures/checkpoints/human128.pkl'), '--out', model, '--json');
  expect(r.code).toBe(0);
  expect(JSON.parse(r.out)).toMatchObject({ resolution: 128, width: 64, height: 128, num_ws: 12 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('generate writes the 64 x 128 image of seed 0 within 1 level of the official one', async () => {
  const r = await cli(
    'generate',
    '--model',
    model,
    '--seed',
    '0',
    '--out',
    join(dir, 'gen.png'),
    '--save-latent',
    join(dir, 'w.npy'),
  );
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/64x128/);
  const png = decodePng(readFileSync(join(dir, 'gen.png')));
  expect([png.width, png.height]).toEqual([64, 128]);
  const want = ref.tensors.get('img_u8_0')!.data;
  let worst = 0;
  for (let i = 0; i < 64 * 128; i++)
    for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(png.data[i * png.channels + c] - want[i * 3 + c]));
  expect(worst).toBeLessThanOrEqual(1);
});

test('drag moves a handle on the narrow image toward its target, and a point past the width is refused', async () => {
  const r = await cli(
    'drag',
    '--model',
    model,
    '--latent',
    join(dir, 'w.npy'),
    '--point',
    '30,60:38,70',
    '--steps',
    '40',
    '--lr',
    '0.1',
    '--out',
    join(dir, 'drag.png'),
    '--json',
  );
  expect(r.err).not.toMatch(/error/i);
  expect(r.code).toBe(0);
  const report = JSON.parse(r.out);
  const [[x, y]] = report.totals.finalPoints;
  expect(Math.hypot(38 - x, 70 - y)).toBeLessThan(Math.hypot(38 - 30, 70 - 60) - 3);
  const png = decodePng(readFileSync(join(dir, 'drag.png')));
  expect([png.width, png.height]).toEqual([64, 128]);
  const bad = await cli(
    'drag',
    '--model',
    model,
    '--latent',
    join(dir, 'w.npy'),
    '--point',
    '70,60:38,70',
    '--out',
    join(dir, 'bad.png'),
  );
  expect(bad.code).toBe(2);
  expect(bad.err).toMatch(/x must be within 0\.\.63 and y within 0\.\.127 in the model's 64 x 128 px image/);
});

test('invert fits a 64 x 128 image the model drew, and frames a wider photo by its centred 1:2 box', async () => {
  const r = await cli(
    'invert',
    '--model',
    model,
    '--image',
    join(dir, 'gen.png'),
    '--out-latent',
    join(dir, 'inv.npy'),
    '--out-image',
    join(dir, 'inv.png'),
    '--steps',
    '300',
    '--json',
  );
  expect(r.err).not.toMatch(/error/i);
  expect(r.code).toBe(0);
  const report = JSON.parse(r.out);
  expect(report.crop).toEqual({ x: 0, y: 0, size: 128, width: 64 });
  // measured 31.4 dB in 300 steps (the start, w_avg's image, 9.8 dB; 150 steps 19.7, 600 steps 63 dB)
  expect(report.psnr).toBeGreaterThan(27);
  const png = decodePng(readFileSync(join(dir, 'inv.png')));
  expect([png.width, png.height]).toEqual([64, 128]);

  // the same picture between grey bars, 160 x 128: the model sees its centred 64 x 128, so the fit is as good
  const gen = decodePng(readFileSync(join(dir, 'gen.png')));
  const wide = new Uint8Array(160 * 128 * 3).fill(128);
  for (let y = 0; y < 128; y++)
    for (let x = 0; x < 64; x++)
      for (let c = 0; c < 3; c++) wide[(y * 160 + 48 + x) * 3 + c] = gen.data[(y * 64 + x) * gen.channels + c];
  writeFileSync(join(dir, 'wide.png'), encodePng({ width: 160, height: 128, channels: 3, data: wide }));
  const w = await cli(
    'invert',
    '--model',
    model,
    '--image',
    join(dir, 'wide.png'),
    '--out-latent',
    join(dir, 'wide.npy'),
    '--steps',
    '300',
    '--json',
  );
  expect(w.code).toBe(0);
  const wideReport = JSON.parse(w.out);
  expect(wideReport.crop).toEqual({ x: 48, y: 0, size: 128, width: 64 });
  expect(Math.abs(wideReport.psnr - report.psnr)).toBeLessThan(0.5);
});

test('photo composites a drag of the 1:2 box back into the wider picture: the bars beside the box stay as they were', async () => {
  // wide.png (the previous test): the model's picture between grey bars, the model sees its centred 64 x 128
  const out = join(dir, 'photo.png');
  const r = await cli(
    'photo',
    '--model',
    model,
    '--image',
    join(dir, 'wide.png'),
    '--point',
    '80,64:86,64',
    '--invert-steps',
    '100',
    '--steps',
    '10',
    '--out',
    out,
    '--json',
  );
  expect(r.err).not.toMatch(/error/i);
  expect(r.code).toBe(0);
  const wide = decodePng(readFileSync(join(dir, 'wide.png')));
  const png = decodePng(readFileSync(out));
  expect([png.width, png.height]).toEqual([160, 128]);
  let barsChanged = 0;
  let boxChanged = 0;
  for (let y = 0; y < 128; y++)
    for (let x = 0; x < 160; x++)
      for (let c = 0; c < 3; c++) {
        const d = png.data[(y * 160 + x) * png.channels + c] !== wide.data[(y * 160 + x) * wide.channels + c];
        if (x < 48 || x >= 112) barsChanged += d ? 1 : 0;
        else boxChanged += d ? 1 : 0;
      }
  expect(barsChanged).toBe(0);
  expect(boxChanged).toBeGreaterThan(0);
});
